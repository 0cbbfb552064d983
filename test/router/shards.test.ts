// Router shards by tenant on real Kafka (docs/router.md, "Shards by tenant"): two routers read
// the same templates topic, each indexes only its tenants' templates (and says so in
// /readyz's counts), each answers only its tenants, and the SDK client sent to the wrong one
// follows the 421 to the owner.
import { createServer } from 'node:net';
import { parseConfig, type Runtime } from '@praxis/kafka';
import { hashApiKey, RouterConfigSchema, shardOf, startRouter, type RouterHandle } from '@praxis/router';
import { makeTemplate } from '@praxis/schemas/factories';
import { RouterClient } from '@praxis/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, eventually, testRuntime, uniquePrefix } from '../support/stack.js';
import { routerEnv } from './support.js';

const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'vandelay'];
const key = (tenant: string) => `${tenant}-secret-key`;
const NOW = Date.now();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('router shards by tenant, on Kafka', () => {
  const prefix = uniquePrefix('router-shards');
  let runtime: Runtime;
  const routers: RouterHandle[] = [];
  let urls: string[] = [];

  beforeAll(async () => {
    runtime = await testRuntime('router-shards', prefix);
    await createTopics(runtime.kafka, Object.values(runtime.topics));
    expect(new Set(TENANTS.map((t) => shardOf(t, 2))).size).toBe(2); // both shards have tenants
    await runtime.producer.send(
      TENANTS.flatMap((tenantId, i) => [0, 1].map((j) => {
        const value = makeTemplate({ tenantId, templateId: `tpl-${tenantId}-${j}`, name: `${tenantId} ${j}`, triggerExamples: [j === 0 ? `track the parcel of order A-${i}` : `refund the invoice number ${i}`], updatedAtMs: NOW, createdAtMs: NOW });
        return { spec: runtime.topics.templates, key: value.templateId, value };
      })),
    );
    const ports = [await freePort(), await freePort()];
    urls = ports.map((p) => `http://127.0.0.1:${p}`);
    for (const [index, port] of ports.entries()) {
      const env = routerEnv(prefix, {
        EMBEDDINGS_LOCAL: 'hashing',
        ROUTER_PORT: String(port),
        ROUTER_SHARD: `${index}/2`,
        ROUTER_SHARD_URLS: JSON.stringify(urls),
        ROUTER_API_KEYS: JSON.stringify(Object.fromEntries(TENANTS.map((t) => [t, [hashApiKey(key(t))]]))),
      });
      const router = await startRouter({ config: parseConfig(RouterConfigSchema, env), runtime: await testRuntime(`router-shard-${index}`, prefix) });
      routers.push(router);
    }
    for (const r of routers) await r.ready(60_000);
  }, 120_000);

  afterAll(async () => {
    for (const r of routers) await r.stop();
    await runtime?.producer.disconnect();
  });

  it('each router indexes only its tenants: together every template once', async () => {
    await eventually(() => routers.reduce((n, r) => n + r.core.catalog.size, 0) === TENANTS.length * 2, 30_000);
    for (const [index, router] of routers.entries()) {
      const own = TENANTS.filter((t) => shardOf(t, 2) === index);
      expect(router.readiness()).toMatchObject({ templates: own.length * 2, tenants: own.length });
      for (const tenant of TENANTS) expect(router.core.catalog.tenant(tenant).templates.size, `${tenant} on shard ${index}`).toBe(own.includes(tenant) ? 2 : 0);
    }
  });

  it('a lookup sent to the wrong shard answers 421 naming the owner; the SDK client follows it', async () => {
    for (const [i, tenant] of TENANTS.entries()) {
      const owner = shardOf(tenant, 2);
      const wrong = 1 - owner;
      const raw = await fetch(`${urls[wrong]}/v1/lookup`, { method: 'POST', headers: { authorization: `Bearer ${key(tenant)}`, 'content-type': 'application/json' }, body: JSON.stringify({ query: `track the parcel of order A-${i}`, agentId: 'support-bot' }) });
      expect(raw.status).toBe(421);
      expect(raw.headers.get('x-praxis-shard-url')).toBe(urls[owner]);
      const client = new RouterClient({ baseUrl: urls[wrong]!, apiKey: key(tenant) });
      const answer = await client.lookup({ query: `track the parcel of order A-${i}`, agentId: 'support-bot' });
      expect(answer.fallback ?? false).toBe(false);
      expect(answer.templateId ?? answer.alternatives[0]?.templateId).toBe(`tpl-${tenant}-0`);
      expect(client.baseUrl).toBe(urls[owner]);
      const list = await client.listTemplates();
      expect(list.items.map((t) => t.templateId).sort()).toEqual([`tpl-${tenant}-0`, `tpl-${tenant}-1`]);
    }
  });
});
