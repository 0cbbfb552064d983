// Confidence that a template's next run succeeds: the Wilson score lower bound of the
// success rate, computed on evidence that decays with age (half-life), so old successes
// stop vouching for a tool that changed. See docs/learning.md for the reasoning.

/** Parameters of the confidence score. */
export interface ConfidencePolicy {
  /** One-sided normal quantile: 1.28 is a 90% lower bound. */
  z: number;
  /** Evidence loses half its weight every `halfLifeMs`. */
  halfLifeMs: number;
}

export const DEFAULT_CONFIDENCE: ConfidencePolicy = { z: 1.28, halfLifeMs: 30 * 24 * 60 * 60 * 1000 };

/** Wilson score lower bound of successes/trials (trials may be fractional after decay). 0 when there is no evidence. */
export function wilsonLowerBound(successes: number, trials: number, z = DEFAULT_CONFIDENCE.z): number {
  if (trials <= 0) return 0;
  const p = Math.min(1, Math.max(0, successes / trials));
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return Math.max(0, Math.min(1, (centre - spread) / (1 + z2 / trials)));
}

/** Weight of evidence `ageMs` old. */
export function decayWeight(ageMs: number, halfLifeMs = DEFAULT_CONFIDENCE.halfLifeMs): number {
  return ageMs <= 0 ? 1 : 0.5 ** (ageMs / halfLifeMs);
}

/** Time-decayed success and trial counts, as of `asOfMs`. A plain value: pure updates. */
export interface DecayedEvidence {
  successes: number;
  trials: number;
  asOfMs: number;
}

export const NO_EVIDENCE: DecayedEvidence = { successes: 0, trials: 0, asOfMs: 0 };

/** The evidence moved forward (or kept) to time `atMs`. */
export function decayTo(evidence: DecayedEvidence, atMs: number, policy: ConfidencePolicy = DEFAULT_CONFIDENCE): DecayedEvidence {
  if (atMs <= evidence.asOfMs) return evidence;
  const w = decayWeight(atMs - evidence.asOfMs, policy.halfLifeMs);
  return { successes: evidence.successes * w, trials: evidence.trials * w, asOfMs: atMs };
}

/**
 * Adds one observation at `atMs`. Observations may arrive out of order: one older than the
 * evidence counts with its own, smaller weight.
 */
export function observe(evidence: DecayedEvidence, success: boolean, atMs: number, policy: ConfidencePolicy = DEFAULT_CONFIDENCE): DecayedEvidence {
  if (atMs >= evidence.asOfMs) {
    const moved = decayTo(evidence, atMs, policy);
    return { successes: moved.successes + (success ? 1 : 0), trials: moved.trials + 1, asOfMs: atMs };
  }
  const w = decayWeight(evidence.asOfMs - atMs, policy.halfLifeMs);
  return { successes: evidence.successes + (success ? w : 0), trials: evidence.trials + w, asOfMs: evidence.asOfMs };
}

/** The confidence of the evidence as seen at `nowMs`. */
export function confidenceOf(evidence: DecayedEvidence, nowMs: number, policy: ConfidencePolicy = DEFAULT_CONFIDENCE): number {
  const e = decayTo(evidence, nowMs, policy);
  return wilsonLowerBound(e.successes, e.trials, policy.z);
}

/** One labelled run of a task, for evidence counted by task (see `taskEvidence`). */
export interface TaskRun {
  /** The task the run worked on: runs of one task by several agents are one piece of evidence, not several. */
  task: string;
  success: boolean;
  atMs: number;
}

/**
 * Evidence counted by distinct task instead of by run: one observation per task, at its
 * latest run, a success when any of its runs succeeded (the others failed on a value the
 * structure does not decide), a failure when all of them failed. Runs of one task by eight
 * agents say one thing about whether the workflow works for that task, not eight.
 */
export function taskEvidence(runs: readonly TaskRun[], policy: ConfidencePolicy = DEFAULT_CONFIDENCE): { evidence: DecayedEvidence; succeeded: string[]; failed: string[] } {
  const byTask = new Map<string, { success: boolean; atMs: number }>();
  for (const r of runs) {
    const t = byTask.get(r.task);
    byTask.set(r.task, { success: (t?.success ?? false) || r.success, atMs: Math.max(t?.atMs ?? Number.NEGATIVE_INFINITY, r.atMs) });
  }
  // canonical order (oldest first, then task) so the floating-point result never depends on arrival order
  const ordered = [...byTask.entries()].sort((a, b) => a[1].atMs - b[1].atMs || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let evidence = NO_EVIDENCE;
  for (const [, t] of ordered) evidence = observe(evidence, t.success, t.atMs, policy);
  return { evidence, succeeded: ordered.filter(([, t]) => t.success).map(([k]) => k), failed: ordered.filter(([, t]) => !t.success).map(([k]) => k) };
}
