// Diagnosis (not the benchmark): the learning trajectories of one task template as the
// segmenter built them: per run its query and outcome, and each call with its arguments and
// the dataflow links of its parameters (origin, step, path, element rules). Run:
// npx tsx test/bench/real-traffic/diagnose-runs.ts --template text [--all]
import { offlineLearning } from './offline.js';

const only = process.argv[process.argv.indexOf('--template') + 1] ?? '';
const { wb, trajectories } = offlineLearning({ quick: false });
const templateOfQuery = new Map(wb.tasks.map((t) => [t.query, t.template]));
for (const t of trajectories) {
  if (!(templateOfQuery.get(t.query ?? '') ?? '').includes(only)) continue;
  const ok = t.outcome === 'SUCCEEDED' || (t.outcome !== 'FAILED' && !t.steps.some((s) => s.status !== 'OK'));
  if (!ok && !process.argv.includes('--all')) continue;
  console.log(`\n${ok ? 'OK ' : 'BAD'} ${t.outcome} ${t.query}`);
  for (const s of t.steps) {
    const links = (s.dataflow ?? []).map((d) => `${d.paramPath}<-${d.origin}${d.stepIndex ?? ''}${d.path ? `:${d.path}` : ''}${'select' in d && d.select ? `{${(d.select as string[]).join(',')}}` : ''}`);
    console.log(`  ${s.toolName}(${s.parametersJson}) ${s.status} ${links.join(' ')}`);
  }
}
