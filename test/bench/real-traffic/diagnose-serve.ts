// Diagnosis (not the benchmark): why a held-out task of a seen task template got `plan`. The
// suite's split and learning in-process (as offline-loop.ts), then per seen task template:
// the templates whose trigger examples or lineage hold its learning tasks (status, conflicting
// tasks), and per held-out task answered plan, the answer's reason and the closest candidates.
// Run: npx tsx test/bench/real-traffic/diagnose-serve.ts [--full] [--template text]
import { inducerPolicyFrom, InducerEnv, induceTemplates } from '@praxis/inducer';
import { calibrationFor, Policies, RouterConfigSchema, RouterCore, type RouterSink } from '@praxis/router';
import { AgentStepSchema } from '@praxis/schemas';
import { segmentSteps, segmenterPolicyFrom, SegmenterEnv } from '@praxis/segmenter';
import { embedderFor } from '../../../services/router/src/service.js';
import { REAL_TRAFFIC_ENV, splitFor } from '../suites/real-traffic.js';
import { TASK_TIME_MS, loadAvailable } from './dataset.js';
import { AGENT, learningSteps, TENANT } from './learn.js';
import { splitTasks } from './split.js';

const discard: RouterSink = { writeTemplates: async () => undefined, writeFeedback: async () => undefined };
const only = process.argv.includes('--template') ? process.argv[process.argv.indexOf('--template') + 1] : undefined;
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

const templateOfQuery = new Map(wb.tasks.map((t) => [t.query, t.template]));
const queryOfTrajectory = new Map(trajectories.map((t) => [t.trajectoryId, t.query ?? '']));
const short = (name: string) => name.replace(/[a-z_]+\./g, '');
const byTemplate = new Map<string, string[]>();
for (const tpl of templates) {
  const inTriggers = new Set(tpl.triggerExamples.map((q) => templateOfQuery.get(q) ?? '?'));
  const inLineage = new Set(tpl.lineage.map((l) => templateOfQuery.get(queryOfTrajectory.get(l.trajectoryId) ?? '') ?? '?'));
  for (const task of new Set([...inTriggers, ...inLineage])) {
    byTemplate.set(task, [...(byTemplate.get(task) ?? []), `${tpl.status} ${short(tpl.name)} (conflicting ${tpl.conflictingTasks ?? 0}, triggers ${inTriggers.has(task) ? 'yes' : 'no'}, ${tpl.triggerExamples.length} examples)`]);
  }
}
for (const taskTemplate of [...new Set(split.heldOut.map((t) => t.template))].sort()) {
  if (only && !taskTemplate.includes(only)) continue;
  const tasks = split.heldOut.filter((t) => t.template === taskTemplate);
  const answers = await Promise.all(tasks.map((t) => core.lookup(TENANT, { query: t.query, agentId: AGENT, referenceTimeMs: TASK_TIME_MS, timeZone: 'UTC', maxAlternatives: 5 })));
  const planned = answers.filter((a) => a.tier === 'plan').length;
  if (planned === 0 && !only) continue;
  console.log(`\n## ${taskTemplate}\n  plan ${planned}/${tasks.length}; learned in: ${(byTemplate.get(taskTemplate) ?? ['nothing']).join(' | ')}`);
  answers.forEach((a, i) => {
    if (a.tier !== 'plan' && !only) return;
    console.log(`  - ${a.tier} ${a.similarity.toFixed(2)} "${tasks[i]!.query.slice(0, 90)}"\n    ${a.reason.slice(0, 220)}\n    near: ${a.alternatives.map((x) => `${short(x.name)} ${x.similarity.toFixed(2)}`).join('; ')}`);
  });
}
