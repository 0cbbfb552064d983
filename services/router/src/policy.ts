import { z } from 'zod';

/** Per-tenant thresholds and limits (docs/router.md, "Tiers and thresholds"). */
export const TenantPolicySchema = z
  .object({
    /** Similarity from which a template may be reused as is. */
    reuseSimilarity: z.number().min(0).max(1).default(0.85),
    /** Similarity from which a template is offered for rewrite; below it: plan. */
    rewriteSimilarity: z.number().min(0).max(1).default(0.55),
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

/** Policies by tenant; "*" overrides the defaults for every tenant. */
export class Policies {
  private readonly base: TenantPolicy;
  private readonly byTenant = new Map<string, TenantPolicy>();

  constructor(raw: Record<string, Record<string, unknown>> = {}) {
    const { '*': star, ...tenants } = raw;
    this.base = TenantPolicySchema.parse({ ...(star ?? {}) });
    for (const [tenant, overrides] of Object.entries(tenants)) this.byTenant.set(tenant, TenantPolicySchema.parse({ ...this.base, ...overrides }));
  }

  /** The policy of a tenant. */
  of(tenantId: string): TenantPolicy {
    return this.byTenant.get(tenantId) ?? this.base;
  }
}
