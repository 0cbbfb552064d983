import { describe, expect, it } from 'vitest';
import { ApiKeys, apiKeysConfig, hashApiKey, keyOf } from './auth.js';
import { ConfidenceDeltas } from './confidence-delta.js';
import { RateLimiter } from './rate-limit.js';
import { template } from './test-support/fixtures.js';

describe('API keys', () => {
  const a = hashApiKey('alpha');
  const b = hashApiKey('beta');

  it('reads the JSON and the compact forms, hashed', () => {
    const keys = new ApiKeys(apiKeysConfig.parse(JSON.stringify({ acme: [a, `sha256:${b.toUpperCase()}`] })));
    expect(keys.tenantOf('alpha')).toBe('acme');
    expect(keys.tenantOf('beta')).toBe('acme');
    expect(keys.tenantOf('gamma')).toBeUndefined();
    expect(new ApiKeys(apiKeysConfig.parse(`acme:${a},globex:${b}`)).tenantOf('beta')).toBe('globex');
  });

  it('refuses plain keys, bad JSON and one hash for two tenants', () => {
    expect(apiKeysConfig.safeParse('{"acme": ["alpha"]}').error?.issues[0]?.message).toMatch(/sha-256/);
    expect(apiKeysConfig.safeParse('{"acme": [').success).toBe(false);
    expect(apiKeysConfig.safeParse(`acme:${a},globex:${a}`).error?.issues[0]?.message).toMatch(/two tenants/);
  });

  it('takes the key from a bearer or x-api-key header', () => {
    expect(keyOf({ authorization: 'Bearer k1' })).toBe('k1');
    expect(keyOf({ authorization: 'Basic xyz', 'x-api-key': 'k2' })).toBe('k2');
    expect(keyOf({})).toBeUndefined();
  });
});

describe('rate limiter', () => {
  it('allows the burst, then refills at the rate', () => {
    let now = 0;
    const limiter = new RateLimiter(() => ({ perSecond: 10, burst: 2 }), () => now);
    expect([limiter.take('t'), limiter.take('t'), limiter.take('t')]).toEqual([0, 0, 100]);
    now = 100;
    expect(limiter.take('t')).toBe(0);
    expect(limiter.take('other')).toBe(0);
  });
});

const T0 = Date.UTC(2026, 0, 1);

describe('confidence delta', () => {
  it('recomputes from the version stats plus outcomes, with the core math, and ignores other versions', () => {
    const deltas = new ConfidenceDeltas();
    const t = template({ confidence: 0.83, stats: { support: 12, successes: 11 }, updatedAtMs: T0 });
    expect(deltas.served(t, T0 + 2_000)).toBe(0.83);
    expect(deltas.record(t, false, T0 + 2_000, 10, 7)).toBe(false); // another version
    expect(deltas.record(t, false, T0 - 500, 10)).toBe(false); // before this version
    expect(deltas.record(t, false, T0 + 2_000, 10)).toBe(true);
    const afterFailure = deltas.served(t, T0 + 2_000);
    expect(afterFailure).toBeLessThan(0.75);
    deltas.record(t, true, T0 + 3_000, 10);
    expect(deltas.served(t, T0 + 3_000)).toBeGreaterThan(afterFailure);
    deltas.reset(t.templateId);
    expect(deltas.served(t, T0 + 3_000)).toBe(0.83);
  });
});
