// The rewrite tier's variable nodes. The benchmark configures no model to write them, and no
// strategy may read a task's ground truth to fill them: a rewrite whose slots the router
// could not bind reports them as unbound, and the agent plans the task from scratch instead
// (counted and labelled in the report: "rewrite slots unbound (no model configured)").
import type { SlotToGenerate } from '@praxis/contracts';
import type { LlmCall, TaskEnv } from './planner.js';

export interface Generation {
  ok: boolean;
  values: Record<string, unknown>;
  /** LLM calls made for the values (none: no model is configured). */
  attempts: number;
  /** The variable nodes left unbound. */
  unbound: string[];
}

/** With no model configured, nothing is generated: every variable node stays unbound and no LLM call is made. */
export function generateValues(_env: TaskEnv, slots: SlotToGenerate[], _llm: LlmCall[]): Generation {
  return { ok: slots.length === 0, values: {}, attempts: 0, unbound: slots.map((s) => s.name) };
}
