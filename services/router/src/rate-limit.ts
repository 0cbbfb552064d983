/** Token buckets per tenant: `perSecond` refill, `burst` capacity. Pure given the clock. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(private readonly limits: (tenantId: string) => { perSecond: number; burst: number }, private readonly clock: () => number = Date.now) {}

  /** Takes one token; returns 0 when allowed, else the ms until a token is available. */
  take(tenantId: string): number {
    const { perSecond, burst } = this.limits(tenantId);
    const now = this.clock();
    const bucket = this.buckets.get(tenantId) ?? { tokens: burst, atMs: now };
    const tokens = Math.min(burst, bucket.tokens + ((now - bucket.atMs) / 1000) * perSecond);
    if (tokens >= 1) {
      this.buckets.set(tenantId, { tokens: tokens - 1, atMs: now });
      return 0;
    }
    this.buckets.set(tenantId, { tokens, atMs: now });
    return Math.ceil(((1 - tokens) / perSecond) * 1000);
  }
}
