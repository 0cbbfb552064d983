// User workflows over HTTP against real Kafka: bad input is refused with the right 4xx and
// a reason and writes nothing; a valid workflow lands on the templates topic as a USER
// template, outranks the learned one, and a fresh router rebuilds it from the topic.
import type { Template } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, testKafka } from '../support/stack.js';
import { KEYS, readUntil, startTestRouter, type TestRouter } from './support.js';

const NOW = Date.now();
const learned = makeTemplate({ templateId: 'tpl-learned-track', agentId: null, triggerExamples: ['where is my order A-1001?'], updatedAtMs: NOW, createdAtMs: NOW });
const workflow = {
  name: 'Track an order (user)',
  triggerExamples: ['where is my order A-1001?'],
  slots: [{ name: 'orderId', schema: { type: 'string', pattern: '^[A-Z]-\\d+$' } }],
  steps: [
    { toolName: 'lookup_order', params: { orderId: '{{slots.orderId}}', verbose: false } },
    { toolName: 'get_tracking', params: { ref: '{{steps.0.order.carrierRef}}' } },
  ],
};

describe('user workflows over HTTP', () => {
  let t: TestRouter;

  beforeAll(async () => {
    t = await startTestRouter('workflows', { env: { ROUTER_BODY_LIMIT_BYTES: String(32 * 1024) } });
    await t.runtime.producer.send([{ spec: t.runtime.topics.templates, value: learned }]);
    await eventually(async () => (await t.call('GET', '/v1/tools')).body.items?.length === 2, 10_000, 20);
  });

  afterAll(async () => {
    await t?.stop();
  });

  it.each([
    ['malformed JSON', () => t.call('POST', '/v1/workflows', '{"name": "x", "steps": ['), 400, 'invalid_json', /JSON/],
    ['a missing field', () => t.call('POST', '/v1/workflows', { ...workflow, triggerExamples: undefined }), 400, 'invalid_body', /triggerExamples/],
    ['an oversize body', () => t.call('POST', '/v1/workflows', { ...workflow, description: 'x'.repeat(40_000) }), 413, 'body_too_large', /Request body is too large/],
    ['an unknown tool', () => t.call('POST', '/v1/workflows', { ...workflow, steps: [{ toolName: 'drop_database', params: {} }] }), 422, 'unknown_tool', /"drop_database" is not a tool of this tenant/],
    ['a bad reference', () => t.call('POST', '/v1/workflows', { ...workflow, steps: [workflow.steps[0], { toolName: 'get_tracking', params: { ref: '{{steps.5.order.carrierRef}}' } }] }), 422, 'bad_reference', /refers to step 5, which does not run before step 1/],
    ['a wrong key', () => t.call('POST', '/v1/workflows', workflow, 'not-a-key'), 401, 'unauthorized', /unknown API key/],
    ['no key', () => t.call('POST', '/v1/workflows', workflow, null), 401, 'unauthorized', /missing API key/],
  ])('refuses %s with %i %s and a reason', async (_name, call, status, error, message) => {
    const res = await call();
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    expect(res.body.message).toMatch(message);
    expect((await t.call('GET', '/v1/workflows')).body.total).toBe(0);
  });

  it('stored nothing for the refused requests: the only USER record on the topic is the valid one', async () => {
    const created = await t.call('POST', '/v1/workflows', workflow);
    expect(created.status).toBe(201);
    expect(created.body.warnings).toEqual(['steps.0.params.verbose: never observed in calls of lookup_order']);
    const id = created.body.template.templateId;
    const records = await readUntil<Template>(testKafka(), t.runtime, t.runtime.topics.templates, (rs) => rs.some((r) => r.key === id));
    expect(records.filter((r) => r.value?.source === 'USER').map((r) => r.key)).toEqual([id]);
    expect(records.find((r) => r.key === id)!.value).toMatchObject({ source: 'USER', status: 'ACTIVE', tenantId: 'acme', version: 1 });
  });

  it('lets the user workflow take precedence over the learned template at equal similarity', async () => {
    const r = await t.call('POST', '/v1/lookup', { query: 'where is my order B-7?', agentId: 'support-bot' });
    expect(r.body).toMatchObject({ tier: 'reuse', templateId: expect.stringMatching(/^wf_/), workflow: { source: 'USER', bindings: { orderId: 'B-7' } } });
    expect(r.body.alternatives[0].templateId).toBe('tpl-learned-track');
  });

  it('keeps workflows of one tenant away from another', async () => {
    const list = await t.call('GET', '/v1/workflows', undefined, KEYS.globex);
    expect(list.body.total).toBe(0);
    const id = (await t.call('GET', '/v1/workflows')).body.items[0].templateId;
    expect((await t.call('GET', `/v1/workflows/${id}`, undefined, KEYS.globex)).status).toBe(404);
    expect((await t.call('PUT', `/v1/workflows/${id}`, workflow, KEYS.globex)).status).toBe(404);
    expect((await t.call('DELETE', `/v1/workflows/${id}`, undefined, KEYS.globex)).status).toBe(404);
  });

  it('is rebuilt from the topic by a fresh router, and deleted with a tombstone', async () => {
    const id = (await t.call('GET', '/v1/workflows')).body.items[0].templateId;
    const fresh = await startTestRouter('workflows-2', { prefix: t.prefix });
    try {
      expect((await fresh.call('GET', `/v1/workflows/${id}`)).body.template).toMatchObject({ templateId: id, version: 1, source: 'USER' });
      expect((await t.call('DELETE', `/v1/workflows/${id}`)).status).toBe(200);
      await eventually(async () => (await fresh.call('GET', `/v1/workflows/${id}`)).status === 404, 10_000, 20);
      expect((await fresh.call('POST', '/v1/lookup', { query: 'where is my order B-7?', agentId: 'support-bot' })).body.templateId).toBe('tpl-learned-track');
    } finally {
      await fresh.stop();
    }
  });
});
