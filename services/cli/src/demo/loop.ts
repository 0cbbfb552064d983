// The loop closes: agents ask the router before they plan, run what it serves with the SDK
// executor on their (simulated) tools, and report every outcome, which moves confidence.
// The demo configures no model: a rewrite whose variable nodes the router could not bind is
// not run (nothing may invent those values), and its unbound slots are reported and counted.
import type { LookupResponse } from '@praxis/contracts';
import { madeExpectedCalls, toolRegistry, toolSchemas, type FreshTask } from '@praxis/fleet';
import { executeWorkflow, routerFeedback, type ExecutionResult, type ProgressEvent, type RouterClient } from '@praxis/sdk';

export interface TaskRun {
  task: FreshTask;
  answer: LookupResponse;
  result: ExecutionResult | null;
  /** Variable nodes the router could not bind; with no model configured nothing fills them, and the task is not run. */
  unbound: string[];
}

/** Whether an answer can run as served: reuse, or a rewrite with nothing left to generate. */
export const runnable = (answer: LookupResponse) => answer.tier !== 'plan' && answer.workflow !== null && answer.toGenerate.length === 0;

/** One task: lookup, then execute and report what the router bound; a plan answer, or a rewrite with unbound slots, is left to the agent's own model. */
export async function runTask(task: FreshTask, client: RouterClient, sessionId: string, onProgress?: (event: ProgressEvent) => void): Promise<TaskRun> {
  const answer = await client.lookup({ query: task.query, agentId: task.agentId, context: task.context as never, sessionId });
  const unbound = answer.toGenerate.map((g) => g.name);
  if (!runnable(answer)) return { task, answer, result: null, unbound };
  const result = await executeWorkflow({
    workflow: answer.workflow!,
    tools: toolRegistry(task.tenantId, task.agentId),
    toolSchemas: toolSchemas(task.tenantId, task.agentId),
    feedback: routerFeedback(client),
    lookup: { lookupId: answer.lookupId, tier: answer.tier },
    agentId: task.agentId,
    sessionId,
    onProgress,
  });
  return { task, answer, result, unbound };
}

/** A run with its score. */
export interface ScoredRun extends TaskRun {
  /** The calls that succeeded are exactly those a correct run makes. */
  correct: boolean;
}

/** The scorer (the fleet's madeExpectedCalls reads the task's ground truth): run after the task was played, never during. */
export function scoreRun(run: TaskRun): ScoredRun {
  if (!run.result) return { ...run, correct: false };
  const calls = run.result.steps.filter((s) => s.status === 'succeeded').map((s) => ({ tool: s.toolName, params: s.params }));
  return { ...run, correct: run.result.outcome === 'succeeded' && madeExpectedCalls(run.task, calls) };
}

/** Counts of a wave of scored tasks. */
export function tally(runs: ScoredRun[]) {
  const tier = (t: string) => runs.filter((r) => r.answer.tier === t).length;
  const executed = runs.filter((r) => r.result);
  return {
    tasks: runs.length,
    reuse: tier('reuse'),
    rewrite: tier('rewrite'),
    plan: tier('plan'),
    /** Rewrites not run because a slot stayed unbound (no model configured), and their unbound slots. */
    unboundTasks: runs.filter((r) => r.unbound.length > 0).length,
    unboundSlots: runs.reduce((n, r) => n + r.unbound.length, 0),
    executed: executed.length,
    succeeded: executed.filter((r) => r.result!.outcome === 'succeeded').length,
    correct: executed.filter((r) => r.correct).length,
    hintsApplied: executed.reduce((n, r) => n + r.result!.hintsApplied, 0),
    tokensSaved: runs.reduce((n, r) => n + (r.answer.estimatedTokensSaved ?? 0), 0),
  };
}
