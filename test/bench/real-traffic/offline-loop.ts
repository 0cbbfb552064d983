// Iteration loop (not the benchmark): the suite's split, learning runs, serving and scoring,
// with the services' own processors in-process instead of Kafka (segmentSteps, induceTemplates,
// a RouterCore with the router's default embedder and calibrated policies). Seconds instead
// of minutes; the figures to report come from `pnpm bench real-traffic`, which goes through
// the topics. Run: npx tsx test/bench/real-traffic/offline-loop.ts [--full | --subset] [--held-out N] [--learn-share x] [--seed s] [--out file]
import { writeFileSync } from 'node:fs';
import { inducerPolicyFrom, InducerEnv, induceTemplates } from '@praxis/inducer';
import { calibrationFor, Policies, RouterConfigSchema, RouterCore, type RouterSink } from '@praxis/router';
import { AgentStepSchema } from '@praxis/schemas';
import { segmentSteps, segmenterPolicyFrom, SegmenterEnv } from '@praxis/segmenter';
import { embedderFor } from '../../../services/router/src/service.js';
import { REAL_TRAFFIC_ENV, splitFor } from '../suites/real-traffic.js';
import { loadAvailable, loadWorkBench, SUBSET_FIXTURE, type AgentRun } from './dataset.js';
import { comparisonTable, failingFingerprints, scoreTask, summarise, type TaskRow } from './figures.js';
import { learningSteps, TENANT } from './learn.js';
import { serveTask } from './serve.js';
import { splitTasks } from './split.js';

const discard: RouterSink = { writeTemplates: async () => undefined, writeFeedback: async () => undefined };
const full = process.argv.includes('--full');
const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : undefined;
const env = { KAFKA_BROKERS: 'unused:1', SCHEMA_REGISTRY_URL: 'http://unused', ROUTER_API_KEYS: '{}', ...REAL_TRAFFIC_ENV, ...process.env };

const wb = process.argv.includes('--subset') ? loadWorkBench(SUBSET_FIXTURE, 'subset') : loadAvailable();
const flag = (name: string) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : undefined);
const split = splitTasks(wb, { ...splitFor(wb, !full), ...(flag('--held-out') !== undefined ? { heldOutTemplates: flag('--held-out') } : {}), ...(flag('--learn-share') !== undefined ? { learnShare: flag('--learn-share') } : {}), ...(process.argv.includes('--seed') ? { seed: process.argv[process.argv.indexOf('--seed') + 1]! } : {}) });
const { steps } = learningSteps(wb, split.learningRuns);
const segEnv = SegmenterEnv.parse(env);
const { trajectories } = segmentSteps(steps.map((s) => AgentStepSchema.parse(s)), { policyFor: () => segmenterPolicyFrom(segEnv), idleMs: Number.MAX_SAFE_INTEGER, maxPendingPerSession: 100_000 });
const inducerEnv = InducerEnv.parse(env);
// --policy '{"triggerExamples": 30}': any inducer policy field, to try a setting (never the benchmark's figures)
const policy = { ...inducerPolicyFrom(inducerEnv), ...inducerEnv.INDUCER_OVERRIDES[TENANT], ...(process.argv.includes('--policy') ? (JSON.parse(process.argv[process.argv.indexOf('--policy') + 1]!) as object) : {}) };
const templates = induceTemplates(trajectories, () => policy);
const routerConfig = RouterConfigSchema.parse(env);
const embedder = embedderFor(routerConfig);
const core = new RouterCore({ embedder, policies: new Policies(routerConfig.ROUTER_TENANT_POLICIES, calibrationFor(embedder.id)), sink: discard });
await core.applyRecords(templates.map((value, i) => ({ key: value.templateId, value, partition: 0, offset: String(i) })));
const runsOf = new Map<string, AgentRun[]>();
for (const r of wb.runs) runsOf.set(r.taskId, [...(runsOf.get(r.taskId) ?? []), r]);
const rows: TaskRow[] = [];
for (const [tasks, unseen] of [[split.heldOut, false], [split.unseen, true]] as const) {
  for (const task of tasks) {
    const served = await serveTask(wb, core, task);
    if (process.env.DEBUG_Q && task.query.includes(process.env.DEBUG_Q)) console.log(JSON.stringify({ query: task.query, tier: served.answer.tier, reason: served.answer.reason, steps: served.answer.workflow?.steps, toGenerate: served.answer.toGenerate, run: served.run }, null, 1));
    rows.push({ ...scoreTask(wb, served, runsOf.get(task.taskId) ?? [], unseen), ...(out ? { reason: served.answer.reason } : {}) });
  }
}
const heldOutIds = new Set([...split.heldOut, ...split.unseen].map((t) => t.taskId));
const figures = summarise(wb.kind, rows, { templates: templates.length, active: templates.filter((t) => t.status === 'ACTIVE').length, runs: split.learningRuns.length, steps: steps.length }, new Set(split.learningRuns.flatMap((r, i) => failingFingerprints(r, i))), wb.runs.filter((r) => heldOutIds.has(r.taskId)));
console.log(`embedder ${embedder.id}; ${trajectories.length} trajectories, ${templates.length} templates for ${TENANT}`);
for (const line of comparisonTable(figures)) console.log(line);
console.log('outcomes:', figures.outcomes, 'tiers:', figures.tiers);
if (out) writeFileSync(out, rows.map(({ failures, ...row }) => JSON.stringify({ ...row, failures: failures.map((f) => `${f.tool}: ${f.message}${f.covered ? ' [hint served]' : ''}`) })).join('\n') + '\n');
if (process.argv.includes('--templates')) writeFileSync('/tmp/tuner-templates.json', JSON.stringify(templates, null, 1));
