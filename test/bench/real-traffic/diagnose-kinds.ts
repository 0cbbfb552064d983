// Diagnosis (not the benchmark): per seen task template, the learning runs' collapsed call
// sequences with their verifier labels, and whether the inducer's kinds took them. Run:
// npx tsx test/bench/real-traffic/diagnose-kinds.ts [--quick] [--template text]
import { collapsedRun, kindsOf, summarise as summariseTrajectory } from '@praxis/inducer';
import { TENANT } from './learn.js';
import { offlineLearning } from './offline.js';

const quick = process.argv.includes('--quick');
const only = process.argv.includes('--template') ? process.argv[process.argv.indexOf('--template') + 1] : undefined;
const { wb, trajectories, policy } = offlineLearning({ quick });
const summaries = trajectories.map((t, i) => summariseTrajectory(t, 0, i));
const collapsed = summaries.map((s) => collapsedRun(s, policy));
const kinds = kindsOf(collapsed, { minSupport: policy.minSupport, minSteps: policy.minStepsToLearn, maxSteps: policy.maxPatternLength });
const kindOf = new Map<number, string>();
for (const k of kinds) for (const m of k.members) kindOf.set(m, k.core.join('>'));
const templateOfQuery = new Map(wb.tasks.map((t) => [t.query, t.template]));
const short = (t: string) => t.replace(/^[a-z_]+\./, '');
const byTemplate = new Map<string, number[]>();
summaries.forEach((s, i) => {
  const tpl = templateOfQuery.get(s.query ?? '') ?? '?';
  byTemplate.set(tpl, [...(byTemplate.get(tpl) ?? []), i]);
});
for (const [tpl, idx] of [...byTemplate.entries()].sort()) {
  if (only && !tpl.includes(only)) continue;
  const ok = idx.filter((i) => summaries[i]!.success);
  console.log(`\n## ${tpl}\n  runs ${idx.length}, successful ${ok.length}, tasks ${new Set(idx.map((i) => summaries[i]!.query)).size}`);
  const shapes = new Map<string, { ok: number; all: number; kinds: Set<string> }>();
  for (const i of idx) {
    const k = collapsed[i]!.map((e) => `${short(e.tool)}${e.count > 1 ? `x${e.count}` : ''}`).join(' > ') || '(no calls)';
    const s = shapes.get(k) ?? { ok: 0, all: 0, kinds: new Set() };
    s.all++;
    if (summaries[i]!.success) s.ok++;
    s.kinds.add(kindOf.has(i) ? kindOf.get(i)!.split('>').map(short).join('>') : '-');
    shapes.set(k, s);
  }
  for (const [k, s] of [...shapes.entries()].sort((a, b) => b[1].ok - a[1].ok || b[1].all - a[1].all)) console.log(`  ${s.ok}/${s.all}  ${k}   kind: ${[...s.kinds].join(' | ')}`);
}

if (process.argv.includes('--kinds')) {
  const { learnKinds, Inducer } = await import('@praxis/inducer');
  console.log('\n# kinds (learnKinds over the whole horizon)');
  for (const k of learnKinds(summaries, policy)) {
    const ok = k.instances.filter((i) => i.summary.success).length;
    const tpls = new Map<string, number>();
    for (const i of k.instances) tpls.set(templateOfQuery.get(i.summary.query ?? '') ?? '?', (tpls.get(templateOfQuery.get(i.summary.query ?? '') ?? '?') ?? 0) + 1);
    console.log(`  ${k.structure.map((s) => `${s.optional ? '[' : ''}${short(s.tool)}${s.repeated ? '*' : ''}${s.optional ? ']' : ''}`).join(' > ')}: ${ok}/${k.instances.length} from ${tpls.size} task templates${k.variant ? `\n    sub-kind ${k.variant}` : ''}`);
    if (k.variant || process.argv.includes('--templates')) for (const [t, n] of [...tpls.entries()].sort((a, b) => b[1] - a[1])) console.log(`      ${n} ${t.slice(0, 100)}`);
  }
  const inducer = new Inducer(() => policy);
  trajectories.forEach((t, i) => inducer.applyTrajectory(t, 0, i));
  console.log('\n# candidates (status)');
  for (const c of inducer.induce(`${TENANT}/workbench-assistant`)) console.log(`  ${c.content.status} ${c.content.name.split(' > ').map(short).join(' > ')} support ${c.content.stats.support} ok ${c.content.stats.successes} conf ${c.content.confidence.toFixed(2)} ${c.content.statusReason}`);
}
