// pnpm bench real-traffic: the benchmark that decides (docs/real-traffic.md). Learns from
// real LLM agents' runs of WorkBench tasks through import -> topics -> segmenter -> inducer
// -> router, serves the held-out tasks with no model, executes every answer in the WorkBench
// sandbox port, and compares the outcomes with the agents' own on the same tasks.
import { writeFileSync } from 'node:fs';
import { loadAvailable, type AgentRun, type WorkBench } from '../real-traffic/dataset.js';
import { agentLabel, comparisonTable, failingFingerprints, scoreTask, summarise, type RealTrafficFigures, type TaskRow } from '../real-traffic/figures.js';
import { learningSteps, learnThroughKafka } from '../real-traffic/learn.js';
import { serveTask } from '../real-traffic/serve.js';
import { FULL_SPLIT, QUICK_SPLIT, splitTasks, type SplitOptions } from '../real-traffic/split.js';
import type { BenchSuite, Measurement } from '../harness.js';

/** The split for this data set and run size: the subset has 10 templates, of which 2 are held out whole. */
export function splitFor(wb: WorkBench, quick: boolean): SplitOptions {
  if (wb.kind === 'subset') return { seed: FULL_SPLIT.seed, heldOutTemplates: 2 };
  return quick ? QUICK_SPLIT : FULL_SPLIT;
}

/**
 * The learning policy of the WorkBench tenant (INDUCER_OVERRIDES, as an operator sets one for
 * a tenant): its runs are labelled by a strict outcome rule (the whole final state), so most
 * runs of a right sequence fail on a value, and a template's share of successful runs says
 * little about its structure; only successful runs are induced from either way. And each
 * learning task has few runs. The shipped defaults (support 5, success rate 0.6) suit
 * fleets of agents that mostly succeed and are kept for them (docs/real-traffic.md, "Policy").
 */
export const REAL_TRAFFIC_ENV = { INDUCER_OVERRIDES: JSON.stringify({ workbench: { minSupport: 3, minSuccessRate: 0.3 } }) };

const one = (name: string, label: string, unit: string, value: number, extra: Partial<Measurement> = {}): Measurement => ({ name: `real_traffic.${name}`, label, unit, higherIsBetter: true, samples: [value], ...extra });

/** The suite's measurements (one sample each: the split is fixed, a run is deterministic but for timing). */
export function realTrafficMeasurements(f: RealTrafficFigures, learnMs: number): Measurement[] {
  const agents = Object.entries(f.agentCorrect).map(([s, v]) => one(`agent.${s.replace('/', '_')}`, `correct, ${agentLabel(s)} own run (same tasks)`, '%', v));
  return [
    ...agents,
    one('praxis_correct', `correct, Praxis-served (no model), ${f.heldOutTasks} held-out tasks of seen templates`, '%', f.praxisCorrect, { baseline: 'real_traffic.agent.gpt-4_all', notes: 'target >= 60% and above GPT-4; a plan answer counts as not correct' }),
    one('reuse_precision', `reuse precision (${f.reuseCorrect} of ${f.reuseExecuted} executed reuse answers correct)`, '%', f.reusePrecision, { notes: 'target >= 90%' }),
    one('plan_rate_unseen', `plan on held-out templates (${f.unseenTasks} queries)`, '%', f.planRateUnseen, { notes: 'target >= 90%' }),
    one('hint_coverage', `held-out failing calls covered by a served hint (${f.coveredCalls} of ${f.failingCalls})`, '%', f.hintCoverage, { notes: `target >= 50%; ${f.failingSeenInLearning} of these fingerprints occur in the learning runs` }),
    one('tier_reuse', 'held-out tasks answered reuse', 'tasks', f.tiers.reuse ?? 0),
    one('tier_rewrite', 'held-out tasks answered rewrite', 'tasks', f.tiers.rewrite ?? 0),
    one('tier_plan', 'held-out tasks answered plan', 'tasks', f.tiers.plan ?? 0, { higherIsBetter: false }),
    one('unbound_slots', 'served tasks failed for unbound slots (no model configured)', 'tasks', f.outcomes['unbound slots'], { higherIsBetter: false }),
    one('tool_errors', 'served tasks stopped by a tool error', 'tasks', f.outcomes['tool error'], { higherIsBetter: false }),
    one('wrong_state', 'served tasks that ran but left the wrong state', 'tasks', f.outcomes['wrong state'], { higherIsBetter: false }),
    one('templates', `templates learned (${f.activeTemplates} active) from ${f.learningRuns} runs`, 'templates', f.templatesLearned),
    one('learn_ms', `learning through Kafka (${f.learningSteps} steps: import -> router serves)`, 'ms', learnMs, { higherIsBetter: false }),
  ];
}

export const realTrafficSuite: BenchSuite = {
  id: 'real-traffic',
  title: 'Real traffic: WorkBench agents learned through Kafka, held-out tasks served with no model and executed in the sandbox',
  async run(ctx) {
    const wb = loadAvailable();
    const split = splitTasks(wb, splitFor(wb, ctx.quick));
    ctx.log(`real-traffic: ${wb.kind === 'full' ? 'WorkBench (full)' : 'the committed WorkBench subset (the full data set is not beside the repository)'}: ${split.learn.length} learning tasks (${split.learningRuns.length} runs), ${split.heldOut.length} held-out tasks, ${split.unseen.length} tasks of held-out templates`);
    const { steps, unreadable } = learningSteps(wb, split.learningRuns);
    if (unreadable) ctx.log(`real-traffic: ${unreadable} learning runs the LangChain reader could not read (left out)`);
    const learned = await learnThroughKafka(await ctx.stack(), steps, { tag: 'bench-rt', log: ctx.log, env: REAL_TRAFFIC_ENV });
    // REAL_TRAFFIC_TEMPLATES_OUT=file: the templates the router serves, to diff two runs (diagnosis)
    if (process.env.REAL_TRAFFIC_TEMPLATES_OUT) writeFileSync(process.env.REAL_TRAFFIC_TEMPLATES_OUT, JSON.stringify(learned.templates, null, 1));
    if (process.env.REAL_TRAFFIC_TEMPLATES_OUT) ctx.log(`real-traffic: boilerplate shingles ${(learned.services.router.core.catalog.tenant('workbench') as unknown as { requests: { size: number } }).requests.size}`);
    ctx.log(`real-traffic: learned ${learned.templates.length} templates in ${Math.round(learned.learnMs)} ms${learned.settled ? '' : ' (not settled within the timeout)'}`);
    const runsOf = new Map<string, AgentRun[]>();
    for (const r of wb.runs) runsOf.set(r.taskId, [...(runsOf.get(r.taskId) ?? []), r]);
    const rows: TaskRow[] = [];
    try {
      const core = learned.services.router.core;
      for (const [tasks, unseen] of [[split.heldOut, false], [split.unseen, true]] as const) {
        for (const task of tasks) rows.push(scoreTask(wb, await serveTask(wb, core, task), runsOf.get(task.taskId) ?? [], unseen));
      }
    } finally {
      await learned.cleanup();
    }
    const learningFingerprints = new Set(split.learningRuns.flatMap((r, i) => failingFingerprints(r, i)));
    const heldOutIds = new Set([...split.heldOut, ...split.unseen].map((t) => t.taskId));
    const figures = summarise(wb.kind, rows, { templates: learned.templates.length, active: learned.templates.filter((t) => t.status === 'ACTIVE').length, runs: split.learningRuns.length, steps: steps.length }, learningFingerprints, wb.runs.filter((r) => heldOutIds.has(r.taskId)));
    const file = new URL(`../results/real-traffic-tasks${ctx.quick ? '-quick' : ''}.json`, import.meta.url);
    // one task per line: the file stays readable and diffable without pretty-printing every field
    const tasks = rows.map(({ failures, ...row }) => JSON.stringify({ ...row, failures: failures.map((f) => `${f.tool}: ${f.message}${f.covered ? ' [hint served]' : ''}`) }));
    writeFileSync(file, `{"date": ${JSON.stringify(new Date().toISOString())}, "quick": ${ctx.quick},\n"figures": ${JSON.stringify(figures, null, 1)},\n"tasks": [\n${tasks.join(',\n')}\n]}\n`);
    for (const line of comparisonTable(figures)) ctx.log(line);
    ctx.log(`real-traffic: outcomes of held-out tasks of seen templates: ${Object.entries(figures.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}; per-task table in test/bench/results/${file.pathname.split('/').pop()}`);
    return realTrafficMeasurements(figures, learned.learnMs);
  },
};
