// Deterministic replay of a workflow against the agent's own tool functions: resolve each
// step's arguments, validate them, call the tool, retry transient errors with backoff,
// apply avoidance hints to known failures, stop at the first failure with the partial
// results, report progress, and send the outcome as feedback (docs/sdk.md, "Executor").
// No router or Kafka here: feedback goes to an injected sink.
import { randomUUID } from 'node:crypto';
import type { FeedbackRequest, OutcomeName, TierName } from '@praxis/contracts';
import { errorFingerprint, normaliseErrorMessage, schemaProblems, ToolError, type ToolRegistry } from '@praxis/core';
import type { AvoidanceHint, Slot, TemplateStep } from '@praxis/schemas';
import { applyHint, preventiveFixes } from './hints.js';
import { ParameterError, resolveParams } from './params.js';
import { conditionHolds, conditionOf, describeCondition, loopElements, missingInputs } from './structure.js';
import type { Recorder, StepInput } from './recorder.js';

type StructureField = 'loop' | 'optional' | 'conditionJson' | 'segmentId';
/** A step as the executor takes it: structure fields may be left out (workflows written before they existed). */
export type RunnableStep = Omit<TemplateStep, StructureField> & Partial<Pick<TemplateStep, StructureField>>;

/** What the executor needs of a workflow: a lookup's `workflow`, or a Template. */
export interface RunnableWorkflow {
  templateId: string;
  version: number;
  /** LEARNED slot enums list the values seen so far and reject nothing; USER ones are kept (default). */
  source?: 'LEARNED' | 'USER';
  steps: RunnableStep[];
  slots: Slot[];
  bindings?: Record<string, unknown>;
  /** A partial answer: these are the reusable first steps of a workflow, and the agent plans the rest. */
  partial?: boolean;
  avoidanceHints?: AvoidanceHint[];
}

export type ProgressEvent =
  | { type: 'started'; executionId: string; stepsTotal: number }
  /** `iteration`: the loop element's position, on loop steps. */
  | { type: 'step_started'; index: number; toolName: string; params: Record<string, unknown>; iteration?: number }
  /** An optional step whose condition does not hold or whose inputs are missing. */
  | { type: 'step_skipped'; index: number; toolName: string; reason: string }
  | { type: 'step_retry'; index: number; toolName: string; attempt: number; delayMs: number; error: string }
  /** `preventive`: applied before the first call because the argument broke the hint's schema. */
  | { type: 'hint_applied'; index: number; toolName: string; kind: AvoidanceHint['kind']; description: string; preventive: boolean }
  | { type: 'step_succeeded'; index: number; toolName: string; durationMs: number }
  | { type: 'step_failed'; index: number; toolName: string; error: string }
  | { type: 'finished'; outcome: OutcomeName; stepsCompleted: number };

/** Receives the outcome of a run (e.g. the router's POST /v1/feedback, through RouterClient). */
export type FeedbackSink = (report: FeedbackRequest) => Promise<unknown>;

export interface RetryPolicy {
  /** Attempts per step for transient errors, the first included. */
  attempts: number;
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, initialMs: 100, maxMs: 2_000, factor: 2 };

export interface ExecuteOptions {
  workflow: RunnableWorkflow;
  tools: ToolRegistry;
  /** Slot values; they override the workflow's bindings. */
  bindings?: Record<string, unknown>;
  /** JSON Schemas of tool parameters: arguments are checked against them before each call. */
  toolSchemas?: Record<string, object>;
  retry?: Partial<RetryPolicy>;
  onProgress?: (event: ProgressEvent) => void;
  feedback?: FeedbackSink;
  agentId?: string;
  sessionId?: string;
  /** The lookup that served the workflow (for feedback and false-hit counting). */
  lookup?: { lookupId?: string; tier?: TierName };
  executionId?: string;
  signal?: AbortSignal;
  /** Records each tool call as a TOOL_CALL step (templateId set), so replays are learned from too. */
  recorder?: Recorder;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** One call of a step (a loop step has one report per iteration), or one skipped optional step. */
export interface StepReport {
  index: number;
  toolName: string;
  params: Record<string, unknown>;
  status: 'succeeded' | 'failed' | 'skipped';
  /** Loop steps: the element's position in the collection. */
  iteration?: number;
  skipReason?: string;
  attempts: number;
  durationMs: number;
  result?: unknown;
  error?: ExecutionError;
  hintsApplied: AvoidanceHint['kind'][];
}

export interface ExecutionError {
  message: string;
  type: string;
  transient: boolean;
  fingerprint: string;
}

export interface ExecutionResult {
  executionId: string;
  outcome: Extract<OutcomeName, 'succeeded' | 'failed' | 'abandoned'>;
  /** Results by step index (partial on failure): a loop step's is the array of its iterations' results; a skipped step's is empty. */
  results: unknown[];
  steps: StepReport[];
  stepsTotal: number;
  /** Steps that ran to the end (every iteration of a loop) or were skipped as optional. */
  stepsCompleted: number;
  failedStep: number | null;
  /** The workflow was a partial answer: `results` are where the agent's own planning continues. */
  partial: boolean;
  error: ExecutionError | null;
  retries: number;
  hintsApplied: number;
  durationMs: number;
  /** From execute() to the first tool call: the executor's own start-up cost. */
  startupMs: number | null;
  feedback: { sent: boolean; error?: string };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Records a tool call when a recorder is given; recording never fails a run. */
function record(options: ExecuteOptions, step: StepInput): void {
  try {
    options.recorder?.record(step);
  } catch {
    // an unrecordable step (e.g. an invalid session id) is the recorder's business, not the run's
  }
}

/** A thrown value as a tool error: ToolErrors keep their type and transience; anything else is permanent. */
function asToolError(error: unknown): ToolError {
  if (error instanceof ToolError) return error;
  if (error instanceof Error) return new ToolError(error.message, error.name || 'Error', false);
  return new ToolError(String(error), 'Error', false);
}

/** Replays a workflow step by step. Never throws for a failing step: the result says where it stopped. */
export async function executeWorkflow(options: ExecuteOptions): Promise<ExecutionResult> {
  const started = performance.now();
  const { workflow, tools } = options;
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const sleep = options.sleep ?? defaultSleep;
  const executionId = options.executionId ?? `exe_${randomUUID()}`;
  const bindings = { ...(workflow.bindings ?? {}), ...(options.bindings ?? {}) };
  const hints = workflow.avoidanceHints ?? [];
  const progress = options.onProgress ?? (() => undefined);
  // by step index: a loop step's result is the array of its iterations' results; a skipped step leaves a hole
  const results: unknown[] = [];
  const steps: StepReport[] = [];
  let retries = 0;
  let hintsApplied = 0;
  let startupMs: number | null = null;
  let failure: { index: number; error: ExecutionError } | null = null;
  let abandoned = false;
  let completed = 0;

  /** One call of a step (one loop iteration): resolve, validate, call with retries and hints. */
  const callOnce = async (step: RunnableStep, item: { value: unknown } | undefined, iteration: number | undefined): Promise<{ ok: true; result: unknown } | { ok: false; skipped?: boolean }> => {
    const stepStarted = performance.now();
    const report: StepReport = { index: step.index, toolName: step.toolName, params: {}, status: 'failed', attempts: 0, durationMs: 0, hintsApplied: [], ...(iteration !== undefined ? { iteration } : {}) };
    steps.push(report);
    const fail = (error: ExecutionError) => {
      report.error = error;
      report.durationMs = performance.now() - stepStarted;
      failure = { index: step.index, error };
      progress({ type: 'step_failed', index: step.index, toolName: step.toolName, error: error.message });
      return { ok: false as const };
    };
    const problem = (message: string, type: string): ExecutionError => ({ message, type, transient: false, fingerprint: errorFingerprint(step.toolName, type, message) });

    let params: Record<string, unknown>;
    try {
      params = resolveParams(step, workflow.slots, bindings, results, workflow.source, item);
    } catch (error) {
      if (!(error instanceof ParameterError)) throw error;
      // an optional step whose inputs are missing is skipped, not failed (docs/sdk.md, "Structures")
      if (step.optional && iteration === undefined) {
        steps.pop();
        skip(step, error.message);
        return { ok: false, skipped: true };
      }
      return fail(problem(error.message, 'ParameterError'));
    }
    // Known failures whose fix is a value shape (an ISO date, an enum's case) are avoided, not met.
    const prevented = preventiveFixes(step.toolName, hints, params);
    params = prevented.params;
    for (const hint of prevented.applied) {
      hintsApplied++;
      report.hintsApplied.push(hint.kind);
      progress({ type: 'hint_applied', index: step.index, toolName: step.toolName, kind: hint.kind, description: hint.description, preventive: true });
    }
    const tool = tools[step.toolName];
    if (!tool) return fail(problem(`no tool "${step.toolName}" in the registry`, 'UnknownTool'));
    const schema = options.toolSchemas?.[step.toolName];
    const invalid = (p: Record<string, unknown>) => (schema ? schemaProblems(schema, p) : null);
    const badParams = invalid(params);
    if (badParams) {
      report.params = params;
      return fail(problem(`invalid parameters for ${step.toolName}: ${badParams}`, 'InvalidParameters'));
    }

    progress({ type: 'step_started', index: step.index, toolName: step.toolName, params, ...(iteration !== undefined ? { iteration } : {}) });
    const used = new Set<AvoidanceHint>(prevented.applied);
    let transientLeft = retry.attempts - 1;
    let transientRetry = 0;
    for (;;) {
      if (options.signal?.aborted) {
        abandoned = true;
        return { ok: false };
      }
      report.attempts++;
      report.params = params;
      startupMs ??= performance.now() - started;
      const callStarted = Date.now();
      try {
        const result = await tool(structuredClone(params));
        record(options, { kind: 'TOOL_CALL', sessionId: options.sessionId ?? executionId, toolName: step.toolName, parameters: params, result, durationMs: Date.now() - callStarted, templateId: workflow.templateId });
        report.status = 'succeeded';
        report.result = result;
        report.durationMs = performance.now() - stepStarted;
        progress({ type: 'step_succeeded', index: step.index, toolName: step.toolName, durationMs: report.durationMs });
        return { ok: true, result };
      } catch (thrown) {
        const e = asToolError(thrown);
        const error: ExecutionError = { message: e.message, type: e.type, transient: e.transient, fingerprint: errorFingerprint(step.toolName, e.type, e.message) };
        record(options, { kind: 'TOOL_CALL', sessionId: options.sessionId ?? executionId, toolName: step.toolName, parameters: params, status: 'ERROR', errorType: e.type, errorMessage: e.message, durationMs: Date.now() - callStarted, templateId: workflow.templateId });
        if (e.transient && transientLeft > 0) {
          transientLeft--;
          const delayMs = Math.min(retry.maxMs, retry.initialMs * retry.factor ** transientRetry++);
          retries++;
          progress({ type: 'step_retry', index: step.index, toolName: step.toolName, attempt: report.attempts, delayMs, error: e.message });
          await sleep(delayMs);
          continue;
        }
        const hint = hints.find((h) => h.toolName === step.toolName && h.fingerprint === error.fingerprint && !used.has(h));
        if (!hint) return fail(error);
        used.add(hint);
        const applied = await applyHint(hint, params, tools);
        if (!applied.ok) return fail({ ...error, message: `${error.message} (avoidance hint failed: ${applied.reason})` });
        const stillInvalid = invalid(applied.params);
        if (stillInvalid) return fail({ ...error, message: `${error.message} (avoidance hint gave invalid parameters: ${stillInvalid})` });
        params = applied.params;
        hintsApplied++;
        report.hintsApplied.push(hint.kind);
        progress({ type: 'hint_applied', index: step.index, toolName: step.toolName, kind: hint.kind, description: hint.description, preventive: false });
      }
    }
  };
  const skip = (step: RunnableStep, reason: string) => {
    steps.push({ index: step.index, toolName: step.toolName, params: {}, status: 'skipped', attempts: 0, durationMs: 0, hintsApplied: [], skipReason: reason });
    progress({ type: 'step_skipped', index: step.index, toolName: step.toolName, reason });
    completed++;
  };

  progress({ type: 'started', executionId, stepsTotal: workflow.steps.length });
  for (const step of workflow.steps) {
    if (options.signal?.aborted) {
      abandoned = true;
      break;
    }
    if (!conditionHolds(step, bindings, results)) {
      skip(step, `its condition does not hold: ${describeCondition(conditionOf(step)!)} is false (${step.conditionJson})`);
      continue;
    }
    const missing = missingInputs(step, bindings);
    if (missing.length > 0) {
      const inputs = missing.map((n) => `slot "${n}"`).join(', ');
      const condition = conditionOf(step);
      // a condition on a result that holds says the step is due: doing without its inputs is no success
      if (condition && !('whenSlot' in condition)) {
        const message = `its condition holds (${describeCondition(condition)}) but ${inputs} has no value`;
        const e: ExecutionError = { message, type: 'ParameterError', transient: false, fingerprint: errorFingerprint(step.toolName, 'ParameterError', message) };
        steps.push({ index: step.index, toolName: step.toolName, params: {}, status: 'failed', attempts: 0, durationMs: 0, hintsApplied: [], error: e });
        failure = { index: step.index, error: e };
        progress({ type: 'step_failed', index: step.index, toolName: step.toolName, error: message });
        break;
      }
      skip(step, `its inputs are missing: ${inputs} has no value`);
      continue;
    }
    if (!step.loop) {
      const call = await callOnce(step, undefined, undefined);
      if (call.ok) {
        results[step.index] = call.result;
        completed++;
      }
      if (failure || abandoned) break;
      continue;
    }
    let elements: unknown[];
    try {
      elements = loopElements(step, bindings, results);
    } catch (error) {
      if (!(error instanceof ParameterError)) throw error;
      if (step.optional) {
        skip(step, error.message);
        continue;
      }
      steps.push({ index: step.index, toolName: step.toolName, params: {}, status: 'failed', attempts: 0, durationMs: 0, hintsApplied: [] });
      const e: ExecutionError = { message: error.message, type: 'ParameterError', transient: false, fingerprint: errorFingerprint(step.toolName, 'ParameterError', error.message) };
      steps[steps.length - 1]!.error = e;
      failure = { index: step.index, error: e };
      progress({ type: 'step_failed', index: step.index, toolName: step.toolName, error: e.message });
      break;
    }
    const iterations: unknown[] = [];
    for (const [i, value] of elements.entries()) {
      const call = await callOnce(step, { value }, i);
      if (!call.ok) break;
      iterations.push(call.result);
    }
    if (failure || abandoned) break;
    results[step.index] = iterations;
    completed++;
  }

  const stepsCompleted = completed;
  const failed = failure as { index: number; error: ExecutionError } | null;
  const outcome: ExecutionResult['outcome'] = abandoned ? 'abandoned' : failed ? 'failed' : 'succeeded';
  progress({ type: 'finished', outcome, stepsCompleted });
  const result: ExecutionResult = {
    executionId,
    outcome,
    results,
    steps,
    stepsTotal: workflow.steps.length,
    stepsCompleted,
    failedStep: failed?.index ?? null,
    partial: workflow.partial === true,
    error: failed?.error ?? null,
    retries,
    hintsApplied,
    durationMs: performance.now() - started,
    startupMs,
    feedback: { sent: false },
  };
  if (options.feedback) {
    try {
      await options.feedback(outcomeReport(result, workflow, options));
      result.feedback = { sent: true };
    } catch (error) {
      result.feedback = { sent: false, error: (error as Error).message };
    }
  }
  return result;
}

/** The feedback body of a finished run. */
export function outcomeReport(result: ExecutionResult, workflow: RunnableWorkflow, options: Pick<ExecuteOptions, 'agentId' | 'sessionId' | 'lookup'>): FeedbackRequest {
  return {
    executionId: result.executionId,
    templateId: workflow.templateId,
    templateVersion: workflow.version,
    agentId: options.agentId ?? 'agent',
    outcome: result.outcome,
    stepsTotal: result.stepsTotal,
    stepsCompleted: result.stepsCompleted,
    durationMs: Math.round(result.durationMs),
    retries: result.retries,
    hintsApplied: result.hintsApplied,
    timestampMs: Date.now(),
    ...(options.lookup?.lookupId ? { lookupId: options.lookup.lookupId } : {}),
    ...(options.lookup?.tier ? { tier: options.lookup.tier } : {}),
    ...(options.sessionId ? { sessionId: options.sessionId } : {}),
    ...(result.failedStep !== null ? { failedStep: result.failedStep } : {}),
    ...(result.error ? { errorFingerprint: result.error.fingerprint, errorMessage: normaliseErrorMessage(result.error.message).slice(0, 2_000) } : {}),
  };
}
