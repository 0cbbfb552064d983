import { createLogger, partitionOf } from '@praxis/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiKeys, hashApiKey } from './auth.js';
import { HashingEmbedder } from './embedding/hashing.js';
import { buildHttpApp } from './http/app.js';
import { HttpError } from './http/errors.js';
import { Policies } from './policy.js';
import { RateLimiter } from './rate-limit.js';
import { RouterCore } from './router-core.js';
import { parseShard, Shard, shardOf } from './shard.js';
import { MemorySink, template } from './test-support/fixtures.js';

const TENANTS = Array.from({ length: 24 }, (_, i) => `tenant-${i}`);
const key = (tenant: string) => `key-of-${tenant}`;
const records = TENANTS.map((tenantId, i) => ({ key: `tpl-${i}`, value: template({ tenantId, templateId: `tpl-${i}`, triggerExamples: [`track the parcel of order A-${i}`] }), partition: 0, offset: String(i) }));

describe('shard of a tenant', () => {
  it('is the Kafka partition murmur2 picks for the tenant id, stable and spread', () => {
    for (const t of TENANTS) expect(shardOf(t, 3)).toBe(partitionOf(t, 3));
    expect(shardOf('acme', 1)).toBe(0);
    const counts = [0, 0, 0];
    for (const t of TENANTS) counts[shardOf(t, 3)]!++;
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  it.each([
    ['3', /must read "<index>\/<count>"/],
    ['3/3', /index must be below the count/],
    ['0/0', /count must be at least 1/],
    ['-1/2', /must read/],
  ])('refuses ROUTER_SHARD=%s with the reason', (text, reason) => {
    expect(() => parseShard(text)).toThrow(reason);
  });

  it('needs one URL per shard when URLs are listed', () => {
    expect(() => parseShard('0/3', ['http://127.0.0.1:1', 'http://127.0.0.1:2'])).toThrow(/lists 2 URL\(s\) for 3 shard/);
    expect(parseShard(' 1 / 2 ', ['http://a', 'http://b'])).toEqual({ index: 1, count: 2, urls: ['http://a', 'http://b'] });
  });
});

describe('router shards', () => {
  const cores = [0, 1, 2].map((index) => new RouterCore({ embedder: new HashingEmbedder(), policies: new Policies({}), sink: new MemorySink(), shard: new Shard({ index, count: 3 }) }));

  it('each indexes only its tenants, and together every tenant once', async () => {
    for (const core of cores) await core.applyRecords(records);
    for (const [index, core] of cores.entries()) {
      for (const tenantId of TENANTS) expect(core.catalog.tenant(tenantId).templates.size, `${tenantId} on shard ${index}`).toBe(shardOf(tenantId, 3) === index ? 1 : 0);
    }
    expect(cores.reduce((n, c) => n + c.catalog.size, 0)).toBe(TENANTS.length);
    // a tombstone names no tenant: the shard that held the id removes it, the others ignore it
    for (const core of cores) await core.applyRecords([{ key: 'tpl-0', value: null, partition: 0, offset: '99' }]);
    expect(cores.reduce((n, c) => n + c.catalog.size, 0)).toBe(TENANTS.length - 1);
  });
});

describe('HTTP of a shard', () => {
  const apps: Awaited<ReturnType<typeof buildHttpApp>>[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  const start = async (count: number, urls: string[] | undefined, options: { ready: boolean; perSecond: number }) => {
    const started: { app: Awaited<ReturnType<typeof buildHttpApp>>; core: RouterCore }[] = [];
    for (let index = 0; index < count; index++) {
      const shard = new Shard({ index, count, ...(urls ? { urls } : {}) });
      const core = new RouterCore({ embedder: new HashingEmbedder(), policies: new Policies({}), sink: new MemorySink(), shard });
      await core.applyRecords(records);
      const rateLimiter = new RateLimiter(() => ({ perSecond: options.perSecond, burst: 1 }), () => 0);
      const app = await buildHttpApp({
        env: { core, readiness: () => ({ status: 'ready', caughtUp: true, lag: {}, templates: core.catalog.size, tenants: core.catalog.tenantCount }) },
        keys: new ApiKeys(new Map(TENANTS.map((t) => [hashApiKey(key(t)), t]))),
        rateLimiter,
        logger: createLogger('shard-test', 'silent'),
        bodyLimit: 16 * 1024,
        misdirected: (tenantId) => shard.misdirected(tenantId),
        gate: () => (options.ready ? null : new HttpError(503, 'not_ready', 'catching up')),
      });
      apps.push(app);
      await app.ready();
      started.push({ app, core });
    }
    return started;
  };

  it('answers another shard\'s tenant 421 naming its shard, before rate limits and readiness', async () => {
    const [a] = await start(2, undefined, { ready: false, perSecond: 0.0001 });
    const tenant = TENANTS.find((t) => shardOf(t, 2) === 1)!;
    for (let i = 0; i < 3; i++) {
      const res = await a!.app.inject({ method: 'POST', url: '/v1/lookup', headers: { authorization: `Bearer ${key(tenant)}`, 'content-type': 'application/json' }, payload: JSON.stringify({ query: 'track the parcel of order A-1', agentId: 'bot' }) });
      expect(res.statusCode).toBe(421);
      expect(res.headers['x-praxis-shard']).toBe('1');
      expect(res.headers['x-praxis-shard-url']).toBeUndefined();
      expect(res.json()).toEqual({ error: 'misdirected', message: `tenant ${tenant} is served by router shard 1 of 2; this is shard 0` });
    }
    // its own tenant: the gate (not ready) answers, not the shard check
    const own = TENANTS.find((t) => shardOf(t, 2) === 0)!;
    const res = await a!.app.inject({ method: 'GET', url: '/v1/templates', headers: { authorization: `Bearer ${key(own)}` } });
    expect(res.statusCode).toBe(503);
    // with the URLs listed, the 421 says where to go
    const [b] = await start(2, ['http://router-0.internal:8080', 'http://router-1.internal:8080'], { ready: true, perSecond: 1e6 });
    const listed = await b!.app.inject({ method: 'GET', url: '/v1/templates', headers: { authorization: `Bearer ${key(tenant)}` } });
    expect(listed.statusCode).toBe(421);
    expect(listed.headers['x-praxis-shard-url']).toBe('http://router-1.internal:8080');
  });
});
