// Diagnosis (not the benchmark): conditional steps on the full split. First the kinds the
// inducer merged with a condition (conditions.ts, over the whole horizon), then, per
// conditional task template (its text has "if" or "otherwise"), its successful learning runs
// grouped by call sequence and each pair with a shared start given to learnCondition, with runs
// (r) and tasks (t) per sequence: what a condition would be if kinds were per task template.
// Reads the task templates of the learning runs (diagnosis only). Run:
// npx tsx test/bench/real-traffic/diagnose-conditions.ts
import { collapsedRun, learnCondition, learnKinds, summarise as summariseTrajectory, type Instance } from '@praxis/inducer';
import { offlineLearning } from './offline.js';
const { wb, trajectories, policy } = offlineLearning({ quick: false });
const summaries = trajectories.map((t, i) => summariseTrajectory(t, 0, i));
const templateOfQuery = new Map(wb.tasks.map((t) => [t.query, t.template]));
const short = (t: string) => t.replace(/^[a-z_]+\./, '');
console.log('# kinds merged with a condition');
for (const k of learnKinds(summaries, policy)) {
  if (!k.structure.some((s) => s.condition)) continue;
  const ok = k.instances.filter((i) => i.summary.success).length;
  console.log(`  ${k.structure.map((s) => `${s.optional ? '[' : ''}${short(s.tool)}${s.condition ? ` ${JSON.stringify(s.condition)}` : ''}${s.optional ? ']' : ''}`).join(' > ')}: ${ok}/${k.instances.length} runs successful`);
}
console.log('\n# per conditional task template');
const by = new Map<string, typeof summaries>();
for (const s of summaries) if (s.success) { const t = templateOfQuery.get(s.query ?? '') ?? '?'; by.set(t, [...(by.get(t) ?? []), s]); }
for (const [tpl, runs] of by) {
  if (!/(^|\W)(if|otherwise)\W/i.test(tpl)) continue;
  const shapes = new Map<string, { tools: string[]; inst: Instance[] }>();
  for (const s of runs) {
    const c = collapsedRun(s, policy);
    if (c.length === 0) continue;
    const k = c.map((e) => e.tool).join('>');
    const inst: Instance = { summary: s, at: c.map((e) => s.mined[e.from + e.count - 1]!), iters: c.map((e) => [s.mined[e.from + e.count - 1]!]) };
    const x = shapes.get(k) ?? { tools: c.map((e) => e.tool), inst: [] };
    x.inst.push(inst); shapes.set(k, x);
  }
  const list = [...shapes.values()];
  const found: string[] = [];
  for (const a of list) for (const b of list) {
    if (a === b) continue;
    let p = 0; while (p < a.tools.length && p < b.tools.length && a.tools[p] === b.tools[p]) p++;
    if (p === 0 || p === b.tools.length || (p < a.tools.length && a.tools.join() > b.tools.join())) continue;
    const c = learnCondition(p, a.inst, b.inst);
    const tasks = (xs: readonly Instance[]) => new Set(xs.map((i) => i.summary.taskKey)).size;
    found.push(`${a.tools.map(short).join('>')}(${a.inst.length}r/${tasks(a.inst)}t) vs ${b.tools.map(short).join('>')}(${b.inst.length}r/${tasks(b.inst)}t): ${c ? `${c.agreeing}/${c.runs} step ${c.step} has ${c.has}` : 'none'}`);
  }
  if (found.length) console.log(`## ${tpl}\n  ${found.join('\n  ')}`);
}
