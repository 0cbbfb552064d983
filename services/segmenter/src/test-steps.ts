// Test factories for segmenter unit tests (not exported from the package).
import { AgentStepSchema, type AgentStep, type AgentStepInput } from '@praxis/schemas';
import { makeAgentStep } from '@praxis/schemas/factories';
import { DEFAULT_POLICY, type SegmenterPolicy } from './policy.js';
import { PartitionSegmenter, type EmittedTrajectory } from './processor.js';
import { toPending, type PendingEvent } from './pending.js';

export const T0 = Date.UTC(2026, 0, 12, 9, 0, 0);
export const SEC = 1_000;
export const MIN = 60_000;

/** A validated step of session `s1` at T0 + atMs. */
export function step(seq: number, atMs: number, overrides: Partial<AgentStepInput> = {}): AgentStep {
  return AgentStepSchema.parse(makeAgentStep({ eventId: `e-${overrides.sessionId ?? 's1'}-${seq}`, sessionId: 's1', seq, timestampMs: T0 + atMs, ...overrides }));
}

/** A QUERY step. */
export const query = (seq: number, atMs: number, text = 'where is order A-1001?', o: Partial<AgentStepInput> = {}) => step(seq, atMs, { kind: 'QUERY', query: text, toolName: null, parametersJson: null, resultJson: null, ...o });
/** A TOOL_CALL step. */
export const tool = (seq: number, atMs: number, name = 'lookup_order', o: Partial<AgentStepInput> = {}) => step(seq, atMs, { toolName: name, ...o });
/** A TASK_END step. */
export const end = (seq: number, atMs: number, outcome: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED', o: Partial<AgentStepInput> = {}) =>
  step(seq, atMs, { kind: 'TASK_END', taskOutcome: outcome, toolName: null, parametersJson: null, resultJson: null, ...o });
/** An LLM_CALL step with tokens. */
export const llm = (seq: number, atMs: number, o: Partial<AgentStepInput> = {}) =>
  step(seq, atMs, { kind: 'LLM_CALL', model: 'm', promptTokens: 100, completionTokens: 20, toolName: null, parametersJson: null, resultJson: null, ...o });

/** The pending form of a step. */
export const pending = (s: AgentStep, offset = 0) => toPending(s, offset, 0, false) as PendingEvent;

/** A partition segmenter with the default policy (or overrides). */
export function segmenter(policy: Partial<SegmenterPolicy> = {}, idleMs = 5 * MIN) {
  return new PartitionSegmenter({ policyFor: () => ({ ...DEFAULT_POLICY, ...policy }), idleMs, maxPendingPerSession: 50, highStride: 1 });
}

/** Applies steps with consecutive offsets from `from`, kts = offset, collecting outputs. */
export function feed(seg: PartitionSegmenter, steps: AgentStep[], from = 0, out: EmittedTrajectory[] = []) {
  const results = steps.map((s, i) => seg.apply(s, from + i, from + i, out));
  return { results, out };
}
