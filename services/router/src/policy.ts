import { z } from 'zod';
import calibration from './calibration.json' with { type: 'json' };

/** Per-tenant thresholds and limits (docs/router.md, "Tiers and thresholds"). */
export const TenantPolicySchema = z
  .object({
    /** Similarity from which a template may be reused as is. */
    reuseSimilarity: z.number().min(0).max(1).default(0.85),
    /** Similarity from which a template is offered for rewrite; below it: plan. */
    rewriteSimilarity: z.number().min(0).max(1).default(0.55),
    /**
     * A top-ranked candidate up to this far below rewriteSimilarity is still offered for rewrite
     * when every slot of it is bound and it leads every template of other calls by leadMargin
     * (lead.ts). 0: off.
     */
    leadBelowRewrite: z.number().min(0).max(1).default(0.12),
    /** The lead over the best template of other calls that the rule needs; 0: off. */
    leadMargin: z.number().min(0).max(1).default(0.25),
    /** Served confidence a template needs for reuse. */
    minReuseConfidence: z.number().min(0).max(1).default(0.6),
    /** Served confidence a template needs to be offered at all. */
    minRewriteConfidence: z.number().min(0).max(1).default(0),
    /** A user workflow outranks a learned template unless that one is more similar by more than this. */
    userPrecedenceMargin: z.number().min(0).max(1).default(0.05),
    /** Pseudo-successes a user workflow starts with, so its confidence starts at the Wilson bound of n/n. */
    userPriorSuccesses: z.number().int().min(0).max(1000).default(10),
    /** Requests per second (token bucket refill) and burst (bucket size). */
    rateLimitPerSecond: z.number().positive().default(200),
    rateLimitBurst: z.number().int().positive().default(400),
  })
  .strict()
  .refine((p) => p.rewriteSimilarity <= p.reuseSimilarity, 'rewriteSimilarity must not exceed reuseSimilarity');

export type TenantPolicy = z.output<typeof TenantPolicySchema>;

export const DEFAULT_POLICY: TenantPolicy = TenantPolicySchema.parse({});

/** Similarity thresholds measured for one embedder (calibration.json, written by test/bench/router-quality/calibrate.ts). */
export interface CalibratedThresholds {
  reuseSimilarity: number;
  rewriteSimilarity: number;
  source: string;
}

const CALIBRATED = calibration as Record<string, CalibratedThresholds>;

/** The calibrated thresholds of an embedder (by its id), if it was calibrated. */
export function calibrationFor(embedderId: string): (CalibratedThresholds & { embedder: string }) | undefined {
  const c = CALIBRATED[embedderId];
  return c ? { ...c, embedder: embedderId } : undefined;
}

/**
 * Policies by tenant. Precedence: a tenant's own settings, then "*", then the thresholds
 * calibrated for the embedder in use, then the schema defaults. `thresholdsOf` says which.
 */
export class Policies {
  private readonly base: TenantPolicy;
  private readonly byTenant = new Map<string, TenantPolicy>();
  private readonly sources = new Map<string, string>();
  private readonly baseSource: string;

  constructor(raw: Record<string, Record<string, unknown>> = {}, calibrated?: CalibratedThresholds & { embedder: string }) {
    const { '*': star, ...tenants } = raw;
    const measured = calibrated ? { reuseSimilarity: calibrated.reuseSimilarity, rewriteSimilarity: calibrated.rewriteSimilarity } : {};
    this.base = TenantPolicySchema.parse({ ...measured, ...(star ?? {}) });
    const setsThresholds = (o: Record<string, unknown> | undefined) => o !== undefined && ('reuseSimilarity' in o || 'rewriteSimilarity' in o);
    this.baseSource = setsThresholds(star) ? 'thresholds of the "*" policy' : calibrated ? `thresholds calibrated for ${calibrated.embedder}` : 'uncalibrated default thresholds';
    for (const [tenant, overrides] of Object.entries(tenants)) {
      this.byTenant.set(tenant, TenantPolicySchema.parse({ ...this.base, ...overrides }));
      if (setsThresholds(overrides)) this.sources.set(tenant, `thresholds of ${tenant}'s policy`);
    }
  }

  /** The policy of a tenant. */
  of(tenantId: string): TenantPolicy {
    return this.byTenant.get(tenantId) ?? this.base;
  }

  /** Where a tenant's similarity thresholds come from (shown in every answer's reason). */
  thresholdsOf(tenantId: string): string {
    return this.sources.get(tenantId) ?? this.baseSource;
  }
}
