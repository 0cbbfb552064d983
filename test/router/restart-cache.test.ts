// A restarted router reads its vectors from the vector cache (nothing embedded again) and loads
// its tenants' graphs instead of building them; what changed on the topic while it was down is
// applied, and a template deleted meanwhile is never answered (real Kafka and registry). The
// graph threshold is lowered so a few dozen templates make a "large" tenant.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Runtime } from '@praxis/kafka';
import { RouterConfigSchema, startRouter, type RouterHandle } from '@praxis/router';
import { makeTemplate } from '@praxis/schemas/factories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, eventually, testRuntime, uniquePrefix } from '../support/stack.js';
import { KEYS, routerEnv } from './support.js';

const COUNT = 40;
const SMALL = { bruteForceRows: 10, exactScanWork: 0, annCandidates: 16, postingBudget: 200, candidateRows: 16 };
const NOW = Date.now();
const OBJECTS = ['invoice', 'contract', 'ticket', 'photo', 'budget', 'roster', 'ledger', 'manifest'];
const VERBS = ['archive', 'approve', 'rename', 'share', 'print'];
const template = (i: number, version = 1) =>
  makeTemplate({ templateId: `tpl-rc-${i}`, name: `rc ${i}`, version, triggerExamples: [`${VERBS[i % 5]} the ${OBJECTS[Math.floor(i / 5) % 8]} of project ${['north', 'south'][i % 2]}`, `please ${VERBS[i % 5]} ${OBJECTS[Math.floor(i / 5) % 8]} files`], updatedAtMs: NOW + version, createdAtMs: NOW });

describe('restart with the vector cache', () => {
  const prefix = uniquePrefix('restart-cache');
  const cacheDir = mkdtempSync(join(tmpdir(), 'praxis-restart-cache-'));
  let runtime: Runtime;
  let router: RouterHandle | undefined;

  const start = async () => {
    const config = parseConfig(RouterConfigSchema, routerEnv(prefix, { PRAXIS_CACHE_DIR: cacheDir, EMBEDDINGS_LOCAL: 'hashing' }));
    const r = await startRouter({ config, runtime, searchLimits: SMALL });
    await r.ready(30_000);
    return r;
  };
  const lookup = async (r: RouterHandle, query: string) => {
    const res = await fetch(`${r.url}/v1/lookup`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.acme}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, agentId: 'support-bot' }) });
    return (await res.json()) as { templateId: string | null; alternatives: { templateId: string }[] };
  };

  beforeAll(async () => {
    runtime = await testRuntime('restart-cache', prefix);
    await createTopics(runtime.kafka, Object.values(runtime.topics));
    await runtime.producer.send(Array.from({ length: COUNT }, (_, i) => ({ spec: runtime.topics.templates, key: `tpl-rc-${i}`, value: template(i) })));
  }, 60_000);

  afterAll(async () => {
    await router?.stop();
    await runtime?.producer.disconnect();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('the first start embeds every text and builds the graph; the restart embeds nothing and loads it', async () => {
    router = await start();
    const first = router.core.catalog.tenant('acme').index.graphStats;
    expect(first).toMatchObject({ source: 'built', rows: COUNT * 2, inserted: COUNT * 2 });
    expect(router.vectorCache()!.embedded).toBeGreaterThanOrEqual(COUNT * 2);
    const before = await lookup(router, 'approve the contract of project south');
    await router.stop(); // saves the graph (and it was saved once caught up)
    router = undefined;

    router = await start();
    expect(router.core.catalog.tenant('acme').index.graphStats).toMatchObject({ source: 'loaded', rows: COUNT * 2, inserted: 0 });
    expect(router.vectorCache()).toMatchObject({ embedded: 0 });
    expect(router.vectorCache()!.stored).toBeGreaterThanOrEqual(COUNT * 2);
    expect(await lookup(router, 'approve the contract of project south')).toMatchObject({ templateId: before.templateId });
  }, 90_000);

  it('what changed while it was down is applied: a deleted template is gone from the graph and never answered', async () => {
    await router!.stop();
    router = undefined;
    // while the router is down: tpl-rc-6 deleted, tpl-rc-7 asks for something else now
    await runtime.producer.send([
      { spec: runtime.topics.templates, key: 'tpl-rc-6', value: null },
      { spec: runtime.topics.templates, key: 'tpl-rc-7', value: { ...template(7, 2), triggerExamples: ['translate the quarterly newsletter into french'] } },
    ]);
    router = await start();
    const index = router.core.catalog.tenant('acme').index;
    // the loaded graph's keys of tpl-rc-6 and of tpl-rc-7's old examples are dropped once caught up
    await eventually(() => index.graphStats.unconfirmed === 0, 10_000, 50);
    expect(index.graphStats).toMatchObject({ source: 'loaded', rows: (COUNT - 2) * 2 + 1, inserted: 1 });
    const gone = await lookup(router, 'approve the contract of project north');
    expect([gone.templateId, ...gone.alternatives.map((a) => a.templateId)]).not.toContain('tpl-rc-6');
    expect(await lookup(router, 'translate the quarterly newsletter into french')).toMatchObject({ templateId: 'tpl-rc-7' });
  }, 90_000);
});
