// The scorer, and the only reader of the answer key: WorkBench's outcome rule (a run is
// correct when it reported no error and the sandbox's final state equals the state after the
// ground-truth calls), for Praxis-served runs and for the agents' own runs alike.
import type { AgentRun, WorkBench } from './dataset.js';
import { Sandbox } from './sandbox.js';

const truthStates = new WeakMap<WorkBench, Map<string, string[]>>();

/** The final state of a task's ground-truth calls on a fresh sandbox (cached per data set). */
export function groundTruthState(wb: WorkBench, taskId: string): string[] {
  let cache = truthStates.get(wb);
  if (!cache) truthStates.set(wb, (cache = new Map()));
  let state = cache.get(taskId);
  if (!state) cache.set(taskId, (state = new Sandbox(wb.tables).replay(wb.answers.callsOf(taskId)).comparableState()));
  return state;
}

/** Whether a sandbox's final state is the task's correct one. */
export function isCorrectState(wb: WorkBench, taskId: string, sandbox: Sandbox): boolean {
  const truth = groundTruthState(wb, taskId);
  const got = sandbox.comparableState();
  return got.every((t, i) => t === truth[i]);
}

/** An agent's own outcome on its task, as WorkBench scores it: its calls replayed, its error counted. */
export function agentOutcome(wb: WorkBench, run: AgentRun): boolean {
  if (run.error) return false;
  return isCorrectState(wb, run.taskId, new Sandbox(wb.tables).replay(run.functionCalls));
}

/** The number of ground-truth calls of a task (for the per-task table). */
export const answerLength = (wb: WorkBench, taskId: string) => wb.answers.callsOf(taskId).length;
