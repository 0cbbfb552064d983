// Statuses that depend on more than one template or on accumulated evidence: RETIRED when
// a template stays below the threshold with enough evidence, SUPERSEDED by a clearly
// better variant of the same path.
import type { Candidate } from './candidate.js';
import type { InducerPolicy } from './policy.js';

/** Whether `short` is a proper subsequence of `long`. */
function inside(short: readonly string[], long: readonly string[]): boolean {
  if (short.length >= long.length) return false;
  let i = 0;
  for (const x of long) if (x === short[i]) i++;
  return i === short.length;
}

/** Variants of one path: same first and last tool, one signature inside the other. */
export function variants(a: readonly string[], b: readonly string[]): boolean {
  return a[0] === b[0] && a[a.length - 1] === b[b.length - 1] && (inside(a, b) || inside(b, a));
}

/** Applies retirement and supersession to an agent's candidates (in place), deterministically. */
export function decideStatuses(candidates: Candidate[], policy: InducerPolicy): void {
  for (const c of candidates) {
    // Only executions retire: the learned runs already passed the success-rate gate
    // (minSuccessRate), and a low bound from them alone means "not for reuse yet", not "wrong".
    if (c.content.belowThreshold && c.executionTrials >= policy.retireAfterTrials) {
      c.content.status = 'RETIRED';
      c.content.statusReason = `confidence ${c.content.confidence.toFixed(2)} stayed below ${policy.confidenceThreshold} over ${c.executionTrials.toFixed(1)} executions`;
    }
  }
  const ranked = candidates
    .filter((c) => c.content.status !== 'RETIRED')
    .sort((a, b) => b.content.confidence - a.content.confidence || b.content.stats.support - a.content.stats.support || (a.content.templateId < b.content.templateId ? -1 : 1));
  for (const [i, better] of ranked.entries()) {
    if (better.content.status === 'SUPERSEDED' || better.content.belowThreshold) continue;
    for (const worse of ranked.slice(i + 1)) {
      if (worse.content.status === 'SUPERSEDED') continue;
      // a sub-workflow is a part of other templates, not a rival of them
      if (better.content.partialSteps != null || worse.content.partialSteps != null) continue;
      if (!variants(better.content.signature, worse.content.signature)) continue;
      if (better.content.confidence < worse.content.confidence + policy.supersedeMargin) continue;
      worse.content.status = 'SUPERSEDED';
      worse.content.supersededBy = better.content.templateId;
      worse.content.statusReason = `superseded by ${better.content.templateId}: confidence ${better.content.confidence.toFixed(2)} against ${worse.content.confidence.toFixed(2)}`;
    }
  }
}
