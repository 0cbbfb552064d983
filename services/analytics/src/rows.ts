// The pure core of the sink: one Kafka record in, one ClickHouse row out. Every record of
// every topic becomes exactly one row, so N records give N rows after dedup.
import { errorFingerprint, stableHash } from '@praxis/core';
import type { AgentStep, Feedback, Template, Trajectory } from '@praxis/schemas';
import { formatDateTime } from '@praxis/clickhouse';

/** The raw tables, in the order a flush writes them. */
export const RAW_TABLES = ['steps', 'trajectories', 'template_versions', 'executions', 'router_lookups', 'unlearns'] as const;
export type RawTable = (typeof RAW_TABLES)[number];

/** Where a record came from; stored with its row for lineage. */
export interface SourcePosition {
  partition: number;
  offset: string;
  /** Broker timestamp (ms); the time of a tombstone. */
  timestamp: number;
}

/** A row for one raw table. */
export interface TableRow {
  table: RawTable;
  /** The row's dedup id, for logs and DLQ reasons. */
  id: string;
  row: Record<string, unknown>;
  /** A tombstone does not carry its tenant: set when the sink must find it (by template id). */
  tenantOfTemplate?: string;
}

/** Which topic a record came from (TopicSpec.id). */
export type TopicId = 'steps' | 'trajectories' | 'templates' | 'feedback';

const lineage = (pos: SourcePosition, insertedAt: number) => ({
  source_partition: pos.partition,
  source_offset: Number(pos.offset),
  inserted_at: formatDateTime(insertedAt),
});

const time = (ms: number) => formatDateTime(ms);

/** An AgentStep as a `steps` row. Failed tool calls get the same fingerprint the segmenter computes. */
export function stepRow(s: AgentStep, pos: SourcePosition, insertedAt: number): TableRow {
  const attributes = Object.entries(s.attributes).sort(([a], [b]) => a.localeCompare(b));
  return {
    table: 'steps',
    id: s.eventId,
    row: {
      event_id: s.eventId,
      tenant_id: s.tenantId,
      agent_id: s.agentId,
      session_id: s.sessionId,
      task_id: s.taskId ?? '',
      seq: s.seq,
      kind: s.kind,
      ts: time(s.timestampMs),
      timestamp_ms: s.timestampMs,
      query: s.query ?? '',
      tool_name: s.toolName ?? '',
      parameters_json: s.parametersJson ?? '',
      result_json: s.resultJson ?? '',
      result_truncated: s.resultTruncated ? 1 : 0,
      status: s.status,
      error_type: s.errorType ?? '',
      error_message: s.errorMessage ?? '',
      error_fingerprint: s.status === 'ERROR' ? errorFingerprint(s.toolName ?? s.kind, s.errorType, s.errorMessage) : '',
      duration_ms: s.durationMs,
      model: s.model ?? '',
      prompt_tokens: s.promptTokens,
      completion_tokens: s.completionTokens,
      task_outcome: s.taskOutcome ?? '',
      template_id: s.templateId ?? '',
      attribute_keys: attributes.map(([k]) => k),
      attribute_values: attributes.map(([, v]) => v),
      ...lineage(pos, insertedAt),
    },
  };
}

/** The hash that names a tool sequence in signature_daily (the same for equal sequences). */
export const signatureHash = (signature: readonly string[]) => stableHash([...signature], 16);

/** A Trajectory as a `trajectories` row; its steps are kept whole as JSON. */
export function trajectoryRow(t: Trajectory, pos: SourcePosition, insertedAt: number): TableRow {
  return {
    table: 'trajectories',
    id: t.trajectoryId,
    row: {
      trajectory_id: t.trajectoryId,
      tenant_id: t.tenantId,
      agent_id: t.agentId,
      session_id: t.sessionId,
      task_id: t.taskId ?? '',
      query: t.query ?? '',
      started_at: time(t.startedAtMs),
      started_at_ms: t.startedAtMs,
      ended_at: time(t.endedAtMs),
      ended_at_ms: t.endedAtMs,
      duration_ms: t.endedAtMs - t.startedAtMs,
      close_reason: t.closeReason,
      outcome: t.outcome,
      signature: t.signature,
      signature_hash: signatureHash(t.signature),
      step_count: t.steps.length,
      error_steps: t.steps.filter((s) => s.status === 'ERROR').length,
      retried_steps: t.steps.filter((s) => s.retryOf !== null).length,
      step_error_fingerprints: t.steps.map((s) => s.errorFingerprint ?? ''),
      llm_calls: t.llmCalls,
      prompt_tokens: t.promptTokens,
      completion_tokens: t.completionTokens,
      late_steps: t.lateSteps,
      duplicate_steps: t.duplicateSteps,
      template_id: t.templateId ?? '',
      steps_json: JSON.stringify(t.steps),
      ...lineage(pos, insertedAt),
    },
  };
}

/** A Template version as a `template_versions` row; the whole template is kept as JSON. */
export function templateRow(t: Template, pos: SourcePosition, insertedAt: number): TableRow {
  return {
    table: 'template_versions',
    id: `${t.templateId}@${t.version}`,
    row: {
      template_id: t.templateId,
      version: t.version,
      tenant_id: t.tenantId,
      agent_id: t.agentId ?? '',
      is_deleted: 0,
      source: t.source,
      status: t.status,
      name: t.name,
      description: t.description ?? '',
      signature: t.signature,
      signature_hash: signatureHash(t.signature),
      step_count: t.steps.length,
      slot_count: t.slots.length,
      trigger_examples: t.triggerExamples,
      support: t.stats.support,
      successes: t.stats.successes,
      executions: t.stats.executions,
      execution_successes: t.stats.executionSuccesses,
      mean_duration_ms: t.stats.meanDurationMs,
      mean_tokens: t.stats.meanTokens,
      first_seen_ms: t.stats.firstSeenMs,
      last_seen_ms: t.stats.lastSeenMs,
      confidence: t.confidence,
      below_threshold: t.belowThreshold ? 1 : 0,
      known_error_fingerprints: t.knownErrors.map((e) => e.fingerprint),
      avoidance_hint_count: t.avoidanceHints.length,
      superseded_by: t.supersededBy ?? '',
      status_reason: t.statusReason ?? '',
      created_at_ms: t.createdAtMs,
      updated_at: time(t.updatedAtMs),
      updated_at_ms: t.updatedAtMs,
      template_json: JSON.stringify(t),
      ...lineage(pos, insertedAt),
    },
  };
}

/**
 * A tombstone (null value) as a `template_versions` row: version 0, status DELETED, timed by
 * the Kafka record (a redelivery has the same timestamp, so the same row). The tenant is
 * filled in by the sink from the template's earlier versions.
 */
export function tombstoneRow(templateId: string, pos: SourcePosition, insertedAt: number): TableRow {
  return {
    table: 'template_versions',
    id: `${templateId}@deleted`,
    tenantOfTemplate: templateId,
    row: {
      template_id: templateId,
      version: 0,
      tenant_id: '',
      agent_id: '',
      is_deleted: 1,
      source: '',
      status: 'DELETED',
      name: '',
      description: '',
      signature: [],
      signature_hash: '',
      step_count: 0,
      slot_count: 0,
      trigger_examples: [],
      support: 0,
      successes: 0,
      executions: 0,
      execution_successes: 0,
      mean_duration_ms: 0,
      mean_tokens: 0,
      first_seen_ms: 0,
      last_seen_ms: 0,
      confidence: 0,
      below_threshold: 0,
      known_error_fingerprints: [],
      avoidance_hint_count: 0,
      superseded_by: '',
      status_reason: 'tombstone',
      created_at_ms: 0,
      updated_at: time(pos.timestamp),
      updated_at_ms: pos.timestamp,
      template_json: '',
      ...lineage(pos, insertedAt),
    },
  };
}

/** A Feedback record as a row of executions, router_lookups or unlearns, by its kind. */
export function feedbackRow(f: Feedback, pos: SourcePosition, insertedAt: number): TableRow {
  const common = {
    feedback_id: f.feedbackId,
    tenant_id: f.tenantId,
    agent_id: f.agentId,
    ts: time(f.timestampMs),
    timestamp_ms: f.timestampMs,
  };
  const lin = lineage(pos, insertedAt);
  if (f.kind === 'EXECUTION') {
    const e = f.execution!;
    return {
      table: 'executions',
      id: f.feedbackId,
      row: {
        ...common,
        template_id: f.templateId ?? '',
        template_version: f.templateVersion ?? 0,
        lookup_id: f.lookupId ?? '',
        session_id: f.sessionId ?? '',
        execution_id: e.executionId,
        outcome: e.outcome,
        tier: e.tier ?? '',
        steps_total: e.stepsTotal,
        steps_completed: e.stepsCompleted,
        failed_step: e.failedStep,
        error_fingerprint: e.errorFingerprint ?? '',
        error_message: e.errorMessage ?? '',
        duration_ms: e.durationMs,
        retries: e.retries,
        hints_applied: e.hintsApplied,
        reason: f.reason ?? '',
        ...lin,
      },
    };
  }
  if (f.kind === 'LOOKUP') {
    const l = f.lookup!;
    return {
      table: 'router_lookups',
      id: f.feedbackId,
      row: {
        ...common,
        lookup_id: f.lookupId ?? '',
        session_id: f.sessionId ?? '',
        template_id: f.templateId ?? '',
        template_version: f.templateVersion ?? 0,
        query: l.query,
        tier: l.tier,
        similarity: l.similarity,
        confidence: l.confidence,
        reason: l.reason,
        alternatives: l.alternatives,
        bound_slots: l.boundSlots,
        missing_slots: l.missingSlots,
        latency_ms: l.latencyMs,
        estimated_tokens_saved: l.estimatedTokensSaved,
        ...lin,
      },
    };
  }
  return {
    table: 'unlearns',
    id: f.feedbackId,
    row: {
      ...common,
      template_id: f.templateId ?? '',
      template_version: f.templateVersion ?? 0,
      session_id: f.sessionId ?? '',
      reason: f.reason ?? '',
      ...lin,
    },
  };
}

/**
 * The row of one validated record. Throws only for a record no topic allows (a null value
 * outside the templates topic), which the sink dead-letters.
 */
export function rowOf(topic: TopicId, key: string | null, value: unknown, pos: SourcePosition, insertedAt: number): TableRow {
  switch (topic) {
    case 'steps':
      return stepRow(value as AgentStep, pos, insertedAt);
    case 'trajectories':
      return trajectoryRow(value as Trajectory, pos, insertedAt);
    case 'templates':
      if (value === null) {
        if (!key) throw new Error('a template tombstone without a key names no template');
        return tombstoneRow(key, pos, insertedAt);
      }
      return templateRow(value as Template, pos, insertedAt);
    case 'feedback':
      return feedbackRow(value as Feedback, pos, insertedAt);
  }
}
