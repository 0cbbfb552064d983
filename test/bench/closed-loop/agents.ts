// The two strategies on one task: the baseline plans from scratch; the Praxis agent asks the
// router first, then reuses (0 planning tokens), rewrites only the variable nodes, or plans.
// A reuse or rewrite run that fails hands over to the planner, with what ran in its history.
import type { LookupResponse } from '@praxis/contracts';
import { toolSchemas } from '@praxis/fleet';
import { executeWorkflow, type ExecutionResult } from '@praxis/sdk';
import { llmMs, runPlanner, type LlmCall, type TaskEnv } from './planner.js';
import type { HistoryEntry } from './prompts.js';
import { generateValues } from './rewrite.js';
import { recordingTools, scoreTask, type CallRecord } from './scoring.js';

/** What one strategy did on one task, and what it cost. */
export interface StrategyResult {
  success: boolean;
  /** Success without falling back to planning (for the baseline and plan answers: the same as success). */
  firstTry: boolean;
  reason: string | null;
  llm: LlmCall[];
  calls: CallRecord[];
  /** Backoff the executor would have waited before retries (modelled, not slept). */
  waitMs: number;
  /** Real in-process time of the router lookup (0 for the baseline). */
  lookupMs: number;
  /** A reuse or rewrite run handed over to the planner (failed run or failed generation). */
  fellBack: boolean;
  /** The served workflow ran to the end without an error but did not do the task. */
  falseHit: boolean;
  /** Rewrite variable nodes left unbound (no model configured); the task was planned instead. */
  unboundSlots: number;
}

/** Planning-side tokens of a result: prompt plus completion of every LLM call. */
export const tokensOf = (r: StrategyResult) => r.llm.reduce((n, c) => n + c.promptTokens + c.completionTokens, 0);

/** Modelled latency of a result: LLM calls, tool calls at a fixed cost, executor backoff, and the real lookup time. */
export const latencyOf = (env: TaskEnv, r: StrategyResult) => llmMs(env.parameters, r.llm) + r.calls.length * env.parameters.latency.toolCallMs + r.waitMs + r.lookupMs;

function finish(env: TaskEnv, calls: CallRecord[], fields: Omit<StrategyResult, 'success' | 'reason' | 'calls' | 'firstTry'> & { firstTry?: boolean }): StrategyResult {
  const { success, reason } = scoreTask(env.task, calls);
  return { success, reason, calls, firstTry: fields.firstTry ?? success, ...fields };
}

/** The baseline: plan every step from scratch. */
export async function runBaseline(env: TaskEnv): Promise<StrategyResult> {
  const world = recordingTools(env.task.tenantId, env.task.agentId);
  const llm: LlmCall[] = [];
  await runPlanner(env, world, llm);
  return finish(env, world.calls, { llm, waitMs: 0, lookupMs: 0, fellBack: false, falseHit: false, unboundSlots: 0 });
}

/** What the agent knows after a run that stopped: each step's call with its result or error. */
function historyOf(run: ExecutionResult): HistoryEntry[] {
  return run.steps.map((s) => ({ tool: s.toolName, params: s.params, ok: s.status === 'succeeded', result: s.result, error: s.error ? { type: s.error.type, message: s.error.message } : undefined }));
}

/** The Praxis agent, given the router's answer for the task (looked up once, in `lookupMs`). */
export async function runPraxis(env: TaskEnv, answer: LookupResponse, lookupMs: number, options: { hints: boolean }): Promise<StrategyResult> {
  const world = recordingTools(env.task.tenantId, env.task.agentId);
  const llm: LlmCall[] = [];
  const base = { llm, lookupMs, waitMs: 0, falseHit: false, unboundSlots: 0 };
  if (answer.tier === 'plan' || !answer.workflow) {
    await runPlanner(env, world, llm);
    return finish(env, world.calls, { ...base, fellBack: false });
  }
  let bindings: Record<string, unknown> = { ...answer.workflow.bindings };
  if (answer.tier === 'rewrite' && answer.toGenerate.length > 0) {
    const generated = generateValues(env, answer.toGenerate, llm);
    if (!generated.ok) {
      // nothing ran yet: plan the task from scratch
      await runPlanner(env, world, llm);
      return finish(env, world.calls, { ...base, unboundSlots: generated.unbound.length, fellBack: true, firstTry: false });
    }
    bindings = { ...bindings, ...generated.values };
  }
  const workflow = options.hints ? answer.workflow : { ...answer.workflow, avoidanceHints: [] };
  let waitMs = 0;
  const run = await executeWorkflow({
    workflow,
    tools: world.tools,
    bindings,
    toolSchemas: toolSchemas(env.task.tenantId, env.task.agentId),
    sleep: async (ms) => {
      waitMs += ms;
    },
  });
  if (run.outcome === 'succeeded') {
    const result = finish(env, world.calls, { ...base, waitMs, fellBack: false });
    return { ...result, falseHit: !result.success };
  }
  await runPlanner(env, world, llm, historyOf(run), true);
  return finish(env, world.calls, { ...base, waitMs, fellBack: true, firstTry: false });
}
