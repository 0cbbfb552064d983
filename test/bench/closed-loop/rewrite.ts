// The rewrite tier's one LLM call: the router's own generation prompt for the variable nodes
// the lookup could not bind, and the model's answer, checked by the router's own
// `checkGenerated`; a refused answer goes back with its problems, up to the router's 3
// attempts. The model is an oracle for values (like the baseline planner), with the same
// mistake model for the values where the workflow plants one.
import type { SlotToGenerate } from '@praxis/contracts';
import { getPath, type JsonPrimitive } from '@praxis/core';
import { checkGenerated } from '@praxis/router';
import { draw, llmCall, type LlmCall, type TaskEnv } from './planner.js';
import { generationMessages, type RefusedAnswer } from './prompts.js';
import { mistakenValue } from './scoring.js';

/**
 * The value a correct run gives this variable node: the argument of the parameter it feeds,
 * when the template's step is the task's own step; otherwise the task's value of the same
 * name, or the slot's first example (a model filling a workflow that does not fit).
 */
export function oracleValue(env: TaskEnv, slot: SlotToGenerate): unknown {
  for (const use of slot.usedBy) {
    if (env.workflow.steps[use.stepIndex]?.tool !== use.toolName) continue;
    const value = getPath(env.task.expectedCalls[use.stepIndex]!.params, use.path);
    if (value !== undefined) return value;
  }
  return env.task.values[slot.name] ?? env.task.context[slot.name] ?? slot.examples[0] ?? null;
}

/** The planted mistake a model can make on this variable node, if it feeds a parameter where the workflow plants one. */
function mistakeOf(env: TaskEnv, slot: SlotToGenerate) {
  return env.workflow.mistakes?.find((m) => slot.usedBy.some((u) => u.stepIndex === m.step && u.path === m.param && env.workflow.steps[m.step]?.tool === u.toolName));
}

export interface Generation {
  ok: boolean;
  values: Record<string, unknown>;
  attempts: number;
}

/** Generates the variable nodes, appending each attempt's LLM call (real tokens of the router's prompt) to `llm`. */
export function generateValues(env: TaskEnv, slots: SlotToGenerate[], llm: LlmCall[]): Generation {
  const { parameters } = env;
  const truth = Object.fromEntries(slots.map((s) => [s.name, oracleValue(env, s)]));
  let answer: Record<string, unknown> = { ...truth };
  for (const slot of slots) {
    const mistake = mistakeOf(env, slot);
    if (mistake && draw(env, 'generate-mistake', slot.name) < parameters.mistakeRate) answer[slot.name] = mistakenValue(mistake.kind, truth[slot.name] as JsonPrimitive);
  }
  const refused: RefusedAnswer[] = [];
  for (let attempt = 1; attempt <= parameters.generationAttempts; attempt++) {
    const text = JSON.stringify(answer);
    llm.push(llmCall('generate', generationMessages(env.task.query, slots, refused), text));
    const { values, problems } = checkGenerated(slots, JSON.parse(text));
    if (problems.length === 0) return { ok: true, values, attempts: attempt };
    refused.push({ answer: text, problems });
    // Told the problems, the model fixes its own mistakes with the same chance as after a tool error.
    if (draw(env, 'generate-recover', attempt) < parameters.recoveryRate) answer = { ...truth };
  }
  return { ok: false, values: {}, attempts: parameters.generationAttempts };
}
