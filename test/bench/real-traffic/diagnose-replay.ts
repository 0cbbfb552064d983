// Diagnosis (not the benchmark): what a verifier replaying the learned templates on the tasks
// they were learned from would report. Learning as offline-loop.ts, then every learning task is
// served and its answer executed in the sandbox and scored against that learning task's own
// outcome rule (labels of the learning split, which learning may read; no held-out task is
// served). Per template: the learning tasks it answered, how many ended in the right state, and
// the template's status and confidence. In-sample: an upper bound on what the same template
// does on new tasks of its kind. Run: npx tsx test/bench/real-traffic/diagnose-replay.ts [--full]
import { inducerPolicyFrom, InducerEnv, induceTemplates } from '@praxis/inducer';
import { calibrationFor, Policies, RouterConfigSchema, RouterCore, type RouterSink } from '@praxis/router';
import { AgentStepSchema } from '@praxis/schemas';
import { segmentSteps, segmenterPolicyFrom, SegmenterEnv } from '@praxis/segmenter';
import { embedderFor } from '../../../services/router/src/service.js';
import { REAL_TRAFFIC_ENV, splitFor } from '../suites/real-traffic.js';
import { loadAvailable, type AgentRun } from './dataset.js';
import { scoreTask } from './figures.js';
import { learningSteps, TENANT } from './learn.js';
import { serveTask } from './serve.js';
import { splitTasks } from './split.js';

const discard: RouterSink = { writeTemplates: async () => undefined, writeFeedback: async () => undefined };
const env = { KAFKA_BROKERS: 'unused:1', SCHEMA_REGISTRY_URL: 'http://unused', ROUTER_API_KEYS: '{}', ...REAL_TRAFFIC_ENV, ...process.env };
const wb = loadAvailable();
const split = splitTasks(wb, splitFor(wb, !process.argv.includes('--full')));
const { steps } = learningSteps(wb, split.learningRuns);
const { trajectories } = segmentSteps(steps.map((s) => AgentStepSchema.parse(s)), { policyFor: () => segmenterPolicyFrom(SegmenterEnv.parse(env)), idleMs: Number.MAX_SAFE_INTEGER, maxPendingPerSession: 100_000 });
const inducerEnv = InducerEnv.parse(env);
const policy = { ...inducerPolicyFrom(inducerEnv), ...inducerEnv.INDUCER_OVERRIDES[TENANT] };
const templates = induceTemplates(trajectories, () => policy);
const routerConfig = RouterConfigSchema.parse(env);
const embedder = embedderFor(routerConfig);
const core = new RouterCore({ embedder, policies: new Policies(routerConfig.ROUTER_TENANT_POLICIES, calibrationFor(embedder.id)), sink: discard });
await core.applyRecords(templates.map((value, i) => ({ key: value.templateId, value, partition: 0, offset: String(i) })));
const runsOf = new Map<string, AgentRun[]>();
for (const r of wb.runs) runsOf.set(r.taskId, [...(runsOf.get(r.taskId) ?? []), r]);

const perTemplate = new Map<string, { answered: number; correct: number; outcomes: Map<string, number> }>();
for (const task of split.learn) {
  const served = await serveTask(wb, core, task);
  const row = scoreTask(wb, served, runsOf.get(task.taskId) ?? [], false);
  if (!row.templateId) continue;
  const e = perTemplate.get(row.templateId) ?? { answered: 0, correct: 0, outcomes: new Map() };
  e.answered++;
  if (row.outcome === 'correct') e.correct++;
  e.outcomes.set(row.outcome, (e.outcomes.get(row.outcome) ?? 0) + 1);
  perTemplate.set(row.templateId, e);
}
const short = (name: string) => name.replace(/[a-z_]+\./g, '');
console.log('| template | status | confidence | learning tasks answered | right state | outcomes |\n|---|---|---|---|---|---|');
for (const t of [...templates].sort((a, b) => (perTemplate.get(b.templateId)?.correct ?? 0) - (perTemplate.get(a.templateId)?.correct ?? 0))) {
  const e = perTemplate.get(t.templateId);
  if (!e) continue;
  console.log(`| ${short(t.name)} | ${t.status} | ${t.confidence.toFixed(2)} | ${e.answered} | ${e.correct} | ${[...e.outcomes].map(([k, v]) => `${k} ${v}`).join(', ')} |`);
}
