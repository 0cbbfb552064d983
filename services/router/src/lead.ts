// A candidate below the rewrite band that is still the clear answer: ranked first, every slot of
// it bound by the query, and far more similar than any template that makes other calls. The
// cosine of such a query is low because of what it adds (a long new name, a clause of
// politeness), not because another task reads like it (docs/router.md, "A clear lead below the
// rewrite band"). Pure.
import type { TenantPolicy } from './policy.js';

/** What the lead rule reads of a ranked candidate. */
export interface LeadCandidate {
  /** The similarity the tiers read. */
  similarity: number;
  /** The cosine before any lowering for unbound slots (the rivals' side is read at it). */
  cosine: number;
  /** The tool sequence of the template. */
  signature: readonly string[];
}

export interface Lead {
  /** How far ahead of the best rival (another tool sequence) the candidate is. */
  margin: number;
  /** The rival's similarity (0 when there is none). */
  rival: number;
}

const sameCalls = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * The lead of the top-ranked candidate `top` over `others` (the rest of the ranking), when the
 * lead rule admits it: its similarity within `policy.leadBelowRewrite` under the rewrite
 * threshold, every slot bound (`bound`, asked last), and at least `policy.leadMargin` above the cosine of
 * every candidate with another tool sequence. Null otherwise (or when the rule is off).
 */
export function leadOf(top: LeadCandidate, others: readonly LeadCandidate[], bound: () => boolean, policy: TenantPolicy): Lead | null {
  if (policy.leadMargin <= 0 || policy.leadBelowRewrite <= 0) return null;
  if (top.similarity >= policy.rewriteSimilarity || top.similarity < policy.rewriteSimilarity - policy.leadBelowRewrite) return null;
  const rival = Math.max(0, ...others.filter((o) => !sameCalls(o.signature, top.signature)).map((o) => o.cosine));
  const margin = top.similarity - rival;
  // the binding test (a slot extraction) last: it is the costly part
  return margin >= policy.leadMargin && bound() ? { margin, rival } : null;
}
