// The tier decision, given what the lookup found about its best candidate. Pure.
import type { StructuralConflict, TierName } from '@praxis/contracts';
import type { Template } from '@praxis/schemas';
import type { TenantPolicy } from './policy.js';

export interface CandidateFacts {
  similarity: number;
  confidence: number;
  status: Template['status'];
  belowThreshold: boolean;
  /** Required slots with no value from the query, the context or a default. */
  missingSlots: string[];
  /** Structural conflicts short of disqualification (entity types absent from the query). */
  entityConflicts: StructuralConflict[];
}

export interface TierDecision {
  tier: TierName;
  reason: string;
}

const f2 = (n: number) => n.toFixed(2);

/**
 * reuse: similarity >= reuseSimilarity, confidence >= minReuseConfidence, ACTIVE and not
 * belowThreshold, every required slot bound, no entity conflict. rewrite: similarity >=
 * rewriteSimilarity and confidence >= minRewriteConfidence, or a reuse candidate that
 * misses one of the reuse conditions. plan: anything else (or no candidate).
 */
export function decideTier(c: CandidateFacts | null, policy: TenantPolicy, bestSimilarity = 0): TierDecision {
  if (!c) return { tier: 'plan', reason: `no template close enough: best similarity ${f2(bestSimilarity)} < ${f2(policy.rewriteSimilarity)}` };
  if (c.similarity < policy.rewriteSimilarity) {
    return { tier: 'plan', reason: `no template close enough: best similarity ${f2(c.similarity)} < ${f2(policy.rewriteSimilarity)}` };
  }
  if (c.confidence < policy.minRewriteConfidence) {
    return { tier: 'plan', reason: `closest template's confidence ${f2(c.confidence)} < ${f2(policy.minRewriteConfidence)}` };
  }
  const blockers: string[] = [];
  if (c.similarity < policy.reuseSimilarity) blockers.push(`similarity ${f2(c.similarity)} < ${f2(policy.reuseSimilarity)}`);
  if (c.status !== 'ACTIVE') blockers.push(`template is ${c.status}`);
  if (c.belowThreshold) blockers.push('template is below its confidence threshold');
  if (c.confidence < policy.minReuseConfidence) blockers.push(`confidence ${f2(c.confidence)} < ${f2(policy.minReuseConfidence)}`);
  if (c.missingSlots.length > 0) blockers.push(`slots to generate: ${c.missingSlots.join(', ')}`);
  for (const conflict of c.entityConflicts) blockers.push(conflict.detail);
  if (blockers.length === 0) {
    return { tier: 'reuse', reason: `similarity ${f2(c.similarity)} >= ${f2(policy.reuseSimilarity)}, confidence ${f2(c.confidence)} >= ${f2(policy.minReuseConfidence)}, every required slot bound` };
  }
  return { tier: 'rewrite', reason: blockers.join('; ') };
}
