import { AgentStepSchema, FeedbackSchema, TemplateSchema, TrajectorySchema } from '@praxis/schemas';
import { makeAgentStep, makeFeedback, makeTemplate, makeTrajectory } from '@praxis/schemas/factories';
import { errorFingerprint } from '@praxis/core';
import { describe, expect, it } from 'vitest';
import { rowOf, signatureHash } from './rows.js';

const pos = { partition: 2, offset: '41', timestamp: Date.UTC(2026, 10, 2, 8, 0, 0, 123) };
const T = Date.UTC(2026, 10, 1, 12, 0, 0, 456);

describe('rowOf', () => {
  it('maps a failed tool call with millisecond time, fingerprint, nulls and lineage', () => {
    const step = AgentStepSchema.parse(makeAgentStep({ eventId: 'e1', timestampMs: T, status: 'ERROR', errorType: 'NotFound', errorMessage: 'Order A-17 not found', durationMs: null, attributes: { b: '2', a: '1' } }));
    const { table, id, row } = rowOf('steps', null, step, pos, T);
    expect(table).toBe('steps');
    expect(id).toBe('e1');
    expect(row).toMatchObject({
      event_id: 'e1',
      ts: '2026-11-01 12:00:00',
      timestamp_ms: T,
      status: 'ERROR',
      error_fingerprint: errorFingerprint('lookup_order', 'NotFound', 'Order A-17 not found'),
      duration_ms: null,
      task_id: '',
      task_outcome: '',
      attribute_keys: ['a', 'b'],
      attribute_values: ['1', '2'],
      source_partition: 2,
      source_offset: 41,
    });
  });

  it('gives the same fingerprint to failures that differ only in ids', () => {
    const a = rowOf('steps', null, AgentStepSchema.parse(makeAgentStep({ status: 'ERROR', errorMessage: 'Order A-17 not found' })), pos, T);
    const b = rowOf('steps', null, AgentStepSchema.parse(makeAgentStep({ status: 'ERROR', errorMessage: 'Order B-99 not found' })), pos, T);
    expect(a.row.error_fingerprint).toBe(b.row.error_fingerprint);
    expect(rowOf('steps', null, AgentStepSchema.parse(makeAgentStep()), pos, T).row.error_fingerprint).toBe('');
  });

  it('maps a trajectory with its signature hash and step summary', () => {
    const t = TrajectorySchema.parse(makeTrajectory({ trajectoryId: 't1' }));
    const { table, row } = rowOf('trajectories', null, t, pos, T);
    expect(table).toBe('trajectories');
    expect(row).toMatchObject({ trajectory_id: 't1', signature: ['lookup_order', 'get_tracking'], signature_hash: signatureHash(['lookup_order', 'get_tracking']), step_count: 2, error_steps: 0, duration_ms: 2000 });
    expect(JSON.parse(row.steps_json as string)).toHaveLength(2);
  });

  it('maps a template version, and a tombstone to a DELETED version 0 timed by its record', () => {
    const tpl = TemplateSchema.parse(makeTemplate({ templateId: 'tpl-a', version: 3, agentId: null }));
    const version = rowOf('templates', 'tpl-a', tpl, pos, T);
    expect(version).toMatchObject({ table: 'template_versions', id: 'tpl-a@3' });
    expect(version.row).toMatchObject({ version: 3, is_deleted: 0, agent_id: '', status: 'ACTIVE', confidence: 0.83 });
    expect(version.tenantOfTemplate).toBeUndefined();
    const tomb = rowOf('templates', 'tpl-a', null, pos, T);
    expect(tomb).toMatchObject({ table: 'template_versions', id: 'tpl-a@deleted', tenantOfTemplate: 'tpl-a' });
    expect(tomb.row).toMatchObject({ template_id: 'tpl-a', version: 0, is_deleted: 1, status: 'DELETED', updated_at: '2026-11-02 08:00:00', updated_at_ms: pos.timestamp });
  });

  it('routes feedback by kind', () => {
    const exec = FeedbackSchema.parse(makeFeedback({ feedbackId: 'f1' }));
    expect(rowOf('feedback', null, exec, pos, T)).toMatchObject({ table: 'executions', row: { feedback_id: 'f1', outcome: 'SUCCEEDED', tier: '', failed_step: null } });
    const lookup = FeedbackSchema.parse(makeFeedback({ feedbackId: 'f2', kind: 'LOOKUP', execution: null, lookup: { query: 'q', tier: 'REUSE', similarity: 0.9, reason: 'r', latencyMs: 3 } }));
    expect(rowOf('feedback', null, lookup, pos, T)).toMatchObject({ table: 'router_lookups', row: { tier: 'REUSE', estimated_tokens_saved: null, confidence: null } });
    const unlearn = FeedbackSchema.parse(makeFeedback({ feedbackId: 'f3', kind: 'UNLEARN', execution: null, reason: 'wrong' }));
    expect(rowOf('feedback', null, unlearn, pos, T)).toMatchObject({ table: 'unlearns', row: { reason: 'wrong', template_id: 'tpl-1' } });
  });

  it('refuses a tombstone without a key', () => {
    expect(() => rowOf('templates', null, null, pos, T)).toThrow(/without a key/);
  });
});
