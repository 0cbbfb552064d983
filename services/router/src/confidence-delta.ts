// The confidence the router serves: the inducer's published figure, moved by the outcomes
// this router recorded since that version (docs/router.md, "Confidence"). The math is
// @praxis/core's, the same the inducer uses, so the two agree when the inducer catches up.
import { confidenceOf, observe, type DecayedEvidence } from '@praxis/core';
import type { Template } from '@praxis/schemas';

/** The version's own evidence: induction support plus executions already folded in, plus a user prior. */
export function baseEvidence(t: Pick<Template, 'stats' | 'source' | 'updatedAtMs'>, userPriorSuccesses: number): DecayedEvidence {
  const prior = t.source === 'USER' ? userPriorSuccesses : 0;
  return {
    successes: t.stats.successes + t.stats.executionSuccesses + prior,
    trials: t.stats.support + t.stats.executions + prior,
    asOfMs: t.updatedAtMs,
  };
}

interface Delta {
  version: number;
  evidence: DecayedEvidence;
  outcomes: number;
}

/** Outcomes per template since its current version; reset when a new version arrives. */
export class ConfidenceDeltas {
  private readonly deltas = new Map<string, Delta>();

  /** Forgets a template's outcomes (a new version carries the inducer's view of them). */
  reset(templateId: string): void {
    this.deltas.delete(templateId);
  }

  /** Outcomes folded in for this template's current version. */
  outcomes(templateId: string): number {
    return this.deltas.get(templateId)?.outcomes ?? 0;
  }

  /**
   * Folds one outcome into the template's current version. It counts when it names that
   * version, or names none and happened at or after the version's updatedAtMs.
   */
  record(t: Template, success: boolean, atMs: number, userPriorSuccesses: number, version?: number): boolean {
    if (version !== undefined ? version !== t.version : atMs < t.updatedAtMs) return false;
    let delta = this.deltas.get(t.templateId);
    if (!delta || delta.version !== t.version) delta = { version: t.version, evidence: baseEvidence(t, userPriorSuccesses), outcomes: 0 };
    this.deltas.set(t.templateId, { version: t.version, evidence: observe(delta.evidence, success, atMs), outcomes: delta.outcomes + 1 });
    return true;
  }

  /** The served confidence: published, or recomputed with the outcomes seen since. */
  served(t: Template, nowMs: number): number {
    const delta = this.deltas.get(t.templateId);
    if (!delta || delta.version !== t.version || delta.outcomes === 0) return t.confidence;
    return confidenceOf(delta.evidence, nowMs);
  }
}
