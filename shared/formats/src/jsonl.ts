// Our own JSONL: one AgentStep or Trajectory per line (docs/learning.md, "Import format").
import { AgentStepSchema, formatIssues, TrajectorySchema, type AgentStep, type Trajectory } from '@praxis/schemas';

export type ImportLine =
  | { kind: 'step'; line: number; step: AgentStep }
  | { kind: 'trajectory'; line: number; trajectory: Trajectory }
  | { kind: 'blank'; line: number }
  | { kind: 'error'; line: number; reason: string };

/** Whether a parsed JSON value is one of our records (by "type", or by its fields). */
export function isPraxisRecord(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return v.type === 'step' || v.type === 'trajectory' || ('trajectoryId' in v && 'steps' in v) || ('kind' in v && 'seq' in v);
}

/**
 * Parses one line. The optional "type" field ("step" or "trajectory") says what it is;
 * without it, an object with trajectoryId and steps is a trajectory, one with kind and seq
 * a step.
 */
export function parseImportLine(text: string, line: number): ImportLine {
  if (text.trim() === '') return { kind: 'blank', line };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'error', line, reason: `not JSON (${(error as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'error', line, reason: 'not a JSON object' };
  const { type, ...record } = value as Record<string, unknown>;
  let kind: 'step' | 'trajectory';
  if (type === 'step' || type === 'trajectory') kind = type;
  else if (type !== undefined) return { kind: 'error', line, reason: `unknown type ${JSON.stringify(type)} (expected "step" or "trajectory")` };
  else if ('trajectoryId' in record && 'steps' in record) kind = 'trajectory';
  else if ('kind' in record && 'seq' in record) kind = 'step';
  else return { kind: 'error', line, reason: 'neither an AgentStep (kind, seq, ...) nor a Trajectory (trajectoryId, steps, ...); add "type" to say which' };
  if (kind === 'step') {
    const parsed = AgentStepSchema.safeParse(record);
    return parsed.success ? { kind: 'step', line, step: parsed.data } : { kind: 'error', line, reason: `invalid AgentStep: ${formatIssues(parsed.error)}` };
  }
  const parsed = TrajectorySchema.safeParse(record);
  return parsed.success ? { kind: 'trajectory', line, trajectory: parsed.data } : { kind: 'error', line, reason: `invalid Trajectory: ${formatIssues(parsed.error)}` };
}

/** Steps in the order a producer should send them: by event time, then session and seq. */
export function inEventTimeOrder<T extends { step: AgentStep }>(steps: T[]): T[] {
  return [...steps].sort((a, b) => a.step.timestampMs - b.step.timestampMs || (a.step.sessionId < b.step.sessionId ? -1 : a.step.sessionId > b.step.sessionId ? 1 : 0) || a.step.seq - b.step.seq);
}
