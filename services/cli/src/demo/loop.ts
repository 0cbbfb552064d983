// The loop closes: agents ask the router before they plan, run what it serves with the SDK
// executor on their (simulated) tools, and report every outcome, which moves confidence.
import type { LookupResponse } from '@praxis/contracts';
import { getPath } from '@praxis/core';
import { toolRegistry, toolSchemas, type FreshTask } from '@praxis/fleet';
import { executeWorkflow, routerFeedback, type ExecutionResult, type ProgressEvent, type RouterClient } from '@praxis/sdk';

export interface TaskRun {
  task: FreshTask;
  answer: LookupResponse;
  result: ExecutionResult | null;
  /** The calls that succeeded are exactly those a correct run makes. */
  correct: boolean;
  generated: Record<string, unknown>;
}

/** Values for the slots a rewrite leaves to the agent's model, read from what a correct run of the task passes (the demo's stand-in for that model). */
export function generatedValues(workflow: NonNullable<LookupResponse['workflow']>, names: string[], task: FreshTask): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const step of workflow.steps) {
    for (const p of step.params) {
      if (p.kind !== 'SLOT' || !p.slotName || !names.includes(p.slotName) || p.slotName in out) continue;
      const value = getPath(task.expectedCalls[step.index]?.params, p.path);
      if (value !== undefined) out[p.slotName] = value;
    }
  }
  return out;
}

/** One task: lookup, then (reuse or rewrite) execute and report; a plan answer is left to the agent's own planner. */
export async function runTask(task: FreshTask, client: RouterClient, sessionId: string, onProgress?: (event: ProgressEvent) => void): Promise<TaskRun> {
  const answer = await client.lookup({ query: task.query, agentId: task.agentId, context: task.context as never, sessionId });
  if (answer.tier === 'plan' || !answer.workflow) return { task, answer, result: null, correct: false, generated: {} };
  const generated = generatedValues(answer.workflow, answer.toGenerate.map((g) => g.name), task);
  const result = await executeWorkflow({
    workflow: answer.workflow,
    bindings: generated,
    tools: toolRegistry(task.tenantId, task.agentId),
    toolSchemas: toolSchemas(task.tenantId, task.agentId),
    feedback: routerFeedback(client),
    lookup: { lookupId: answer.lookupId, tier: answer.tier },
    agentId: task.agentId,
    sessionId,
    onProgress,
  });
  const calls = result.steps.filter((s) => s.status === 'succeeded').map((s) => ({ tool: s.toolName, params: s.params }));
  return { task, answer, result, correct: result.outcome === 'succeeded' && JSON.stringify(calls) === JSON.stringify(task.expectedCalls), generated };
}

/** Counts of a wave of tasks. */
export function tally(runs: TaskRun[]) {
  const tier = (t: string) => runs.filter((r) => r.answer.tier === t).length;
  const executed = runs.filter((r) => r.result);
  return {
    tasks: runs.length,
    reuse: tier('reuse'),
    rewrite: tier('rewrite'),
    plan: tier('plan'),
    executed: executed.length,
    succeeded: executed.filter((r) => r.result!.outcome === 'succeeded').length,
    correct: executed.filter((r) => r.correct).length,
    hintsApplied: executed.reduce((n, r) => n + r.result!.hintsApplied, 0),
    tokensSaved: runs.reduce((n, r) => n + (r.answer.estimatedTokensSaved ?? 0), 0),
  };
}
