// A step waiting in an open task, kept compact: the result is reduced to its shape and an
// index of its distinctive values (for dataflow detection), never kept whole.
import { arraySelectors, getPath, joinPath, leaves, resultBounds, shapeHash, shapeOf, splitPath, stableStringify } from '@praxis/core';
import type { AgentStep } from '@praxis/schemas';

/** Most result leaves indexed per step, and paths kept per value: bounds memory per open step. */
export const MAX_RESULT_LEAVES = 300;
const MAX_PATHS_PER_VALUE = 3;

export interface PendingEvent {
  eventId: string;
  seq: number;
  kind: AgentStep['kind'];
  timestampMs: number;
  /** Offset in the steps partition (commit hold, lineage). */
  offset: number;
  /** Broker (producer) timestamp of the record: the log's processing-time clock. */
  kts: number;
  /** Arrived behind the partition watermark, within the allowed lateness. */
  late: boolean;
  /** Repeats of this eventId that were dropped. */
  duplicates: number;
  taskId: string | null;
  query: string | null;
  /** QUERY: the task's own time when not the event time. */
  referenceTimeMs: number | null;
  templateId: string | null;
  taskOutcome: AgentStep['taskOutcome'];
  toolName: string | null;
  parametersJson: string | null;
  status: AgentStep['status'];
  errorType: string | null;
  errorMessage: string | null;
  durationMs: number | null;
  resultShapeJson: string | null;
  resultShapeHash: string | null;
  /** Distinctive result values (see valueKey) to the paths where they occur, with the value as the result holds it. */
  resultValues: Map<string, ResultLeaf[]> | null;
  /** Smallest and largest number of the result by path (resultBounds): what value conditions are read from once the query is known. */
  resultBounds: Map<string, [number, number]> | null;
  promptTokens: number;
  completionTokens: number;
}

/** A leaf of a result: where it is and its value (a JSON primitive). */
export interface ResultLeaf {
  path: string;
  value: unknown;
  /** When the path goes through an array: the selectors that pick its element at the deepest array (first, last, max:<field>...). */
  select?: string[];
}

/**
 * The comparable form of a value for dataflow detection, or null when the value is too
 * common to say anything (booleans, null, -1..1 unless written zero-padded as an id, strings
 * under 3 characters). Numeric
 * strings compare as numbers, so "1234" in a parameter matches 1234 in a result; text
 * compares without case and punctuation, so "#W5056519" in a parameter matches
 * "w5056519" in a result (the inducer's transforms give the tool its form).
 */
export function valueKey(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) && !(Number.isInteger(value) && Math.abs(value) <= 1) ? `n:${value}` : null;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  // an id written zero-padded ("00000001") is as distinctive as any other id, though its number is not
  if (/^0\d{2,14}$/.test(s)) return `n:${Number(s)}`;
  if (/^-?\d+(\.\d+)?$/.test(s) && s.length < 16) return valueKey(Number(s));
  const folded = s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  if (folded.length < 3) return null;
  if (/^\d+$/.test(folded) && folded.length < 16) return valueKey(Number(folded));
  return `s:${folded}`;
}

/** The selectors of the element a path goes through at its deepest array, computed once per array (see arraySelectors). */
function elementSelectors(result: unknown, path: string, memo: Map<string, string[][]>): string[] | undefined {
  const segments = splitPath(path);
  let q = segments.length - 1;
  while (q >= 0 && !/^\d+$/.test(segments[q]!)) q--;
  if (q < 0) return undefined;
  const arrayPath = joinPath(segments.slice(0, q));
  let perElement = memo.get(arrayPath);
  if (!perElement) {
    const array = getPath(result, arrayPath);
    perElement = Array.isArray(array) ? arraySelectors(array) : [];
    memo.set(arrayPath, perElement);
  }
  const select = perElement[Number(segments[q])];
  return select && select.length > 0 ? select : undefined;
}

function indexResult(result: unknown): Map<string, ResultLeaf[]> {
  const index = new Map<string, ResultLeaf[]>();
  const memo = new Map<string, string[][]>();
  for (const leaf of leaves(result, MAX_RESULT_LEAVES)) {
    const key = valueKey(leaf.value);
    if (key === null) continue;
    const found = index.get(key) ?? [];
    if (found.length >= MAX_PATHS_PER_VALUE) continue;
    const select = elementSelectors(result, leaf.path, memo);
    found.push({ path: leaf.path, value: leaf.value, ...(select ? { select } : {}) });
    index.set(key, found);
  }
  return index;
}

/** The pending form of a validated step. */
export function toPending(step: AgentStep, offset: number, kts: number, late: boolean): PendingEvent {
  let resultShapeJson: string | null = null;
  let resultShapeHash: string | null = null;
  let resultValues: Map<string, ResultLeaf[]> | null = null;
  let bounds: Map<string, [number, number]> | null = null;
  if (step.kind === 'TOOL_CALL' && step.resultJson !== null && !step.resultTruncated) {
    const result: unknown = JSON.parse(step.resultJson);
    resultShapeJson = stableStringify(shapeOf(result));
    resultShapeHash = shapeHash(result);
    resultValues = indexResult(result);
    bounds = resultBounds(result);
  }
  return {
    eventId: step.eventId,
    seq: step.seq,
    kind: step.kind,
    timestampMs: step.timestampMs,
    offset,
    kts,
    late,
    duplicates: 0,
    taskId: step.taskId,
    query: step.query,
    referenceTimeMs: step.referenceTimeMs ?? null,
    templateId: step.templateId,
    taskOutcome: step.taskOutcome,
    toolName: step.toolName,
    parametersJson: step.parametersJson,
    status: step.status,
    errorType: step.errorType,
    errorMessage: step.errorMessage,
    durationMs: step.durationMs,
    resultShapeJson,
    resultShapeHash,
    resultValues,
    resultBounds: bounds,
    promptTokens: step.promptTokens ?? 0,
    completionTokens: step.completionTokens ?? 0,
  };
}
