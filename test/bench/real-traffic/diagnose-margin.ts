// Diagnosis (not the benchmark): what the router's best candidate would do for every held-out
// task if the rewrite band were open from 0. The suite's split and learning in-process (as
// offline-loop.ts); each task looked up with rewriteSimilarity 0, executed and scored, and
// written as one JSON line with the features a tier rule could read: the similarity (and the
// cosine before the unbound-slot penalty), the query slots left unbound, the required slots
// missing, the best similarity of a candidate with another tool sequence, and the outcome.
// Scoring reads the ground truth; the features do not.
// Run: npx tsx test/bench/real-traffic/diagnose-margin.ts [--full] --out FILE
import { writeFileSync } from 'node:fs';
import { induceTemplates } from '@praxis/inducer';
import { scoreTask } from './figures.js';
import { offlineLearning, offlineRouter, runsByTask } from './offline.js';
import { serveTask } from './serve.js';

const out = process.argv[process.argv.indexOf('--out') + 1];
if (!process.argv.includes('--out') || !out) throw new Error('usage: diagnose-margin.ts [--full] --out FILE');
// run it with ROUTER_TENANT_POLICIES='{"*": {"rewriteSimilarity": 0}}' (the env is read when offline.ts is imported)
const { wb, split, trajectories, policy } = offlineLearning({ quick: !process.argv.includes('--full') });
const templates = induceTemplates(trajectories, () => policy);
const signature = new Map(templates.map((t) => [t.templateId, t.signature.join('>')]));
const { core } = await offlineRouter(templates);
const runsOf = runsByTask(wb);
const lines: string[] = [];
for (const [tasks, unseen] of [[split.heldOut, false], [split.unseen, true]] as const) {
  for (const task of tasks) {
    const served = await serveTask(wb, core, task);
    const row = scoreTask(wb, served, runsOf.get(task.taskId) ?? [], unseen);
    const a = served.answer;
    const top = a.templateId ?? a.alternatives[0]?.templateId ?? null;
    const other = a.alternatives.filter((x) => x.templateId !== top && signature.get(x.templateId) !== signature.get(top ?? ''));
    const cosine = /the cosine ([0-9.]+) lowered/.exec(a.reason)?.[1];
    lines.push(JSON.stringify({
      taskId: task.taskId, template: task.template, query: task.query, unseen, tier: a.tier, outcome: row.outcome,
      similarity: a.similarity, cosine: cosine ? Number(cosine) : a.similarity, top, signature: signature.get(top ?? '') ?? null,
      missing: a.workflow?.missingSlots ?? null, toGenerate: a.toGenerate.map((s) => s.name), unboundNote: /lowered for (\d+) of (\d+)/.exec(a.reason)?.slice(1).map(Number) ?? null,
      otherBest: other[0]?.similarity ?? 0, alternatives: a.alternatives.map((x) => [signature.get(x.templateId), Math.round(x.similarity * 1000) / 1000]),
      heldBack: a.reason.includes('conflicting evidence'), reason: a.reason.slice(0, 200),
    }));
  }
}
writeFileSync(out, lines.join('\n') + '\n');
console.log(`${lines.length} tasks -> ${out}`);
