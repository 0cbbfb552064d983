import { DEFAULT_CONFIDENCE, isTimeZone, type ConfidencePolicy } from '@praxis/core';
import { z } from 'zod';

/** What the inducer learns, and when a template is trusted. Defaults follow the PRD. */
export interface InducerPolicy {
  /** Shortest tool sequence worth a template (PRD minStepsToLearn; 1: a single call that recurs and succeeds is learned too). */
  minStepsToLearn: number;
  /** Lowest success rate of a pattern's instances for a template (PRD minSuccessRate). */
  minSuccessRate: number;
  /** Confidence under which a template is marked belowThreshold and never served for direct reuse (PRD confidenceThreshold). */
  confidenceThreshold: number;
  /** Templates kept per agent, by support (PRD maxWorkflowsPerAgent). */
  maxWorkflowsPerAgent: number;
  /** Trajectories (instances) a pattern needs before it becomes a template. */
  minSupport: number;
  /** A sub-workflow's runs must go on (or come from) different ways: no single neighbouring call in more than 1 - this share of them. */
  minExtensionRatio: number;
  /** Successful (and schema-confirmed) instances that promote a template from DRAFT to ACTIVE. */
  promoteAfterSuccesses: number;
  /** Share of instances that must agree on a binding (query or step result), or on sharing a slot, for it to be learned. */
  bindingAgreement: number;
  /** Share of instances that must carry the same value for a parameter to be a constant (the rest are outliers). */
  constantAgreement: number;
  /** Sliding horizon of event time and count per agent: older or surplus trajectories are forgotten. */
  horizonMs: number;
  horizonTrajectories: number;
  /** Tool calls of a trajectory considered for learning, and the longest structure (collapsed calls). */
  maxMinedSteps: number;
  maxPatternLength: number;
  /** A template stays below the threshold "for good" once its evidence reaches this many (decayed) runs: it is retired. */
  retireAfterTrials: number;
  /** A variant (same first and last tool, one path inside the other) supersedes another when its confidence is higher by this margin. */
  supersedeMargin: number;
  /** Value lists up to this size become an enum (when every value was seen about twice). */
  maxEnumValues: number;
  /** Lineage entries and trigger examples kept per template version. */
  lineageCap: number;
  triggerExamples: number;
  confidence: ConfidencePolicy;
  /** IANA time zone the runs' relative dates ("tomorrow") were meant in; UTC when unset. */
  timeZone?: string | null;
}

export const DEFAULT_INDUCER_POLICY: InducerPolicy = {
  minStepsToLearn: 1,
  minSuccessRate: 0.6,
  confidenceThreshold: 0.8,
  maxWorkflowsPerAgent: 1000,
  minSupport: 5,
  minExtensionRatio: 0.2,
  promoteAfterSuccesses: 8,
  bindingAgreement: 0.8,
  constantAgreement: 0.9,
  horizonMs: 7 * 24 * 60 * 60_000,
  horizonTrajectories: 2_000,
  maxMinedSteps: 12,
  maxPatternLength: 10,
  retireAfterTrials: 20,
  supersedeMargin: 0.05,
  maxEnumValues: 8,
  lineageCap: 50,
  triggerExamples: 30,
  confidence: DEFAULT_CONFIDENCE,
};

/** An IANA time zone name the runtime knows (Europe/Paris, UTC). */
export const TimeZone = z.string().min(1).refine(isTimeZone, 'must be an IANA time zone (e.g. Europe/Paris)');

const Override = z
  .object({
    minStepsToLearn: z.number().int().min(1),
    minSuccessRate: z.number().min(0).max(1),
    confidenceThreshold: z.number().min(0).max(1),
    maxWorkflowsPerAgent: z.number().int().positive(),
    minSupport: z.number().int().min(2),
    promoteAfterSuccesses: z.number().int().positive(),
    horizonMs: z.number().int().positive(),
    horizonTrajectories: z.number().int().positive(),
    timeZone: TimeZone,
  })
  .partial()
  .strict();

/** Per-tenant ("acme") or per-agent ("acme/support-bot") overrides of the learning thresholds. */
export const InducerOverrides = z.record(z.string().regex(/^[^/\s]+(\/[^/\s]+)?$/, 'keys are "tenant" or "tenant/agent"'), Override);
export type InducerOverrides = z.output<typeof InducerOverrides>;

/** The policy of a tenant's agent: defaults, then the tenant's override, then the agent's. */
export function inducerPolicyResolver(defaults: InducerPolicy, overrides: InducerOverrides = {}): (tenantId: string, agentId: string) => InducerPolicy {
  const cache = new Map<string, InducerPolicy>();
  return (tenantId, agentId) => {
    const key = `${tenantId}/${agentId}`;
    let p = cache.get(key);
    if (!p) {
      p = { ...defaults, ...overrides[tenantId], ...overrides[key] };
      cache.set(key, p);
    }
    return p;
  };
}
