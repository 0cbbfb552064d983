// The template feed reads a partition larger than one fetch (1 MiB) to its end, does no work
// once caught up (counted records and batches, not CPU time), and keeps a correct caught-up
// state across a restart of the broker, reading only what is new afterwards.
import { createRuntime, parseConfig, type Runtime } from '@praxis/kafka';
import { RouterConfigSchema, startRouter, type RouterHandle } from '@praxis/router';
import { makeTemplate } from '@praxis/schemas/factories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DedicatedKafka } from '../support/dedicated-kafka.js';
import { createTopics, eventually, quietLogger, stack, uniquePrefix } from '../support/stack.js';
import { KEYS, routerEnv } from './support.js';

const TEMPLATES = 420;
const NOW = Date.now();
// ~3 KB per record, one partition: about 1.3 MiB, beyond kafkajs' 1 MiB per-partition fetch
const filler = (i: number) => Array.from({ length: 6 }, (_, j) => `look up the shipment ${i} of warehouse ${j} ${'and check its customs papers '.repeat(16)}`);
const template = (i: number) =>
  makeTemplate({ templateId: `tpl-big-${i}`, name: `big ${i}`, triggerExamples: [`show the parcel report number ${i}`, ...filler(i)], updatedAtMs: NOW, createdAtMs: NOW });

describe('template feed: large partitions, idle, broker restart', () => {
  let broker: DedicatedKafka;
  let publisher: Runtime;
  let routerRuntime: Runtime;
  let router: RouterHandle;
  const prefix = uniquePrefix('feed-idle');

  const start = async (): Promise<RouterHandle> => {
    // the feed is under test, not the embedder: hashing keeps the rebuilds cheap
    const env = { ...routerEnv(prefix), KAFKA_BROKERS: broker.brokers.join(','), EMBEDDINGS_LOCAL: 'hashing' };
    const r = await startRouter({ config: parseConfig(RouterConfigSchema, env), runtime: routerRuntime });
    await r.ready(30_000);
    return r;
  };
  const lookup = async (r: RouterHandle, query: string) => {
    const res = await fetch(`${r.url}/v1/lookup`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.acme}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, agentId: 'support-bot' }) });
    return { status: res.status, body: (await res.json()) as { tier: string; templateId: string | null } };
  };

  beforeAll(async () => {
    broker = await DedicatedKafka.start();
    const settings = { KAFKA_BROKERS: broker.brokers, SCHEMA_REGISTRY_URL: stack().registryUrl, PRAXIS_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' as const };
    publisher = await createRuntime('feed-idle-publisher', settings, quietLogger('feed-idle-publisher'));
    routerRuntime = await createRuntime('feed-idle-router', settings, quietLogger('feed-idle-router'));
    await createTopics(publisher.kafka, [publisher.topics.templates], 1);
    await createTopics(publisher.kafka, [publisher.topics.feedback]);
    // a fresh broker may not lead the new partition yet: retry until it takes the first record
    await eventually(async () => publisher.producer.send([{ spec: publisher.topics.templates, key: 'tpl-big-0', value: template(0) }]).then(() => true, () => false), 30_000, 250);
    for (let i = 1; i < TEMPLATES; i += 60) {
      await publisher.producer.send(Array.from({ length: Math.min(60, TEMPLATES - i) }, (_, j) => ({ spec: publisher.topics.templates, key: `tpl-big-${i + j}`, value: template(i + j) })));
    }
  }, 120_000);

  afterAll(async () => {
    await router?.stop();
    await routerRuntime?.producer.disconnect();
    await publisher?.producer.disconnect();
    await broker?.destroy();
  });

  it('reads a partition larger than one fetch to its end, on every start', async () => {
    const admin = publisher.kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchTopicOffsets(publisher.topics.templates.name);
    await admin.disconnect();
    expect(Number(offsets!.high)).toBe(TEMPLATES);
    for (let run = 0; run < 2; run++) {
      // a second start is a restart of the router (a new group: a full rebuild)
      await router?.stop();
      router = await start();
      expect(router.readiness()).toMatchObject({ caughtUp: true, templates: TEMPLATES, lag: { '0': 0 } });
      expect(router.feedStats().records).toBe(TEMPLATES);
    }
    const last = await fetch(`${router.url}/v1/templates/tpl-big-${TEMPLATES - 1}`, { headers: { authorization: `Bearer ${KEYS.acme}` } });
    expect(last.status).toBe(200);
  });

  it('does nothing once caught up: no batch, no record while the topic is quiet', async () => {
    const before = router.feedStats();
    // an observation window, not a timing assertion: before the fix every fetch re-read the first MiB
    await new Promise((r) => setTimeout(r, 3_000));
    const after = router.feedStats();
    expect(after.batches - before.batches).toBe(0);
    expect(after.records - before.records).toBe(0);
  });

  it('is caught up again after the broker restarts, reading only the new records', async () => {
    const before = router.feedStats();
    await broker.stop();
    await broker.startAgain();
    await publisher.producer.send([{ spec: publisher.topics.templates, key: 'tpl-after-restart', value: makeTemplate({ templateId: 'tpl-after-restart', triggerExamples: ['where is my order A-1001?'], updatedAtMs: NOW, createdAtMs: NOW }) }]);
    const served = await eventually(async () => {
      const r = await lookup(router, 'where is my order A-2002?').catch(() => null);
      return r?.body.templateId === 'tpl-after-restart' ? r : null;
    }, 60_000, 100);
    expect(served?.status).toBe(200);
    await eventually(() => router.readiness().caughtUp, 30_000, 50);
    const after = router.feedStats();
    expect(router.readiness()).toMatchObject({ caughtUp: true, templates: TEMPLATES + 1, lag: { '0': 0 } });
    // a rejoin seeks back to the feed's own positions: the backlog is not read again
    expect(after.records - before.records).toBe(1);
    console.log(`[feed-idle] group joins before/after the broker restart: ${before.joins}/${after.joins}`);
  });
});
