// The fleet's vocabulary: agents, their tools, and the workflows planted in their traffic.
import type { JsonPrimitive } from '@praxis/core';
import type { Rng } from './random.js';
import type { ErrorKind, JsonSchema, ToolDef } from './tools.js';

/** A typed variable of a workflow, with the JSON Schema a learner should infer for it. */
export interface SlotDef {
  name: string;
  /** The schema the inducer is expected to find: type, and format, pattern or enum when they apply. */
  expected: JsonSchema;
  /** A fresh valid value. */
  gen(rng: Rng): JsonPrimitive;
  /** A value the tools reject as not found (for failing tasks), when the slot is an id. */
  missing?(rng: Rng): JsonPrimitive;
}

/** Where a parameter of a planted workflow step takes its value from. */
export type ParamSource =
  | { kind: 'constant'; value: JsonPrimitive }
  /** A slot whose value is written in the query text. */
  | { kind: 'query'; slot: string }
  /** A per-session value the caller knows (the user, their manager), never in the query. */
  | { kind: 'context'; slot: string }
  /** A value made up for each run (a summary, a message), never in the query. */
  | { kind: 'generated'; slot: string; make(rng: Rng, values: Record<string, JsonPrimitive>): JsonPrimitive }
  /** An earlier step's result at a dot path. */
  | { kind: 'step'; step: number; path: string };

export interface WorkflowStepDef {
  tool: string;
  /** Parameter path (dot path into the arguments) to its source. */
  params: Record<string, ParamSource>;
}

/** A mistake the simulated agent sometimes makes at a step, and fixes after the tool refuses it. */
export interface MistakeDef {
  kind: Extract<ErrorKind, 'DATE_FORMAT' | 'ENUM_CASE'>;
  step: number;
  param: string;
}

export interface WorkflowDef {
  /** Stable id, e.g. "travel.book_flight". */
  id: string;
  description: string;
  /** Phrasings with {slot} placeholders; every query slot appears in each. */
  queries: string[];
  /** Slots whose values appear in the query. */
  slots: SlotDef[];
  steps: WorkflowStepDef[];
  mistakes?: MistakeDef[];
  /** Slot used to make failing tasks (its `missing` value makes the first step fail with NotFound). */
  failVia?: string;
}

export interface AgentDef {
  tenantId: string;
  agentId: string;
  description: string;
  tools: ToolDef[];
  /** Per-session values (the user, their manager...), available as `context` params. */
  context: SlotDef[];
  workflows: WorkflowDef[];
  /** Whether this agent's SDK sends task ids. */
  sendsTaskIds: boolean;
  /** LLM used for planning. */
  model: string;
}
