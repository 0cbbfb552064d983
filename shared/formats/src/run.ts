// The format-neutral shape every reader produces: one agent run of one task, its tool calls
// in order with their results or errors, and its outcome when the log says it. `runToSteps`
// turns a run into the AgentStep events the segmenter consumes (schemas/src/agent-step.ts).
import { deterministicId } from '@praxis/core';
import type { AgentStepInput } from '@praxis/schemas';

/** One tool call as a log recorded it. */
export interface ImportedToolCall {
  name: string;
  /** The call's arguments; a non-object input is kept under "input". */
  arguments: Record<string, unknown>;
  /** The result as JSON; a result that was not JSON is kept as its text (a JSON string). */
  result: unknown;
  /** Set when the call failed: the log said so, or its result reads as an error. */
  error: { type: string | null; message: string } | null;
  /** The call's id in the log (OpenAI tool_call id, Anthropic tool_use id, span id), if any. */
  callId: string | null;
  startedAtMs: number | null;
  durationMs: number | null;
}

export type RunOutcome = 'SUCCEEDED' | 'FAILED' | 'ABANDONED';

/** One agent's run of one task, as read from a log. */
export interface ImportedRun {
  /** Stable id of the run within its source (file and line, or the log's own id). */
  runId: string;
  /** What groups runs of the same task: the log's task id, else a hash of the query. */
  taskId: string;
  /** The agent that ran it, when the log says (else the importer's --agent). */
  agentId: string | null;
  query: string | null;
  calls: ImportedToolCall[];
  /** From the log, a label record or a verifier; null when unknown. */
  outcome: RunOutcome | null;
  /** A run-level error the log reported (the agent crashed or gave up). */
  error: string | null;
  startedAtMs: number | null;
  model: string | null;
  /** 1-based line of the source where the run starts (for file:line messages). */
  line: number;
}

/** A line or record a reader refused, with why; the importer prints `file:line: reason`. */
export interface ReadError {
  line: number;
  reason: string;
}

/** What every reader returns. */
export interface ReadResult {
  runs: ImportedRun[];
  errors: ReadError[];
}

/** The task id of a run whose log has none: the same query text gives the same id. */
export function taskIdForQuery(query: string | null, fallback: string): string {
  return query === null || query.trim() === '' ? deterministicId('task', fallback) : deterministicId('task', query.trim().replace(/\s+/g, ' ').toLowerCase());
}

/** A run with defaults for what a reader did not set. */
export function makeRun(parts: Partial<ImportedRun> & Pick<ImportedRun, 'runId' | 'line'>): ImportedRun {
  const query = parts.query ?? null;
  return {
    taskId: parts.taskId ?? taskIdForQuery(query, parts.runId),
    agentId: null,
    calls: [],
    outcome: null,
    error: null,
    startedAtMs: null,
    model: null,
    ...parts,
    query,
  };
}

/** A tool call with defaults for what a reader did not set. */
export function makeCall(parts: Partial<ImportedToolCall> & Pick<ImportedToolCall, 'name'>): ImportedToolCall {
  return { arguments: {}, result: null, error: null, callId: null, startedAtMs: null, durationMs: null, ...parts };
}

/** Arguments as an object: JSON text of an object is parsed; anything else is kept under "input". */
export function argumentsObject(input: unknown): Record<string, unknown> {
  if (typeof input === 'string') {
    const parsed = parseJsonText(input);
    if (parsed.ok && isPlainObject(parsed.value)) return parsed.value;
    return input === '' ? {} : { input };
  }
  if (isPlainObject(input)) return input;
  if (input === null || input === undefined) return {};
  return { input };
}

/** A result as JSON: text that is a JSON object or array is parsed, other text kept as text. */
export function resultValue(result: unknown): unknown {
  if (typeof result !== 'string') return result ?? null;
  const t = result.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    const parsed = parseJsonText(t);
    if (parsed.ok) return parsed.value;
  }
  return result;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

export interface StepOptions {
  tenantId: string;
  /** Used when the run names no agent. */
  agentId: string;
  /** Event time of a run whose log has no times; later runs get later times. */
  baseTimeMs: number;
  /** Time between synthetic events, so runs never overlap (default 1 s per step). */
  stepGapMs?: number;
  /** Applied to every text a step carries (query, arguments, results, errors). */
  redact?: (value: unknown) => unknown;
  /**
   * "index" (default): seq counts the run's steps. "time": seq derives from event time, for
   * runs whose steps arrive in several batches (OTLP), so later batches sort after earlier ones.
   */
  seqFrom?: 'index' | 'time';
}

/**
 * The AgentStep events of a run: a QUERY, one TOOL_CALL per call, and a TASK_END when the
 * outcome is known. Ids derive from the run id, so a re-import produces the same events
 * (the segmenter drops duplicates). Returns the steps and the time after the last one.
 */
export function runToSteps(run: ImportedRun, options: StepOptions): { steps: AgentStepInput[]; endMs: number } {
  const gap = options.stepGapMs ?? 1_000;
  const redact = options.redact ?? ((v: unknown) => v);
  const agentId = run.agentId ?? options.agentId;
  const sessionId = deterministicId('ses', run.runId);
  let t = run.startedAtMs ?? options.baseTimeMs;
  const steps: AgentStepInput[] = [];
  const base = { tenantId: options.tenantId, agentId, sessionId, taskId: run.taskId };
  const next = (at: number | null) => (t = Math.max(t, at ?? t + (steps.length === 0 ? 0 : gap)));
  const seq = () => (options.seqFrom === 'time' ? t * 1_000 + Math.min(steps.length, 999) : steps.length);
  if (run.query !== null) steps.push({ ...base, eventId: deterministicId('evt', run.runId, 'query'), kind: 'QUERY', timestampMs: next(null), seq: seq(), query: String(redact(run.query)), model: run.model });
  for (const [i, call] of run.calls.entries()) {
    steps.push({
      ...base,
      eventId: deterministicId('evt', run.runId, 'call', call.callId ?? i),
      kind: 'TOOL_CALL',
      timestampMs: next(call.startedAtMs),
      seq: seq(),
      toolName: call.name.slice(0, 200),
      parametersJson: JSON.stringify(redact(call.arguments)),
      resultJson: call.result === undefined ? null : JSON.stringify(redact(call.result)),
      status: call.error ? 'ERROR' : 'OK',
      errorType: call.error?.type ?? null,
      errorMessage: call.error ? String(redact(call.error.message)) : null,
      durationMs: call.durationMs,
      model: run.model,
    });
  }
  if (run.outcome !== null) {
    steps.push({
      ...base,
      eventId: deterministicId('evt', run.runId, 'end'),
      kind: 'TASK_END',
      timestampMs: next(null),
      seq: seq(),
      taskOutcome: run.outcome,
      status: run.error ? 'ERROR' : 'OK',
      errorMessage: run.error ? String(redact(run.error)) : null,
    });
  }
  return { steps, endMs: t + gap };
}

/** How stepsOfRuns lays runs out. */
export interface LayoutOptions {
  tenantId: string;
  /** Agent of runs that name none. */
  agentId?: string;
  /** The last synthetic event is at this time (runs without times of their own end by now). */
  endMs: number;
  stepGapMs?: number;
  redact?: (value: unknown) => unknown;
}

/**
 * The AgentStep events of the runs, in the runs' order. Runs whose log has no times are laid
 * one after another so that the last ends at `endMs`: recent enough for the horizon and for
 * brokers' time bounds, never overlapping.
 */
export function stepsOfRuns(runs: readonly ImportedRun[], options: LayoutOptions): { step: AgentStepInput; run: ImportedRun }[] {
  const gap = options.stepGapMs ?? 1_000;
  const untimed = runs.filter((r) => r.startedAtMs === null).reduce((n, r) => n + (r.calls.length + 3) * gap, 0);
  let t = options.endMs - untimed;
  const steps: { step: AgentStepInput; run: ImportedRun }[] = [];
  for (const run of runs) {
    const out = runToSteps(run, { tenantId: options.tenantId, agentId: options.agentId ?? 'imported', baseTimeMs: t, stepGapMs: gap, redact: options.redact });
    if (run.startedAtMs === null) t = out.endMs;
    for (const step of out.steps) steps.push({ step, run });
  }
  return steps;
}
