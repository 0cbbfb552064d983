// Iteration loop (not the benchmark): the suite's split, learning runs, serving and scoring,
// with the services' own processors in-process instead of Kafka (segmentSteps, induceTemplates,
// a RouterCore with the router's default embedder and calibrated policies). Seconds instead
// of minutes; the figures to report come from `pnpm bench real-traffic`, which goes through
// the topics. Run: npx tsx test/bench/real-traffic/offline-loop.ts [--full | --subset] [--held-out N] [--learn-share x] [--seed s] [--out file] [--templates file]
import { writeFileSync } from 'node:fs';
import { induceTemplates } from '@praxis/inducer';
import { loadWorkBench, SUBSET_FIXTURE } from './dataset.js';
import { comparisonTable, failingFingerprints, scoreTask, summarise, type TaskRow } from './figures.js';
import { TENANT } from './learn.js';
import { offlineLearning, offlineRouter, runsByTask } from './offline.js';
import { serveTask } from './serve.js';

const full = process.argv.includes('--full');
const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : undefined;
const flag = (name: string) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : undefined);
const { wb, split, steps, trajectories, policy: tenantPolicy } = offlineLearning({
  quick: !full,
  ...(process.argv.includes('--subset') ? { wb: loadWorkBench(SUBSET_FIXTURE, 'subset') } : {}),
  split: { ...(flag('--held-out') !== undefined ? { heldOutTemplates: flag('--held-out') } : {}), ...(flag('--learn-share') !== undefined ? { learnShare: flag('--learn-share') } : {}), ...(process.argv.includes('--seed') ? { seed: process.argv[process.argv.indexOf('--seed') + 1]! } : {}) },
});
// --policy '{"triggerExamples": 30}': any inducer policy field, to try a setting (never the benchmark's figures)
const policy = { ...tenantPolicy, ...(process.argv.includes('--policy') ? (JSON.parse(process.argv[process.argv.indexOf('--policy') + 1]!) as object) : {}) };
const templates = induceTemplates(trajectories, () => policy);
// --ranking '{"toolWordWeight": 0}': any router ranking field (services/router/src/index/lexical.ts), to try a setting
const { core, embedder } = await offlineRouter(templates, process.argv.includes('--ranking') ? (JSON.parse(process.argv[process.argv.indexOf('--ranking') + 1]!) as object) : undefined);
const runsOf = runsByTask(wb);
const rows: TaskRow[] = [];
for (const [tasks, unseen] of [[split.heldOut, false], [split.unseen, true]] as const) {
  for (const task of tasks) {
    const served = await serveTask(wb, core, task);
    if (process.env.DEBUG_Q && task.query.includes(process.env.DEBUG_Q)) console.log(JSON.stringify({ query: task.query, tier: served.answer.tier, reason: served.answer.reason, steps: served.answer.workflow?.steps, toGenerate: served.answer.toGenerate, run: served.run }, null, 1));
    rows.push({ ...scoreTask(wb, served, runsOf.get(task.taskId) ?? [], unseen), ...(out ? { reason: served.answer.reason } : {}) });
  }
}
const heldOutIds = new Set([...split.heldOut, ...split.unseen].map((t) => t.taskId));
const figures = summarise(wb.kind, rows, { templates: templates.length, active: templates.filter((t) => t.status === 'ACTIVE').length, runs: split.learningRuns.length, steps: steps.length }, new Set(split.learningRuns.flatMap((r, i) => failingFingerprints(r, i))), wb.runs.filter((r) => heldOutIds.has(r.taskId)));
console.log(`embedder ${embedder.id}; ${trajectories.length} trajectories, ${templates.length} templates for ${TENANT}`);
for (const line of comparisonTable(figures)) console.log(line);
console.log('outcomes:', figures.outcomes, 'tiers:', figures.tiers);
if (out) writeFileSync(out, rows.map(({ failures, ...row }) => JSON.stringify({ ...row, failures: failures.map((f) => `${f.tool}: ${f.message}${f.covered ? ' [hint served]' : ''}`) })).join('\n') + '\n');
// --templates file: the learned templates as JSON, to inspect them
if (process.argv.includes('--templates')) writeFileSync(process.argv[process.argv.indexOf('--templates') + 1]!, JSON.stringify(templates, null, 1));
