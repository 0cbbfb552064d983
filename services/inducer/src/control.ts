// The inducer's own event-sourced state per template (feedback evidence, unlearn orders),
// and the compacted changelog topic that keeps it.
import { NO_EVIDENCE, observe, type ConfidencePolicy, type DecayedEvidence } from '@praxis/core';
import type { Feedback, TopicSpec } from '@praxis/schemas';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const TemplateControlSchema = z.object({
  templateId: z.string().min(1),
  tenantId: z.string().min(1),
  agentId: z.string().min(1),
  executionSuccesses: z.number().min(0).default(0),
  executionTrials: z.number().min(0).default(0),
  evidenceAsOfMs: z.number().int().default(0),
  executions: z.number().int().min(0).default(0),
  executionSuccessCount: z.number().int().min(0).default(0),
  lastExecutionMs: z.number().int().default(0),
  feedbackPartition: z.number().int().default(-1),
  feedbackOffset: z.number().int().default(-1),
  unlearnedAtMs: z.number().int().nullable().default(null),
  unlearnReason: z.string().nullable().default(null),
});
export type TemplateControl = z.output<typeof TemplateControlSchema>;

const avro = JSON.parse(readFileSync(new URL('../avro/template-control.avsc', import.meta.url), 'utf8')) as TopicSpec['avro'];

/** The changelog topic of an inducer group: one per group id, like a Kafka Streams store. */
export function changelogSpec(prefix: string, groupId: string): TopicSpec {
  const name = `${prefix}${groupId}-state-changelog`;
  // An internal topic: TopicSpec.id only names the public ones, so this spec borrows "templates" (it is unused at runtime).
  return {
    id: 'templates',
    name,
    avro,
    validator: TemplateControlSchema,
    keyOf: (c: TemplateControl) => c.templateId,
    tombstones: true,
    partitions: 3,
    config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0' },
    dlq: `${name}.dlq`,
  } as TopicSpec;
}

/** A template's control before any feedback. */
export function newControl(templateId: string, tenantId: string, agentId: string): TemplateControl {
  return TemplateControlSchema.parse({ templateId, tenantId, agentId });
}

/** The control's execution evidence as decayed counts. */
export const executionEvidence = (c: TemplateControl | undefined): DecayedEvidence =>
  c ? { successes: c.executionSuccesses, trials: c.executionTrials, asOfMs: c.evidenceAsOfMs } : NO_EVIDENCE;

/** Outcomes that count as a run of the template: success or failure. IGNORED and ABANDONED say nothing about it. */
export function executionSuccess(outcome: NonNullable<Feedback['execution']>['outcome']): boolean | null {
  if (outcome === 'SUCCEEDED') return true;
  if (outcome === 'FAILED' || outcome === 'DEVIATED') return false;
  return null;
}

/**
 * Applies one EXECUTION or UNLEARN feedback read at partition/offset; returns the new
 * control, or null when it changes nothing (a LOOKUP, or feedback already applied).
 */
export function applyFeedbackTo(control: TemplateControl, f: Feedback, partition: number, offset: number, policy: ConfidencePolicy): TemplateControl | null {
  if (f.kind === 'LOOKUP') return null;
  if (control.feedbackPartition === partition && offset <= control.feedbackOffset) return null;
  const next = { ...control, feedbackPartition: partition, feedbackOffset: offset };
  if (f.kind === 'EXECUTION' && f.execution) {
    const success = executionSuccess(f.execution.outcome);
    if (success !== null) {
      const e = observe(executionEvidence(control), success, f.timestampMs, policy);
      next.executionSuccesses = e.successes;
      next.executionTrials = e.trials;
      next.evidenceAsOfMs = e.asOfMs;
      next.executions++;
      if (success) next.executionSuccessCount++;
    }
    next.lastExecutionMs = Math.max(control.lastExecutionMs, f.timestampMs);
  }
  if (f.kind === 'UNLEARN') {
    next.unlearnedAtMs = Math.max(control.unlearnedAtMs ?? f.timestampMs, f.timestampMs);
    next.unlearnReason = f.reason ?? control.unlearnReason;
  }
  return next;
}
