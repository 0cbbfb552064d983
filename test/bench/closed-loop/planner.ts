// The baseline agent: plans every task from scratch, ReAct style, one LLM call per tool call
// (docs/closed-loop.md, "Baseline agent"). It is an oracle for WHICH tools and values (it
// takes the correct workflow's calls), which is generous to it; its mistakes are the
// workflow's planted ones, at the fleet's rate, and the tools' own errors. After an error a
// reflect call recovers with probability `recoveryRate`, or the task fails.
import { getPath, setPath, ToolError, type JsonPrimitive, type ToolRegistry } from '@praxis/core';
import { hashInt, type AgentDef, type FreshTask, type WorkflowDef } from '@praxis/fleet';
import { llmCallMs, type ModelParameters } from './parameters.js';
import { callText, GIVE_UP_TEXT, planningMessages, type HistoryEntry } from './prompts.js';
import { expectedParams, stepsDone, mistakenValue, type CallRecord } from './scoring.js';
import { promptTokens, textTokens, type ChatMessage } from './tokens.js';

/** One task as the models see it, with the seed that fixes every draw. */
export interface TaskEnv {
  seed: string;
  task: FreshTask;
  agent: AgentDef;
  workflow: WorkflowDef;
  parameters: ModelParameters;
}

/** One modelled LLM call and its real token counts. */
export interface LlmCall {
  kind: 'plan' | 'reflect' | 'generate';
  promptTokens: number;
  completionTokens: number;
}

/** The tools of one strategy's run of one task: the fleet's tools over a fresh world, and every call made. */
export interface TaskWorld {
  tools: ToolRegistry;
  calls: CallRecord[];
}

/**
 * A draw in [0, 1) fixed by the seed, the task and what it is for. Every strategy draws the
 * same number for the same decision (common random numbers), so the strategies differ by
 * what they do, not by luck, and a lower recovery rate can only turn recoveries into failures.
 */
export function draw(env: TaskEnv, ...purpose: (string | number)[]): number {
  return hashInt('closed-loop', env.seed, env.task.taskKey, ...purpose) / 2 ** 32;
}

/** Records an LLM call with the real token counts of its prompt and completion. */
export function llmCall(kind: LlmCall['kind'], messages: readonly ChatMessage[], completion: string): LlmCall {
  return { kind, promptTokens: promptTokens(messages), completionTokens: textTokens(completion) };
}

/** Modelled milliseconds of a list of LLM calls. */
export function llmMs(parameters: ModelParameters, calls: readonly LlmCall[]): number {
  return calls.reduce((ms, c) => ms + llmCallMs(parameters.latency, c.promptTokens, c.completionTokens), 0);
}

/** The call the planner decides on: the correct one for step `index`, or the build_image remedy of a failed deploy. */
function nextCall(env: TaskEnv, index: number, results: unknown[], after: HistoryEntry | null): { tool: string; params: Record<string, unknown>; step: number | null } {
  if (after?.error?.type === 'PreconditionFailed' && after.tool === 'deploy_service') {
    return { tool: 'build_image', params: { service: after.params.service, version: after.params.version }, step: null };
  }
  return { tool: env.workflow.steps[index]!.tool, params: expectedParams(env.task, env.workflow, index, results).params, step: index };
}

/** The same call with the step's planted mistake (a US date, a capitalised enum value). */
function withMistake(env: TaskEnv, index: number, params: Record<string, unknown>): Record<string, unknown> {
  const mistake = env.workflow.mistakes?.find((m) => m.step === index);
  if (!mistake) return params;
  const wrong = structuredClone(params);
  setPath(wrong, mistake.param, mistakenValue(mistake.kind, getPath(params, mistake.param) as JsonPrimitive));
  return wrong;
}

/**
 * Plans until the task is done or the planner gives up, appending to `history` and `llm`.
 * With `takeover`, the history ends with a failure the planner did not cause (a Praxis run
 * that stopped): its first call is a reflect on it, under the same recovery model.
 */
export async function runPlanner(env: TaskEnv, world: TaskWorld, llm: LlmCall[], history: HistoryEntry[] = [], takeover = false): Promise<{ gaveUp: boolean }> {
  const { task, agent, workflow, parameters } = env;
  const attempts = new Map<number, number>();
  let pending: HistoryEntry | null = takeover ? (history[history.length - 1] ?? null) : null;
  let reflections = 0;
  for (let turn = 0; ; turn++) {
    if (turn > 8 * workflow.steps.length + 8) throw new Error(`planner of ${task.taskKey} does not converge`);
    const { done, results } = stepsDone(task, world.calls);
    if (done === workflow.steps.length) return { gaveUp: false };
    const messages = planningMessages(agent, task.query, task.context, history);
    const call = nextCall(env, done, results, pending);
    const kind: LlmCall['kind'] = pending ? 'reflect' : 'plan';
    const stepAttempts = call.step === null ? 0 : (attempts.get(call.step) ?? 0);
    if (pending && draw(env, 'recover', reflections++) >= parameters.recoveryRate) {
      llm.push(llmCall(kind, messages, GIVE_UP_TEXT));
      return { gaveUp: true };
    }
    if (stepAttempts >= parameters.maxAttemptsPerStep) {
      llm.push(llmCall(kind, messages, GIVE_UP_TEXT));
      return { gaveUp: true };
    }
    // A planted mistake can only happen when the planner first writes the step, not while fixing it.
    const params = !pending && stepAttempts === 0 && draw(env, 'mistake', done) < parameters.mistakeRate ? withMistake(env, done, call.params) : call.params;
    if (call.step !== null) attempts.set(call.step, stepAttempts + 1);
    llm.push(llmCall(kind, messages, callText(call.tool, params)));
    const entry: HistoryEntry = { tool: call.tool, params, ok: false };
    history.push(entry);
    try {
      entry.result = await world.tools[call.tool]!(params);
      entry.ok = true;
      pending = null;
    } catch (error) {
      if (!(error instanceof ToolError)) throw error;
      entry.error = { type: error.type, message: error.message };
      pending = entry;
    }
  }
}
