// Feedback records for praxis.feedback.v1: one per lookup, one per execution outcome, one
// per unlearn. Pure builders; the service writes them. Free text a caller sent (the query,
// error messages, reasons) goes through the one redactor first: no secret reaches a topic.
import type { FeedbackRequest, LookupResponse, OutcomeName, TierName } from '@praxis/contracts';
import { deterministicId, redactText } from '@praxis/core';
import type { FeedbackInput } from '@praxis/schemas';

const TIER = { reuse: 'REUSE', rewrite: 'REWRITE', plan: 'PLAN' } as const;
const OUTCOME = { succeeded: 'SUCCEEDED', failed: 'FAILED', deviated: 'DEVIATED', ignored: 'IGNORED', abandoned: 'ABANDONED' } as const;

/** A reuse whose run failed, deviated or was abandoned: the semantic cache was wrong. */
export function isFalseHit(tier: TierName | undefined, outcome: OutcomeName): boolean {
  return tier === 'reuse' && (outcome === 'failed' || outcome === 'deviated' || outcome === 'abandoned');
}

/** Whether an outcome is evidence for (true) or against (false) the template; ignored runs are neither. */
export function outcomeEvidence(outcome: OutcomeName): boolean | null {
  if (outcome === 'ignored') return null;
  return outcome === 'succeeded';
}

/** The id of an execution's feedback record: the same for a retried POST. */
export function executionFeedbackId(tenantId: string, executionId: string): string {
  return deterministicId('fb', tenantId, executionId);
}

/** The LOOKUP record of an answered lookup. */
export function lookupRecord(
  tenantId: string,
  request: { query: string; agentId: string; sessionId?: string },
  response: LookupResponse,
  boundSlots: number,
  nowMs: number,
): FeedbackInput {
  return {
    feedbackId: response.lookupId,
    tenantId,
    agentId: request.agentId,
    kind: 'LOOKUP',
    timestampMs: nowMs,
    templateId: response.templateId,
    templateVersion: response.templateVersion,
    lookupId: response.lookupId,
    sessionId: request.sessionId ?? null,
    lookup: {
      query: redactText(request.query),
      tier: TIER[response.tier],
      similarity: Math.max(0, Math.min(1, response.similarity)),
      confidence: response.confidence,
      reason: redactText(response.reason.slice(0, 2_000)),
      alternatives: response.alternatives.map((a) => a.templateId),
      boundSlots,
      missingSlots: response.toGenerate.filter((s) => s.required).length,
      latencyMs: response.latencyMs,
      estimatedTokensSaved: response.estimatedTokensSaved,
    },
  };
}

/** The EXECUTION record of a reported outcome (tier filled from the lookup when the caller left it out). */
export function executionRecord(tenantId: string, body: FeedbackRequest & { retries: number; hintsApplied: number }, tier: TierName | undefined, nowMs: number): FeedbackInput {
  return {
    feedbackId: executionFeedbackId(tenantId, body.executionId),
    tenantId,
    agentId: body.agentId,
    kind: 'EXECUTION',
    timestampMs: body.timestampMs ?? nowMs,
    templateId: body.templateId,
    templateVersion: body.templateVersion ?? null,
    lookupId: body.lookupId ?? null,
    sessionId: body.sessionId ?? null,
    execution: {
      executionId: body.executionId,
      outcome: OUTCOME[body.outcome],
      tier: tier ? TIER[tier] : null,
      stepsTotal: body.stepsTotal,
      stepsCompleted: body.stepsCompleted,
      failedStep: body.failedStep ?? null,
      errorFingerprint: body.errorFingerprint ?? null,
      errorMessage: body.errorMessage == null ? null : redactText(body.errorMessage),
      durationMs: body.durationMs,
      retries: body.retries,
      hintsApplied: body.hintsApplied,
    },
    reason: body.reason == null ? null : redactText(body.reason),
  };
}

/** The UNLEARN record: the inducer treats it as a durable block on re-inducing the template. */
export function unlearnRecord(tenantId: string, templateId: string, version: number | null, reason: string, nowMs: number): FeedbackInput {
  return {
    feedbackId: deterministicId('unlearn', tenantId, templateId, nowMs),
    tenantId,
    agentId: 'router',
    kind: 'UNLEARN',
    timestampMs: nowMs,
    templateId,
    templateVersion: version,
    reason: redactText(reason),
  };
}
