// pnpm bench [suite-id ...] [--quick] [--repeats N]
// Runs the suites, prints median / min / max and the ratio against each baseline, and writes
// everything measured to test/bench/results/latest.json (plus a dated copy).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ensureStack, type StackEndpoints } from '@praxis/cli/stack';
import { summarize, type BenchContext, type Measurement } from './harness.js';
import { suites } from './suites/index.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { quick: { type: 'boolean', default: false }, repeats: { type: 'string', default: '5' } } });
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
const results: { suite: string; title: string; measurements: (Measurement & { summary: ReturnType<typeof summarize>; ratioToBaseline?: number })[] }[] = [];
for (const suite of chosen) {
  console.log(`\n== ${suite.title} (${suite.id})`);
  const measured = await suite.run(ctx);
  const rows = measured.map((m) => {
    const summary = summarize(m.samples);
    const base = m.baseline ? measured.find((b) => b.name === m.baseline) : undefined;
    const ratioToBaseline = base ? summary.median / summarize(base.samples).median : undefined;
    return { ...m, summary, ratioToBaseline };
  });
  for (const r of rows) {
    const ratio = r.ratioToBaseline === undefined ? '' : `  x${r.ratioToBaseline.toFixed(2)} vs ${r.baseline}`;
    console.log(`  ${r.label.padEnd(48)} ${fmt(r.summary.median).padStart(10)} ${r.unit.padEnd(8)} [${fmt(r.summary.min)} .. ${fmt(r.summary.max)}, n=${r.summary.n}]${ratio}`);
  }
  results.push({ suite: suite.id, title: suite.title, measurements: rows });
}

const report = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  options: { quick: ctx.quick, repeats: ctx.repeats },
  results,
};
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('latest.json', dir), JSON.stringify(report, null, 2));
writeFileSync(new URL(`bench-${report.date.replace(/[:.]/g, '-')}.json`, dir), JSON.stringify(report, null, 2));
console.log(`\nwrote test/bench/results/latest.json`);
process.exit(0);
