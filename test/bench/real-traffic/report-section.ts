// The real-traffic part of what `pnpm bench` leaves behind: the comparison table for
// docs/performance.md and the bars for the chart, both from the recorded measurements.
import type { MeasuredFigure, SuiteResult } from '../report.js';

const SUITE = 'real-traffic';

/** A recorded median; NaN (no such answers) comes back from JSON as null. */
const median = (m: MeasuredFigure | undefined): number | null => (m === undefined || m.summary.median === null || Number.isNaN(m.summary.median) ? null : m.summary.median);
const fmt = (m: MeasuredFigure | undefined) => {
  const v = median(m);
  return v === null ? '-' : `${v.toFixed(1)}${m!.unit === '%' ? '%' : ` ${m!.unit}`}`;
};

/** The agents' own rates and Praxis's, as chart bars. */
export function realTrafficBars(results: SuiteResult[]): { group: string; series: string; value: number }[] {
  const suite = results.find((r) => r.suite === SUITE);
  if (!suite) return [];
  return suite.measurements
    .filter((m) => m.name === 'real_traffic.praxis_correct' || m.name.startsWith('real_traffic.agent.'))
    .map((m) => ({ group: m.name === 'real_traffic.praxis_correct' ? 'Praxis-served' : m.label.replace(/^correct, /, '').replace(/ own run \(same tasks\)$/, '').replace(' tools)', ')'), series: 'correct %', value: median(m) ?? 0 }));
}

/** The "Real traffic" section of docs/performance.md. */
export function realTrafficSection(results: SuiteResult[]): string[] {
  const suite = results.find((r) => r.suite === SUITE);
  if (!suite) return [];
  const by = (name: string) => suite.measurements.find((m) => m.name === `real_traffic.${name}`);
  const praxis = by('praxis_correct');
  const agents = suite.measurements.filter((m) => m.name.startsWith('real_traffic.agent.'));
  const lines = [
    '## Real traffic (WorkBench)',
    '',
    `Measured ${suite.date.slice(0, 10)} by \`pnpm bench real-traffic\` under the protocol of docs/real-traffic.md: learned through import -> Kafka -> segmenter -> inducer -> router from real agents' runs of half of each seen template's tasks; the other half looked up and every answer executed in the WorkBench sandbox port, with no model (unbound slots fail). Per-task table: \`test/bench/results/real-traffic-tasks.json\`.`,
    '',
    '| on the same held-out tasks | correct outcome |',
    '|---|---|',
    `| **${praxis?.label.replace(/^correct, /, '') ?? 'Praxis-served'}** | **${fmt(praxis)}** |`,
    ...agents.map((m) => `| ${m.label.replace(/^correct, /, '')} | ${fmt(m)} |`),
    '',
    '| figure | value | target |',
    '|---|---|---|',
  ];
  for (const name of ['reuse_precision', 'plan_rate_unseen', 'hint_coverage', 'tier_reuse', 'tier_rewrite', 'tier_plan', 'unbound_slots', 'tool_errors', 'wrong_state', 'templates', 'learn_ms']) {
    const m = by(name);
    if (m) lines.push(`| ${m.label} | ${fmt(m)} | ${m.notes?.match(/target [^;]+/)?.[0] ?? ''} |`);
  }
  lines.push('', 'Each change\'s before and after (full and `--quick`), with the causes counted on the per-task table: docs/real-traffic.md, "What the tuning changed" and "Learning coverage: evidence counted by task".', '');
  return lines;
}
