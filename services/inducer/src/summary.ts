// What the inducer keeps of a trajectory: its tool steps with parsed parameters, dataflow
// links, shapes and errors, and the mining sequence (the calls that count).
import { leaves, stableStringify, type JsonPrimitive } from '@praxis/core';
import type { Trajectory, ValueSource } from '@praxis/schemas';

export interface InstanceStep {
  index: number;
  toolName: string;
  timestampMs: number;
  params: Record<string, unknown>;
  /** Parameter leaves by path. */
  values: Map<string, JsonPrimitive>;
  status: 'OK' | 'ERROR';
  errorType: string | null;
  errorMessage: string | null;
  errorFingerprint: string | null;
  paramShapeHash: string;
  resultShapeHash: string | null;
  /** The result's structure (shapeOf) as JSON; what conditions on an earlier result are learned from (conditions.ts). */
  resultShapeJson?: string | null;
  /** How the result's numbers stand to the query's comparisons (trajectory.avsc resultComparisonsJson): what value conditions are learned from. */
  resultComparisonsJson?: string | null;
  dataflow: ValueSource[];
  retryOf: number | null;
  durationMs: number | null;
}

export interface TrajectorySummary {
  trajectoryId: string;
  /** Where it was read: praxis.trajectories.v1 partition and offset (lineage). */
  partition: number;
  offset: number;
  tenantId: string;
  agentId: string;
  sessionId: string;
  query: string | null;
  /** The task the run worked on: the log's task id with its query when it has one (several agents' runs of one task), else the trajectory itself. */
  taskKey: string;
  startedAtMs: number;
  /** The task's own time (relative dates of its query were meant against it): its reference time, else its start. */
  referenceTimeMs: number;
  endedAtMs: number;
  outcome: Trajectory['outcome'];
  success: boolean;
  tokens: number;
  steps: InstanceStep[];
  /** Indices of the steps that count for mining (see minedSteps). */
  mined: number[];
  /** Tool names of the mined steps. */
  sequence: string[];
}

/**
 * The steps that count for mining: every call except failed attempts that a later call
 * retried, the detour steps taken between such a failure and its retry (those become
 * avoidance hints, not part of the path), and a successful call repeated right after with
 * the same arguments (the repeat adds nothing; only the last is kept).
 */
export function minedSteps(steps: readonly (Pick<InstanceStep, 'status' | 'retryOf'> & Partial<Pick<InstanceStep, 'toolName' | 'params'>>)[]): number[] {
  const skip = new Set<number>();
  steps.forEach((s, i) => {
    if (s.retryOf === null) return;
    skip.add(s.retryOf);
    for (let k = s.retryOf + 1; k < i; k++) skip.add(k);
  });
  const kept = steps.map((_, i) => i).filter((i) => !skip.has(i));
  const same = (a: (typeof steps)[number], b: (typeof steps)[number]) => a.toolName !== undefined && a.toolName === b.toolName && a.status === 'OK' && b.status === 'OK' && stableStringify(a.params ?? null) === stableStringify(b.params ?? null);
  return kept.filter((i, j) => j + 1 >= kept.length || !same(steps[i]!, steps[kept[j + 1]!]!));
}

/**
 * Whether the task succeeded: its TASK_END says so; without one (UNKNOWN), when no call
 * failed without a successful retry.
 */
export function succeeded(t: Pick<Trajectory, 'outcome'>, steps: readonly Pick<InstanceStep, 'status'>[], mined: readonly number[]): boolean {
  if (t.outcome === 'SUCCEEDED') return true;
  if (t.outcome !== 'UNKNOWN') return false;
  return steps.length > 0 && mined.every((i) => steps[i]!.status === 'OK');
}

/** The summary of a trajectory read at `partition`/`offset`. */
export function summarise(t: Trajectory, partition: number, offset: number): TrajectorySummary {
  const steps: InstanceStep[] = t.steps.map((s) => {
    const params = JSON.parse(s.parametersJson) as Record<string, unknown>;
    return {
      index: s.index,
      toolName: s.toolName,
      timestampMs: s.timestampMs,
      params,
      values: new Map(leaves(params, 200).map((l) => [l.path, l.value])),
      status: s.status,
      errorType: s.errorType,
      errorMessage: s.errorMessage,
      errorFingerprint: s.errorFingerprint,
      paramShapeHash: s.paramShapeHash,
      resultShapeHash: s.resultShapeHash,
      resultShapeJson: s.resultShapeJson,
      resultComparisonsJson: s.resultComparisonsJson ?? null,
      dataflow: s.dataflow,
      retryOf: s.retryOf,
      durationMs: s.durationMs,
    };
  });
  const mined = minedSteps(steps);
  return {
    trajectoryId: t.trajectoryId,
    partition,
    offset,
    tenantId: t.tenantId,
    agentId: t.agentId,
    sessionId: t.sessionId,
    query: t.query,
    taskKey: t.taskId !== null ? `task\u0000${t.taskId}\u0000${t.query ?? ''}` : `run\u0000${t.trajectoryId}`,
    startedAtMs: t.startedAtMs,
    referenceTimeMs: t.referenceTimeMs ?? t.startedAtMs,
    endedAtMs: t.endedAtMs,
    outcome: t.outcome,
    success: succeeded(t, steps, mined),
    tokens: t.promptTokens + t.completionTokens,
    steps,
    mined,
    sequence: mined.map((i) => steps[i]!.toolName),
  };
}
