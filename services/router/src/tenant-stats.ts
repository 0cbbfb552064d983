import type { OutcomeName, TenantStats, TierName } from '@praxis/contracts';

type Counters = Omit<TenantStats, 'tenantId' | 'falseHitRate' | 'templates'> & { reuseExecutions: number };

const empty = (): Counters => ({
  lookups: { reuse: 0, rewrite: 0, plan: 0 },
  executions: { succeeded: 0, failed: 0, deviated: 0, ignored: 0, abandoned: 0 },
  falseHits: 0,
  structuralRejections: 0,
  reuseExecutions: 0,
});

/** Per-tenant counters since start: lookups by tier, outcomes, false hits, structural rejections. */
export class TenantCounters {
  private readonly byTenant = new Map<string, Counters>();

  private of(tenantId: string): Counters {
    let c = this.byTenant.get(tenantId);
    if (!c) this.byTenant.set(tenantId, (c = empty()));
    return c;
  }

  lookup(tenantId: string, tier: TierName, structuralRejections: number): void {
    const c = this.of(tenantId);
    c.lookups[tier]++;
    c.structuralRejections += structuralRejections;
  }

  execution(tenantId: string, outcome: OutcomeName, tier: TierName | undefined, falseHit: boolean): void {
    const c = this.of(tenantId);
    c.executions[outcome]++;
    if (tier === 'reuse' && outcome !== 'ignored') c.reuseExecutions++;
    if (falseHit) c.falseHits++;
  }

  /** The tenant's figures (template counts are added by the caller). */
  snapshot(tenantId: string, templates: TenantStats['templates']): TenantStats {
    const { reuseExecutions, ...c } = this.of(tenantId);
    return { tenantId, ...structuredClone(c), falseHitRate: reuseExecutions > 0 ? c.falseHits / reuseExecutions : null, templates };
  }
}
