import { id } from '@praxis/schemas';
import { z } from 'zod';
import { TierName } from './lookup.js';

/** How a run of a served workflow ended, lower-case on the wire. */
export const OutcomeName = z.enum(['succeeded', 'failed', 'deviated', 'ignored', 'abandoned']);
export type OutcomeName = z.output<typeof OutcomeName>;

/** POST /v1/feedback body: the outcome of one execution of a served template. */
export const FeedbackRequestSchema = z
  .object({
    executionId: id.describe('Id of the run; the feedback id is derived from it, so a retried POST is recognised.'),
    templateId: id,
    templateVersion: z.number().int().min(1).optional(),
    lookupId: id.optional().describe('The lookup that served the workflow.'),
    agentId: id,
    sessionId: id.optional(),
    outcome: OutcomeName,
    tier: TierName.optional().describe('Tier of the lookup; taken from the lookup when omitted and the router remembers it.'),
    stepsTotal: z.number().int().min(0).max(10_000),
    stepsCompleted: z.number().int().min(0).max(10_000),
    failedStep: z.number().int().min(0).optional(),
    errorFingerprint: z.string().max(200).optional(),
    errorMessage: z.string().max(2_000).optional(),
    durationMs: z.number().int().min(0),
    retries: z.number().int().min(0).max(100_000).default(0),
    hintsApplied: z.number().int().min(0).max(100_000).default(0),
    timestampMs: z.number().int().min(946684800000).max(4102444800000).optional().describe('When the run ended; the router\'s clock when omitted.'),
    reason: z.string().max(2_000).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.stepsCompleted > f.stepsTotal) ctx.addIssue({ code: 'custom', path: ['stepsCompleted'], message: 'exceeds stepsTotal' });
    if (f.outcome === 'failed' && f.failedStep === undefined) ctx.addIssue({ code: 'custom', path: ['failedStep'], message: 'is required when outcome is failed' });
    if (f.failedStep !== undefined && f.failedStep >= f.stepsTotal) ctx.addIssue({ code: 'custom', path: ['failedStep'], message: 'must be below stepsTotal' });
  });
export type FeedbackRequest = z.input<typeof FeedbackRequestSchema>;

/** POST /v1/feedback answer. */
export const FeedbackResponseSchema = z.object({
  feedbackId: id,
  accepted: z.literal(true),
  falseHit: z.boolean().describe('A reuse whose run failed, deviated or was abandoned.'),
  servedConfidence: z.number().nullable().describe('The template\'s served confidence after this outcome (null when the router does not hold the template).'),
});
export type FeedbackResponse = z.output<typeof FeedbackResponseSchema>;
