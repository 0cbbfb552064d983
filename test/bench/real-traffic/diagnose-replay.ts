// Diagnosis (not the benchmark): what a verifier replaying the learned templates on the tasks
// they were learned from would report. Learning as offline-loop.ts, then every learning task is
// served and its answer executed in the sandbox and scored against that learning task's own
// outcome rule (labels of the learning split, which learning may read; no held-out task is
// served). Per template: the learning tasks it answered, how many ended in the right state, and
// the template's status and confidence. In-sample: an upper bound on what the same template
// does on new tasks of its kind. Run: npx tsx test/bench/real-traffic/diagnose-replay.ts [--full]
import { induceTemplates } from '@praxis/inducer';
import { scoreTask } from './figures.js';
import { offlineLearning, offlineRouter, runsByTask } from './offline.js';
import { serveTask } from './serve.js';

const { wb, split, trajectories, policy } = offlineLearning({ quick: !process.argv.includes('--full') });
const templates = induceTemplates(trajectories, () => policy);
const { core } = await offlineRouter(templates);
const runsOf = runsByTask(wb);

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
