import { z } from 'zod';
import { epochMs, id, int32, long, nullableString } from './common.js';

export const FeedbackKind = z.enum(['LOOKUP', 'EXECUTION', 'UNLEARN']);
export const Tier = z.enum(['REUSE', 'REWRITE', 'PLAN']);
export const ExecutionOutcome = z.enum(['SUCCEEDED', 'FAILED', 'DEVIATED', 'IGNORED', 'ABANDONED']);

export const LookupRecordSchema = z.object({
  query: z.string(),
  tier: Tier,
  similarity: z.number().min(0).max(1),
  confidence: z.number().min(0).max(1).nullable().default(null),
  reason: z.string(),
  alternatives: z.array(z.string()).default([]),
  boundSlots: int32.min(0).default(0),
  missingSlots: int32.min(0).default(0),
  latencyMs: z.number().min(0),
  estimatedTokensSaved: long.nullable().default(null),
});

export const ExecutionRecordSchema = z.object({
  executionId: id,
  outcome: ExecutionOutcome,
  tier: Tier.nullable().default(null),
  stepsTotal: int32.min(0),
  stepsCompleted: int32.min(0),
  failedStep: int32.min(0).nullable().default(null),
  errorFingerprint: nullableString,
  errorMessage: nullableString,
  durationMs: long.min(0),
  retries: int32.min(0).default(0),
  hintsApplied: int32.min(0).default(0),
});

/** Feedback (praxis.feedback.v1): mirrors schemas/avro/feedback.avsc. */
export const FeedbackSchema = z
  .object({
    feedbackId: id,
    tenantId: id,
    agentId: id,
    kind: FeedbackKind,
    timestampMs: epochMs,
    templateId: id.nullable().default(null),
    templateVersion: int32.min(1).nullable().default(null),
    lookupId: id.nullable().default(null),
    sessionId: id.nullable().default(null),
    lookup: LookupRecordSchema.nullable().default(null),
    execution: ExecutionRecordSchema.nullable().default(null),
    reason: nullableString,
  })
  .superRefine((f, ctx) => {
    if (f.kind === 'LOOKUP' && f.lookup === null) ctx.addIssue({ code: 'custom', path: ['lookup'], message: 'is required for a LOOKUP' });
    if (f.kind === 'EXECUTION') {
      if (f.execution === null) ctx.addIssue({ code: 'custom', path: ['execution'], message: 'is required for an EXECUTION' });
      if (f.templateId === null) ctx.addIssue({ code: 'custom', path: ['templateId'], message: 'is required for an EXECUTION' });
      if (f.execution && f.execution.stepsCompleted > f.execution.stepsTotal) {
        ctx.addIssue({ code: 'custom', path: ['execution', 'stepsCompleted'], message: 'exceeds stepsTotal' });
      }
    }
    if (f.kind === 'UNLEARN' && f.templateId === null) ctx.addIssue({ code: 'custom', path: ['templateId'], message: 'is required for an UNLEARN' });
  });

export type Feedback = z.output<typeof FeedbackSchema>;
export type FeedbackInput = z.input<typeof FeedbackSchema>;
export type LookupRecord = z.output<typeof LookupRecordSchema>;
export type ExecutionRecord = z.output<typeof ExecutionRecordSchema>;

/** The feedback topic's key: tenant and template ("-" when the lookup found none). */
export function feedbackKey(f: Pick<Feedback, 'tenantId' | 'templateId'>): string {
  return `${f.tenantId}/${f.templateId ?? '-'}`;
}
