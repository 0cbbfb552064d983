// One seed of the closed-loop benchmark: learn from the seed's traffic, make its tasks, look
// each one up once, and run every strategy on it (the headline, the ablation without
// avoidance hints, and the recovery-rate sensitivity runs).
import type { LookupResponse, TierName } from '@praxis/contracts';
import { DEFAULT_TRAFFIC } from '@praxis/fleet';
import type { Embedder } from '@praxis/router';
import { latencyOf, runBaseline, runPraxis, tokensOf, type StrategyResult } from './agents.js';
import { learn } from './learn.js';
import { DEFAULT_PARAMETERS, SENSITIVITY_RECOVERY_RATES, type ModelParameters } from './parameters.js';
import type { TaskEnv } from './planner.js';
import { bandOf, groundTruth, type Band } from './scoring.js';
import { benchTasks, DEFAULT_MIX, splitFor, type BenchTask, type TaskMix, type TaskOrigin } from './tasks.js';

export interface SeedOptions {
  parameters?: ModelParameters;
  mix?: TaskMix;
  /** Training tasks per planted workflow in the seed's traffic. */
  instancesPerWorkflow?: number;
  /** The router's embedder (default: hashing with the default thresholds; otherwise its calibrated ones). */
  embedder?: Embedder;
}

/** A strategy's figures on one task. */
export interface StrategyFigures {
  success: boolean;
  firstTry: boolean;
  tokens: number;
  llmCalls: number;
  toolCalls: number;
  /** Tool calls that failed (planted mistakes, rate limits, missing prerequisites, wrong bindings). */
  toolErrors: number;
  latencyMs: number;
  fellBack: boolean;
  falseHit: boolean;
  /** Rewrite variable nodes left unbound (no model configured). */
  unboundSlots: number;
}

export interface TaskOutcome {
  taskKey: string;
  origin: TaskOrigin;
  workflowId: string;
  query: string;
  similarity: number;
  /** Real in-process time of the router lookup. */
  lookupMs: number;
  band: Band;
  tier: TierName;
  /** Whether the router's workflow is the task's own (its signature). */
  rightTemplate: boolean | null;
  baseline: StrategyFigures;
  praxis: StrategyFigures;
  praxisNoHints: StrategyFigures;
  /** Success at other recovery rates: rate -> baseline and Praxis. */
  sensitivity: Record<string, { baseline: boolean; praxis: boolean }>;
  reasons: { baseline: string | null; praxis: string | null };
}

export interface SeedResult {
  seed: string;
  templates: number;
  trajectories: number;
  steps: number;
  tasks: TaskOutcome[];
}

const figures = (env: TaskEnv, r: StrategyResult): StrategyFigures => ({
  success: r.success,
  firstTry: r.firstTry,
  tokens: tokensOf(r),
  llmCalls: r.llm.length,
  toolCalls: r.calls.length,
  toolErrors: r.calls.filter((c) => !c.ok).length,
  latencyMs: latencyOf(env, r),
  fellBack: r.fellBack,
  falseHit: r.falseHit,
  unboundSlots: r.unboundSlots,
});

/** Looks a task up in the router, timing it (real, in-process). */
async function timedLookup(learned: Awaited<ReturnType<typeof learn>>, task: BenchTask): Promise<{ answer: LookupResponse; ms: number }> {
  const started = performance.now();
  const answer = await learned.core.lookup(task.tenantId, { query: task.query, agentId: task.agentId, context: task.context });
  return { answer, ms: performance.now() - started };
}

/** Runs every strategy on every task of a seed. Deterministic for a seed, except the measured lookup time. */
export async function runSeed(seed: string, options: SeedOptions = {}): Promise<SeedResult> {
  const parameters = options.parameters ?? DEFAULT_PARAMETERS;
  const split = splitFor(seed);
  const learned = await learn(seed, { instancesPerWorkflow: options.instancesPerWorkflow ?? DEFAULT_TRAFFIC.instancesPerWorkflow, excludeWorkflows: split.excludeWorkflows, phrasings: split.phrasings }, options.embedder);
  const tasks = benchTasks(seed, split, options.mix ?? DEFAULT_MIX);
  // warm the lookup path (JIT, caches) so the first task's measured time is not the compiler's
  await timedLookup(learned, tasks[0]!);
  const outcomes: TaskOutcome[] = [];
  for (const task of tasks) {
    const { agent, workflow } = groundTruth(task);
    const env: TaskEnv = { seed, task, agent, workflow, parameters };
    const { answer, ms } = await timedLookup(learned, task);
    const baseline = await runBaseline(env);
    const praxis = await runPraxis(env, answer, ms, { hints: true });
    const praxisNoHints = await runPraxis(env, answer, ms, { hints: false });
    const sensitivity: TaskOutcome['sensitivity'] = {};
    for (const recoveryRate of SENSITIVITY_RECOVERY_RATES) {
      const other: TaskEnv = { ...env, parameters: { ...parameters, recoveryRate } };
      sensitivity[String(recoveryRate)] = { baseline: (await runBaseline(other)).success, praxis: (await runPraxis(other, answer, ms, { hints: true })).success };
    }
    outcomes.push({
      taskKey: task.taskKey,
      origin: task.origin,
      workflowId: task.workflowId,
      query: task.query,
      similarity: answer.similarity,
      lookupMs: ms,
      band: bandOf(answer.similarity, learned.thresholds),
      tier: answer.tier,
      rightTemplate: answer.templateId === null ? null : answer.templateId === task.templateId,
      baseline: figures(env, baseline),
      praxis: figures(env, praxis),
      praxisNoHints: figures(env, praxisNoHints),
      sensitivity,
      reasons: { baseline: baseline.reason, praxis: praxis.reason },
    });
  }
  return { seed, templates: learned.templates.length, trajectories: learned.trajectories, steps: learned.steps, tasks: outcomes };
}
