// What `pnpm bench` leaves behind: test/bench/results/latest.json (the latest figures of
// every suite, each with the date it was measured), latest.svg (the key figures as charts,
// drawn with vega) and the key table in docs/performance.md.
import * as vega from 'vega';
import type { Measurement, Summary } from './harness.js';
import { realTrafficBars, realTrafficSection } from './real-traffic/report-section.js';
import { semanticSection } from './semantic/report.js';
import { oppositesSection } from './router-quality/opposites-report.js';
import { scalingSection } from './scaling-report.js';

export interface MeasuredFigure extends Measurement {
  summary: Summary;
  ratioToBaseline?: number;
}

export interface SuiteResult {
  suite: string;
  title: string;
  date: string;
  measurements: MeasuredFigure[];
}

export interface BenchReport {
  date: string;
  machine: { cpus: number; cpuModel?: string; memoryGiB: number; node: string; platform: string };
  options: { quick: boolean; repeats: number };
  results: SuiteResult[];
}

/** The new results, plus the latest results of the suites not run this time. */
export function mergeResults(previous: BenchReport | null, current: BenchReport): BenchReport {
  const ran = new Set(current.results.map((r) => r.suite));
  const carried = (previous?.results ?? []).filter((r) => !ran.has(r.suite)).map((r) => ({ ...r, date: r.date ?? previous!.date }));
  return { ...current, results: [...current.results, ...carried] };
}

const find = (report: BenchReport, name: string) => report.results.flatMap((r) => r.measurements).find((m) => m.name === name);

const fmt = (n: number | undefined, unit = '') => {
  if (n === undefined || Number.isNaN(n)) return '-';
  const v = Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
  return `${Number(v).toLocaleString('en-US', { maximumFractionDigits: 3 })}${unit ? ` ${unit}` : ''}`;
};

/** One grouped bar chart as an SVG string (vega, rendered headless). */
async function barChart(title: string, unit: string, rows: { group: string; series: string; value: number }[]): Promise<string> {
  const spec: vega.Spec = {
    width: 420,
    height: 180,
    padding: 8,
    title: { text: title, fontSize: 13 },
    data: [{ name: 't', values: rows }],
    scales: [
      { name: 'x', type: 'band', domain: { data: 't', field: 'group' }, range: 'width', padding: 0.25 },
      { name: 'y', type: 'linear', domain: { data: 't', field: 'value' }, range: 'height', nice: true, zero: true },
      { name: 'c', type: 'ordinal', domain: { data: 't', field: 'series' }, range: ['#9aa5b1', '#2b6cb0', '#38a169', '#dd6b20'] },
    ],
    axes: [
      { orient: 'bottom', scale: 'x' },
      { orient: 'left', scale: 'y', title: unit, grid: true },
    ],
    legends: [{ fill: 'c', orient: 'right' }],
    marks: [
      {
        type: 'group',
        from: { facet: { data: 't', name: 'f', groupby: 'group' } },
        encode: { enter: { x: { scale: 'x', field: 'group' } } },
        // the inner scale's range is the group's own width: the signal must be called `width`
        signals: [{ name: 'width', update: "bandwidth('x')" }],
        scales: [{ name: 'inner', type: 'band', range: 'width', domain: { data: 'f', field: 'series' } }],
        marks: [
          {
            type: 'rect',
            from: { data: 'f' },
            encode: {
              enter: {
                x: { scale: 'inner', field: 'series' },
                width: { scale: 'inner', band: 1 },
                y: { scale: 'y', field: 'value' },
                y2: { scale: 'y', value: 0 },
                fill: { scale: 'c', field: 'series' },
              },
            },
          },
        ],
      },
    ],
  };
  return new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG();
}

/** The key figures as one SVG: charts stacked, each only when its suite has run. */
export async function chart(report: BenchReport): Promise<string> {
  const panels: string[] = [];
  const bands = ['high', 'medium', 'low', 'all'];
  const band = (metric: string) => bands.map((b) => find(report, `closed_loop.${b}.${metric}`)?.summary.median);
  const tb = band('tokens_baseline');
  const tp = band('tokens_praxis');
  if (tb.some((v) => v !== undefined)) {
    panels.push(
      await barChart('Closed loop: planning tokens per task, by similarity band', 'tokens', bands.flatMap((b, i) => [
        { group: b, series: 'plans every task', value: tb[i] ?? 0 },
        { group: b, series: 'with Praxis', value: tp[i] ?? 0 },
      ])),
    );
    const sb = band('success_baseline');
    const sp = band('success_praxis');
    panels.push(
      await barChart('Closed loop: task success rate, by similarity band', '%', bands.flatMap((b, i) => [
        { group: b, series: 'plans every task', value: sb[i] ?? 0 },
        { group: b, series: 'with Praxis', value: sp[i] ?? 0 },
      ])),
    );
  }
  const raw = find(report, 'pipeline.raw_kafkajs');
  if (raw) {
    panels.push(
      await barChart('Pipeline throughput on this machine', 'steps/s', [
        { group: 'raw kafkajs', series: 'steps/s', value: raw.summary.median },
        { group: 'Praxis ingest', series: 'steps/s', value: find(report, 'pipeline.ingest')?.summary.median ?? 0 },
        { group: 'Praxis end to end', series: 'steps/s', value: find(report, 'pipeline.end_to_end')?.summary.median ?? 0 },
      ]),
    );
  }
  const sizes = ['1k', '10k', '100k'];
  if (sizes.some((k) => find(report, `router.lookup_rate_p99_${k}`))) {
    panels.push(
      await barChart('Router lookup latency at 200 req/s, by templates indexed', 'ms', sizes.flatMap((k) => [
        { group: k, series: 'GET /healthz p99', value: find(report, `router.healthz_rate_p99_${k}`)?.summary.median ?? 0 },
        { group: k, series: 'lookup p50', value: find(report, `router.lookup_rate_p50_${k}`)?.summary.median ?? 0 },
        { group: k, series: 'lookup p99', value: find(report, `router.lookup_rate_p99_${k}`)?.summary.median ?? 0 },
      ])),
    );
  }
  const real = realTrafficBars(report.results);
  if (real.length) panels.push(await barChart('Real traffic (WorkBench): correct outcome on the same held-out tasks', '%', real));
  const height = 260;
  const body = panels
    .map((svg, i) => svg.replace('<svg ', `<svg x="0" y="${i * height}" `))
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="680" height="${Math.max(1, panels.length) * height}" style="background:white">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
}

/** The key figures that go into docs/performance.md, in order, when measured. */
const KEY_FIGURES: { name: string }[] = [
  { name: 'closed_loop.high.tokens_praxis' },
  { name: 'closed_loop.medium.tokens_praxis' },
  { name: 'closed_loop.low.tokens_praxis' },
  { name: 'closed_loop.all.tokens_praxis' },
  { name: 'closed_loop.high.success_praxis' },
  { name: 'closed_loop.medium.success_praxis' },
  { name: 'closed_loop.all.success_praxis' },
  { name: 'closed_loop.medium.success_gain' },
  { name: 'closed_loop.all.latency_praxis' },
  { name: 'closed_loop.all.rewrite_unbound' },
  { name: 'pipeline.ingest' },
  { name: 'pipeline.end_to_end' },
  { name: 'latency.learn_p50' },
  { name: 'latency.learn_p99' },
  { name: 'latency.learn_default_p50' },
  { name: 'latency.learn_default_p99' },
  { name: 'router.lookup_rate_p50_1k' },
  { name: 'router.lookup_rate_p99_1k' },
  { name: 'router.lookup_rate_p50_10k' },
  { name: 'router.lookup_rate_p99_10k' },
  { name: 'router.lookup_rate_p50_100k' },
  { name: 'router.lookup_rate_p99_100k' },
  { name: 'router.lookup_rps_100k' },
  { name: 'router.wb_top1_fused' },
  { name: 'router.wb_not_plan_fused' },
  { name: 'router.wb_unseen_plan_fused' },
  { name: 'router.scale_lookup_p99_100k_fused' },
  { name: 'router.restart_ready_fused' },
  { name: 'router.publish_to_served' },
  { name: 'sdk.record_per_step' },
  { name: 'executor.startup' },
  { name: 'segmenter.steps_per_s' },
  { name: 'inducer.steps_per_s' },
  { name: 'kafka.segmenter_steps_per_s' },
  { name: 'segmenter.heap_mib_per_10k_sessions' },
  { name: 'analytics.writer_rows_per_s' },
  { name: 'analytics.end_to_end_rows_per_s' },
  { name: 'restore.replay_100d_ms' },
  { name: 'restore.takeover_100d_ms' },
  { name: 'restore.heap_per_10k_agents_mib' },
];

/** docs/performance.md: machine, date, the key table, and where the rest is. */
export function performanceDoc(report: BenchReport): string {
  const { machine } = report;
  const lines = [
    '# Performance',
    '',
    '<!-- Written by `pnpm bench` (test/bench/report.ts); edit the generator, not this file. -->',
    '',
    `Latest figures of \`pnpm bench\`, on ${machine.cpus} × ${machine.cpuModel ?? 'CPU'}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}.`,
    'The machine is shared and noisy: each figure is the median of repeated runs, with [min .. max], and, where it has one, its ratio to a baseline measured in the same run.',
    'Every figure is in `test/bench/results/latest.json`; the charts are in `test/bench/results/latest.svg`.',
    '',
    '| figure | median | [min .. max] | n | vs baseline (same run) | measured |',
    '|---|---|---|---|---|---|',
  ];
  // the first suite that has a figure wins, as in `all.find` below (a suite's part, e.g. pipeline-throughput, shares its names)
  const suiteDate = new Map(report.results.flatMap((r) => r.measurements.map((m) => [m.name, r.date ?? report.date] as const)).reverse());
  const all = report.results.flatMap((r) => r.measurements);
  for (const key of KEY_FIGURES) {
    const m = all.find((x) => x.name === key.name);
    if (!m) continue;
    const base = m.baseline ? all.find((x) => x.name === m.baseline) : undefined;
    const ratio = m.ratioToBaseline === undefined || !Number.isFinite(m.ratioToBaseline) ? '' : `x${m.ratioToBaseline.toFixed(2)} of ${base?.label ?? m.baseline} (${fmt(base?.summary.median, base?.unit)})`;
    lines.push(`| ${m.label} | ${fmt(m.summary.median, m.unit)} | [${fmt(m.summary.min)} .. ${fmt(m.summary.max)}] | ${m.summary.n} | ${ratio} | ${(suiteDate.get(m.name) ?? report.date).slice(0, 10)} |`);
  }
  lines.push('', ...realTrafficSection(report.results));
  lines.push(...semanticSection(all));
  lines.push('', ...oppositesSection(report));
  lines.push(...scalingSection(report));
  lines.push(
    '## Reading the figures',
    '',
    '- **Closed loop** (tokens, success, latency by similarity band): the tokens are counted by a real tokenizer over the prompts each strategy sends, the router, executor, tools and learned templates are real, and the LLM behaviour (mistakes, recovery) and LLM latency are modelled. docs/closed-loop.md has the model, its parameters, the sensitivity of the success gap to the recovery rate, and the comparison with WorkflowGen.',
    '- **Pipeline throughput** is the fleet\'s steps recorded through `Recorder.record()` and carried by real Kafka through the segmenter, inducer and analytics sink into ClickHouse 18.16, all on the same 2 cores as the broker, registry and ClickHouse. The raw baseline only produces and consumes the same messages. The sink\'s ClickHouse inserts and the commit-after-acknowledgement chain are the main difference; "every trajectory closed" includes the 1.5 s idle close of the last sessions.',
    '- **Kafka -> sink -> ClickHouse** is the analytics sink fetching, decoding, validating and mapping the records already in Kafka and writing them in its own batches (10,000 rows), against a raw `@clickhouse/client` insert of the same rows in the same batches, alternating which side goes first. The sink writes one batch while it decodes the next and writes the raw tables of a batch concurrently; docs/analytics.md (Figures, and where the sink lost against a raw insert) has both runs of 2026-12-02 and the causes.',
    '- **Learning latency** is set by the segmenter\'s own rule, not by Kafka. A trajectory is emitted only when its partition\'s event time is the allowed lateness past its end, or when the session goes idle (`SEGMENTER_IDLE_MS`, log clock), whichever comes first (docs/learning.md). With lateness 2 s, about 0.35 s of the median is Praxis\'s own work (the 3-hop relay baseline is a few ms). With lateness 60 s, as here, most tasks still close by the 3 s idle rule (median), and the tail waits for the 60 s lateness (p99). With the shipped idle close (5 min) and steady traffic, expect the lateness: about a minute.',
    '- **Router latency under load** comes from autocannon in the same process as the router, on loopback. `GET /healthz` under the same load is the HTTP floor; autocannon reports whole milliseconds, so a floor of 0 ms gives no ratio.',
    '',
    'Run them again with `pnpm bench` (all suites, a quarter of an hour on 2 cores) or `pnpm bench <suite>` (`learning`, `analytics`, `router`, `router-scale`, `closed-loop`, `pipeline`, `pipeline-throughput`, `pipeline-processes`, `members`, `runtime-consume`, `real-traffic`); `--quick` for smaller workloads.',
    'What each suite measures and how to read it: docs/real-traffic.md (real traffic), docs/closed-loop.md (the closed loop), docs/learning.md, docs/analytics.md, docs/router.md, docs/sdk.md.',
    '',
  );
  return lines.join('\n');
}
