// Diagnosis (not the benchmark): per task kind of the learning runs, the tasks its structure
// failed at that some other run got right (the strict notion of conflicting evidence, before
// conflicts.ts clears the tasks another learned workflow got right), with the calls of the runs
// that succeeded and of this kind's runs that failed. Run:
// npx tsx test/bench/real-traffic/diagnose-conflicts.ts [--full]
import { collapsedRun, learnKinds, summarise as summariseTrajectory } from '@praxis/inducer';
import { offlineLearning } from './offline.js';
const { wb, trajectories, policy } = offlineLearning({ quick: !process.argv.includes('--full') });
const ring = trajectories.map((t, i) => summariseTrajectory(t, 0, i));
const tplOf = new Map(wb.tasks.map((t) => [t.query, t.template]));
const short = (t: string) => t.replace(/^[a-z_]+\./, '');
const seq = (i: number) => collapsedRun(ring[i]!, policy).map((e) => short(e.tool) + (e.count > 1 ? 'x' + e.count : '')).join(' > ') || '(none)';
const byTask = new Map<string, number[]>();
ring.forEach((s, i) => byTask.set(s.taskKey, [...(byTask.get(s.taskKey) ?? []), i]));
for (const k of learnKinds(ring, policy)) {
  const name = k.structure.map((s) => `${s.optional ? '[' : ''}${short(s.tool)}${s.repeated ? '*' : ''}${s.optional ? ']' : ''}`).join(' > ');
  const tasks = new Map<string, boolean>();
  for (const i of k.instances) tasks.set(i.summary.taskKey, (tasks.get(i.summary.taskKey) ?? false) || i.summary.success);
  const ok = [...tasks.values()].filter(Boolean).length;
  const conflicts = [...tasks].filter(([t, s]) => !s && byTask.get(t)!.some((i) => ring[i]!.success));
  console.log(`\n# ${name}: tasks ${tasks.size}, succeeded ${ok}, conflicting ${conflicts.length}`);
  for (const [t] of conflicts) {
    const idx = byTask.get(t)!;
    console.log(`  - ${(tplOf.get(ring[idx[0]!]!.query ?? '') ?? '?').slice(0, 90)}`);
    console.log(`    ok: ${idx.filter((i) => ring[i]!.success).map(seq).join(' | ')}`);
    console.log(`    failed here: ${k.instances.filter((i) => i.summary.taskKey === t).map((i) => seq(ring.indexOf(i.summary))).join(' | ')}`);
  }
}
