// pnpm bench [suite-id ...] [--quick] [--repeats N] | pnpm bench --render
// Runs the suites, prints median / min / max and the ratio against each baseline, and writes
// everything measured to test/bench/results/latest.json (plus a dated copy).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ensureStack, type StackEndpoints } from '@praxis/cli/stack';
import { summarize, type BenchContext } from './harness.js';
import { chart, mergeResults, performanceDoc, type BenchReport, type SuiteResult } from './report.js';
import { suites } from './suites/index.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { quick: { type: 'boolean', default: false }, repeats: { type: 'string', default: '5' }, render: { type: 'boolean', default: false } } });

if (values.render) {
  // redraw the chart and docs/performance.md from the recorded results, measuring nothing
  const latest = JSON.parse(readFileSync(new URL('./results/latest.json', import.meta.url), 'utf8')) as BenchReport;
  writeFileSync(new URL('./results/latest.svg', import.meta.url), await chart(latest));
  writeFileSync(new URL('../../docs/performance.md', import.meta.url), performanceDoc(latest));
  console.log('rendered test/bench/results/latest.svg and docs/performance.md from latest.json');
  process.exit(0);
}
const chosen = positionals.length ? suites.filter((s) => positionals.includes(s.id)) : suites;
const unknown = positionals.filter((p) => !suites.some((s) => s.id === p));
if (unknown.length) {
  console.error(`bench: unknown suite(s) ${unknown.join(', ')}; known: ${suites.map((s) => s.id).join(', ') || '(none)'}`);
  process.exit(2);
}

let stack: Promise<StackEndpoints> | undefined;
const ctx: BenchContext = {
  quick: values.quick,
  repeats: Math.max(1, Number(values.repeats)),
  stack: () => (stack ??= ensureStack(process.env, (l) => console.error(l))),
  log: (line) => console.error(`  ${line}`),
};

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3));
const results: SuiteResult[] = [];
for (const suite of chosen) {
  console.log(`\n== ${suite.title} (${suite.id})`);
  const measured = await suite.run(ctx);
  const rows = measured.map((m) => {
    const summary = summarize(m.samples);
    const base = m.baseline ? measured.find((b) => b.name === m.baseline) : undefined;
    const baseMedian = base ? summarize(base.samples).median : 0;
    // a baseline that measured zero (coarse timer resolution) gives no ratio
    const ratioToBaseline = base && baseMedian > 0 ? summary.median / baseMedian : undefined;
    return { ...m, summary, ratioToBaseline };
  });
  for (const r of rows) {
    const ratio = r.ratioToBaseline === undefined ? '' : `  x${r.ratioToBaseline.toFixed(2)} vs ${r.baseline}`;
    console.log(`  ${r.label.padEnd(48)} ${fmt(r.summary.median).padStart(10)} ${r.unit.padEnd(8)} [${fmt(r.summary.min)} .. ${fmt(r.summary.max)}, n=${r.summary.n}]${ratio}`);
  }
  results.push({ suite: suite.id, title: suite.title, date: new Date().toISOString(), measurements: rows });
}

const report: BenchReport = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  options: { quick: ctx.quick, repeats: ctx.repeats },
  results,
};
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL(`bench-${report.date.replace(/[:.]/g, '-')}.json`, dir), JSON.stringify(report, null, 2));
if (ctx.quick) {
  console.log('\n--quick: figures kept in the dated file only; latest.json, the chart and docs/performance.md are left as they were');
} else {
  // latest.json keeps every suite's most recent full run, so running one suite updates only its figures
  const latestUrl = new URL('latest.json', dir);
  const previous = existsSync(latestUrl) ? (JSON.parse(readFileSync(latestUrl, 'utf8')) as BenchReport) : null;
  const merged = mergeResults(previous, report);
  writeFileSync(latestUrl, JSON.stringify(merged, null, 2));
  writeFileSync(new URL('latest.svg', dir), await chart(merged));
  writeFileSync(new URL('../../docs/performance.md', import.meta.url), performanceDoc(merged));
  console.log('\nwrote test/bench/results/latest.json, test/bench/results/latest.svg and docs/performance.md');
}
process.exit(0);
