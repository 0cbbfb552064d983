// Diagnosis (not the benchmark): why a held-out task of a seen task template got `plan`. The
// suite's split and learning in-process (as offline-loop.ts), then per seen task template:
// the templates whose trigger examples or lineage hold its learning tasks (status, conflicting
// tasks), and per held-out task answered plan, the answer's reason and the closest candidates.
// Run: npx tsx test/bench/real-traffic/diagnose-serve.ts [--full] [--template text]
import { induceTemplates } from '@praxis/inducer';
import { TASK_TIME_MS } from './dataset.js';
import { AGENT, TENANT } from './learn.js';
import { offlineLearning, offlineRouter } from './offline.js';

const only = process.argv.includes('--template') ? process.argv[process.argv.indexOf('--template') + 1] : undefined;
const { wb, split, trajectories, policy } = offlineLearning({ quick: !process.argv.includes('--full') });
const templates = induceTemplates(trajectories, () => policy);
const { core } = await offlineRouter(templates);

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
