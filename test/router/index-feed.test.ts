// The router's index follows the compacted templates topic: templates already there are
// loaded before it reports ready, new versions are served as they arrive, tombstones remove,
// and one tenant's key never reaches another tenant's templates.
import { PraxisProducer, type Runtime } from '@praxis/kafka';
import type { Template } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, testKafka, testRuntime } from '../support/stack.js';
import { KEYS, readUntil, startTestRouter, type TestRouter } from './support.js';

const NOW = Date.now();
const preloaded = makeTemplate({ templateId: 'tpl-preloaded', triggerExamples: ['show the invoice INV-100 of my order'], signature: ['get_invoice'], steps: [{ index: 0, toolName: 'get_invoice', params: [] }], slots: [], updatedAtMs: NOW, createdAtMs: NOW });
const tracking = makeTemplate({ templateId: 'tpl-track', triggerExamples: ['where is my order A-1001?'], updatedAtMs: NOW, createdAtMs: NOW, lineage: [{ trajectoryId: 'traj-1', partition: 0, offset: 4 }] });
const lookupBody = { query: 'where is my order A-2002?', agentId: 'support-bot' };

describe('router index from the templates topic', () => {
  let t: TestRouter;
  let publisher: Runtime;
  let producer: PraxisProducer;
  const publish = (records: { key: string; value: unknown }[]) => producer.send(records.map((r) => ({ spec: publisher.topics.templates, ...r })));

  beforeAll(async () => {
    // a template already on the topic before the router starts
    const { uniquePrefix, createTopics } = await import('../support/stack.js');
    const prefix = uniquePrefix('router-index');
    publisher = await testRuntime('router-index-publisher', prefix);
    await createTopics(publisher.kafka, Object.values(publisher.topics));
    producer = publisher.producer;
    await publish([{ key: preloaded.templateId!, value: preloaded }]);
    t = await startTestRouter('index', { prefix });
  });

  afterAll(async () => {
    await t?.stop();
    await publisher?.producer.disconnect();
  });

  it('loads what was on the topic before it reports ready, and says so in readyz', async () => {
    const ready = await t.call('GET', '/readyz', undefined, null);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', caughtUp: true, templates: 1, tenants: 1 });
    expect(Object.values(ready.body.lag)).toEqual([0, 0, 0]);
    expect((await t.call('GET', '/v1/templates/tpl-preloaded')).status).toBe(200);
  });

  it('serves a template soon after it is published', async () => {
    const before = await t.call('POST', '/v1/lookup', lookupBody);
    expect(before.body.tier).toBe('plan');
    const published = Date.now();
    await publish([{ key: 'tpl-track', value: tracking }]);
    const served = await eventually(async () => {
      const r = await t.call('POST', '/v1/lookup', lookupBody);
      return r.body.tier === 'reuse' ? r : null;
    }, 10_000, 20);
    // informative only (speed is measured in `pnpm bench router`)
    console.log(`[router] template served ${Date.now() - published} ms after it was published`);
    expect(served?.body).toMatchObject({ tier: 'reuse', templateId: 'tpl-track', workflow: { bindings: { orderId: 'A-2002' } } });
  });

  it("never shows tenant A's template to tenant B, in lookup, list, get or versions", async () => {
    await eventually(async () => (await t.call('GET', '/v1/templates/tpl-track')).status === 200, 10_000, 20);
    const lookup = await t.call('POST', '/v1/lookup', lookupBody, KEYS.globex);
    expect(lookup.body).toMatchObject({ tier: 'plan', templateId: null, alternatives: [] });
    expect((await t.call('GET', '/v1/templates', undefined, KEYS.globex)).body).toEqual({ items: [], total: 0, nextCursor: null });
    for (const path of ['/v1/templates/tpl-track', '/v1/templates/tpl-track/versions']) {
      const res = await t.call('GET', path, undefined, KEYS.globex);
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('not_found');
    }
    expect((await t.call('DELETE', '/v1/templates/tpl-track', undefined, KEYS.globex)).status).toBe(404);
    expect((await t.call('GET', '/v1/templates')).body.items.map((i: { templateId: string }) => i.templateId).sort()).toEqual(['tpl-preloaded', 'tpl-track']);
  });

  it('keeps the versions it sees, with their lineage', async () => {
    const v2 = { ...tracking, version: 2, confidence: 0.9, stats: { support: 30, successes: 29 }, updatedAtMs: NOW + 1, lineage: [{ trajectoryId: 'traj-9', partition: 1, offset: 77 }] };
    await publish([{ key: 'tpl-track', value: v2 }]);
    const history = await eventually(async () => {
      const r = await t.call('GET', '/v1/templates/tpl-track/versions');
      return r.body.versions?.length === 2 ? r.body : null;
    }, 10_000, 20);
    expect(history).toMatchObject({ templateId: 'tpl-track', deleted: false, complete: true });
    expect(history.versions.map((v: { version: number; confidence: number }) => [v.version, v.confidence])).toEqual([[1, 0.83], [2, 0.9]]);
    expect(history.versions[1].lineage).toEqual([{ trajectoryId: 'traj-9', partition: 1, offset: 77 }]);
    expect(typeof history.versions[1].offset).toBe('string');
  });

  it('drops a template when its tombstone arrives', async () => {
    await publish([{ key: 'tpl-track', value: null }]);
    await eventually(async () => (await t.call('GET', '/v1/templates/tpl-track')).status === 404, 10_000, 20);
    expect((await t.call('POST', '/v1/lookup', lookupBody)).body.tier).toBe('plan');
    expect((await t.call('GET', '/v1/templates/tpl-track/versions')).body.deleted).toBe(true);
  });

  it('records every lookup in the feedback topic', async () => {
    const count = async (key: string) => Object.values((await t.call('GET', '/v1/stats', undefined, key)).body.lookups as Record<string, number>).reduce((a, b) => a + b, 0);
    const answered = (await count(KEYS.acme)) + (await count(KEYS.globex));
    const records = await readUntil(testKafka(), publisher, publisher.topics.feedback, (rs) => rs.filter((r) => r.value?.kind === 'LOOKUP').length >= answered);
    const lookups = records.map((r) => r.value!).filter((v) => v.kind === 'LOOKUP');
    expect(lookups).toHaveLength(answered);
    expect(lookups.some((l) => l.tenantId === 'globex' && l.lookup?.tier === 'PLAN')).toBe(true);
    expect(lookups.some((l) => l.tenantId === 'acme' && l.templateId === 'tpl-track' && l.lookup?.tier === 'REUSE')).toBe(true);
  });

  it('unlearns a learned template: UNLEARN record, tombstone, gone', async () => {
    const res = await t.call('DELETE', '/v1/templates/tpl-preloaded?reason=wrong%20invoice');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ templateId: 'tpl-preloaded', unlearned: true });
    expect((await t.call('GET', '/v1/templates/tpl-preloaded')).status).toBe(404);
    const feedback = (await readUntil(testKafka(), publisher, publisher.topics.feedback, (rs) => rs.some((r) => r.value?.kind === 'UNLEARN'))).map((r) => r.value!);
    expect(feedback.find((f) => f.kind === 'UNLEARN')).toMatchObject({ tenantId: 'acme', templateId: 'tpl-preloaded', reason: 'wrong invoice', feedbackId: res.body.feedbackId });
    const templates = await readUntil<Template>(testKafka(), publisher, publisher.topics.templates, (rs) => rs.filter((r) => r.key === 'tpl-preloaded').length === 2);
    expect(templates.filter((r) => r.key === 'tpl-preloaded').map((r) => r.value === null)).toEqual([false, true]);
  });
});
