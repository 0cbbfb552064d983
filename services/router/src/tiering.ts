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
  /** Below the rewrite band, a clear lead over every template of other calls (lead.ts) makes it a rewrite. */
  lead?: { margin: number; rival: number } | null;
}

export interface TierDecision {
  tier: TierName;
  reason: string;
  /** What decided: the checks that blocked reuse, or the one that sent the answer to plan. */
  decidedBy: string[];
}

/** The similarity band of a similarity under a policy, with its thresholds: "rewrite band (0.56 <= 0.62 < 0.88)". */
export function band(similarity: number, policy: TenantPolicy): string {
  const s = f2(similarity);
  if (similarity >= policy.reuseSimilarity) return `reuse band (${s} >= ${f2(policy.reuseSimilarity)})`;
  if (similarity >= policy.rewriteSimilarity) return `rewrite band (${f2(policy.rewriteSimilarity)} <= ${s} < ${f2(policy.reuseSimilarity)})`;
  return `plan band (${s} < ${f2(policy.rewriteSimilarity)})`;
}

const f2 = (n: number) => n.toFixed(2);

/**
 * reuse: similarity >= reuseSimilarity, confidence >= minReuseConfidence, ACTIVE and not
 * belowThreshold, every required slot bound, no entity conflict. rewrite: similarity >=
 * rewriteSimilarity and confidence >= minRewriteConfidence, or a reuse candidate that
 * misses one of the reuse conditions. plan: anything else (or no candidate).
 */
export function decideTier(c: CandidateFacts | null, policy: TenantPolicy, bestSimilarity = 0): TierDecision {
  if (!c) return { tier: 'plan', reason: `no template close enough: best similarity ${f2(bestSimilarity)} < ${f2(policy.rewriteSimilarity)}`, decidedBy: ['rewriteSimilarity'] };
  if (c.similarity < policy.rewriteSimilarity && !c.lead) {
    return { tier: 'plan', reason: `no template close enough: best similarity ${f2(c.similarity)} < ${f2(policy.rewriteSimilarity)}`, decidedBy: ['rewriteSimilarity'] };
  }
  if (c.confidence < policy.minRewriteConfidence) {
    return { tier: 'plan', reason: `closest template's confidence ${f2(c.confidence)} < ${f2(policy.minRewriteConfidence)}`, decidedBy: ['minRewriteConfidence'] };
  }
  const blockers: string[] = [];
  const decidedBy: string[] = [];
  const block = (check: string, detail: string) => {
    blockers.push(detail);
    if (!decidedBy.includes(check)) decidedBy.push(check);
  };
  if (c.similarity < policy.rewriteSimilarity && c.lead) {
    block('lead', `similarity ${f2(c.similarity)} < ${f2(policy.rewriteSimilarity)}, but ${f2(c.lead.margin)} ahead of any template with other calls (best ${f2(c.lead.rival)}) and every slot bound`);
  } else if (c.similarity < policy.reuseSimilarity) block('reuseSimilarity', `similarity ${f2(c.similarity)} < ${f2(policy.reuseSimilarity)}`);
  if (c.status !== 'ACTIVE') block('status', `template is ${c.status}`);
  if (c.belowThreshold) block('status', 'template is below its confidence threshold');
  if (c.confidence < policy.minReuseConfidence) block('minReuseConfidence', `confidence ${f2(c.confidence)} < ${f2(policy.minReuseConfidence)}`);
  if (c.missingSlots.length > 0) block('slots', `slots to generate: ${c.missingSlots.join(', ')}`);
  for (const conflict of c.entityConflicts) block(conflict.kind === 'entity' ? 'entity check' : 'structural check (review)', conflict.detail);
  if (blockers.length === 0) {
    return { tier: 'reuse', reason: `similarity ${f2(c.similarity)} >= ${f2(policy.reuseSimilarity)}, confidence ${f2(c.confidence)} >= ${f2(policy.minReuseConfidence)}, every required slot bound`, decidedBy: ['every reuse condition'] };
  }
  return { tier: 'rewrite', reason: blockers.join('; '), decidedBy };
}
