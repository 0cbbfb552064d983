// A closed task becomes a Trajectory: tool steps in seq order with fingerprints, shapes,
// dataflow and retries; token totals of its LLM calls; a deterministic id.
import { comparisonFacts, deterministicId, errorFingerprint, normaliseErrorMessage, shapeHash } from '@praxis/core';
import type { Trajectory, TrajectoryStep } from '@praxis/schemas';

type CloseReason = Trajectory['closeReason'];
import { dataflowOf } from './dataflow.js';
import type { PendingEvent } from './pending.js';

export interface SessionRef {
  tenantId: string;
  agentId: string;
  sessionId: string;
}

/** The id of a trajectory: tenant, agent, session and the task's first step, so a replay yields the same id. */
export function trajectoryIdOf(session: SessionRef, openingEventId: string): string {
  return deterministicId('traj', session.tenantId, session.agentId, session.sessionId, openingEventId);
}

/** Builds the trajectory of one task from its steps in seq order. */
export function buildTrajectory(session: SessionRef, events: readonly PendingEvent[], closeReason: CloseReason): Trajectory {
  if (events.length === 0) throw new Error('a trajectory needs at least one step');
  const tools = events.filter((e) => e.kind === 'TOOL_CALL');
  const query = events.find((e) => e.kind === 'QUERY')?.query ?? null;
  const end = events.find((e) => e.kind === 'TASK_END');
  const llm = events.filter((e) => e.kind === 'LLM_CALL');
  const steps: TrajectoryStep[] = tools.map((e, index) => {
    const params = JSON.parse(e.parametersJson ?? '{}') as Record<string, unknown>;
    let retryOf: number | null = null;
    for (let j = index - 1; j >= 0; j--) {
      if (tools[j]!.toolName === e.toolName) {
        if (tools[j]!.status === 'ERROR') retryOf = j;
        break;
      }
    }
    const failed = e.status === 'ERROR';
    // value conditions: how the result's numbers stand to the query's comparisons, never the numbers
    const facts = failed || !e.resultBounds ? [] : comparisonFacts(e.resultBounds, query);
    return {
      index,
      eventId: e.eventId,
      seq: e.seq,
      timestampMs: e.timestampMs,
      toolName: e.toolName!,
      parametersJson: e.parametersJson ?? '{}',
      status: e.status,
      errorType: failed ? e.errorType : null,
      errorMessage: failed ? normaliseErrorMessage(e.errorMessage ?? e.errorType ?? '') : null,
      errorFingerprint: failed ? errorFingerprint(e.toolName!, e.errorType, e.errorMessage) : null,
      durationMs: e.durationMs,
      paramShapeHash: shapeHash(params),
      resultShapeJson: e.resultShapeJson,
      resultShapeHash: e.resultShapeHash,
      dataflow: dataflowOf(params, query, tools.slice(0, index)),
      retryOf,
      resultComparisonsJson: facts.length > 0 ? JSON.stringify(facts) : null,
    };
  });
  return {
    trajectoryId: trajectoryIdOf(session, events[0]!.eventId),
    tenantId: session.tenantId,
    agentId: session.agentId,
    sessionId: session.sessionId,
    taskId: events.find((e) => e.taskId !== null)?.taskId ?? null,
    query,
    startedAtMs: Math.min(...events.map((e) => e.timestampMs)),
    endedAtMs: Math.max(...events.map((e) => e.timestampMs)),
    closeReason,
    outcome: end?.taskOutcome ?? 'UNKNOWN',
    signature: steps.map((s) => s.toolName),
    steps,
    llmCalls: llm.length,
    promptTokens: llm.reduce((n, e) => n + e.promptTokens, 0),
    completionTokens: llm.reduce((n, e) => n + e.completionTokens, 0),
    lateSteps: events.filter((e) => e.late).length,
    duplicateSteps: events.reduce((n, e) => n + e.duplicates, 0),
    templateId: events.find((e) => e.templateId !== null)?.templateId ?? null,
    referenceTimeMs: events.find((e) => e.kind === 'QUERY')?.referenceTimeMs ?? null,
  };
}
