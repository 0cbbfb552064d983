// The OpenAI-compatible paths (embeddings, and generation of the variable nodes) against a
// local server that speaks the wire format: no network, no model provider.
import { parseConfig } from '@praxis/kafka';
import { embedderFor, generatorFor, hashApiKey, Policies, RouterConfigSchema, RouterCore, type RouterSink } from '@praxis/router';
import { TemplateSchema, type FeedbackInput } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from './openai-server.js';

const sink: RouterSink & { feedback: FeedbackInput[] } = { feedback: [], writeTemplates: async () => undefined, writeFeedback: async (r) => void sink.feedback.push(...r) };
const reasonSlot = { name: 'reason', schemaJson: JSON.stringify({ type: 'string', enum: ['damaged', 'late', 'other'] }), source: 'GENERATED' as const, description: 'why the customer cancels', examplesJson: ['"late"'] };
const cancel = TemplateSchema.parse(
  makeTemplate({
    templateId: 'tpl-cancel',
    triggerExamples: ['cancel my order A-1001 because it is late'],
    signature: ['cancel_order'],
    steps: [{ index: 0, toolName: 'cancel_order', params: [{ path: 'orderId', kind: 'SLOT', slotName: 'orderId' }, { path: 'reason', kind: 'SLOT', slotName: 'reason' }] }],
    slots: [{ name: 'orderId', schemaJson: JSON.stringify({ type: 'string', pattern: '^[A-Z]-\\d+$' }), source: 'QUERY', examplesJson: ['"A-1001"'] }, reasonSlot],
  }),
);

describe('OpenAI-compatible embeddings and rewrite', () => {
  let fake: FakeOpenAI;
  let core: RouterCore;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const config = parseConfig(RouterConfigSchema, {
      ROUTER_API_KEYS: `acme:${hashApiKey('k')}`,
      EMBEDDINGS_BASE_URL: fake.baseURL,
      EMBEDDINGS_MODEL: 'test-embed',
      EMBEDDINGS_DIMENSIONS: '64',
      REWRITE_BASE_URL: fake.baseURL,
      REWRITE_MODEL: 'test-chat',
    });
    core = new RouterCore({ embedder: embedderFor(config), generator: generatorFor(config), policies: new Policies(), sink });
    await core.applyRecords([{ key: cancel.templateId, value: cancel, partition: 0, offset: '0' }]);
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('embeds through the endpoint, masked: no id or known slot value leaves the process', () => {
    // "late" is one of the template's slot values: masked like the id (docs/router.md, Embeddings)
    expect(fake.embeddingRequests[0]).toEqual({ model: 'test-embed', input: ['cancel my order <id> because it is <value>'], dimensions: 64 });
  });

  it('generates the variable nodes, retrying an answer that fails validation', async () => {
    fake.script(['{"reason": 7}', '{"reason": "late"}']);
    const r = await core.lookup('acme', { query: 'cancel my order B-77 because it is so late', agentId: 'support-bot' });
    expect(r.tier).toBe('rewrite');
    expect(r.generatedSlots).toEqual(['reason']);
    expect(r.workflow?.bindings).toEqual({ orderId: 'B-77', reason: 'late' });
    expect(r.toGenerate).toEqual([]);
    expect(fake.chatRequests).toHaveLength(2);
    const prompt = fake.chatRequests[0]!.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('"name":"reason"');
    // a learned enum is what was seen: offered to the model as examples, not imposed as the schema
    expect(prompt).toContain('"examples":["late","damaged","other"]');
    expect(prompt).not.toContain('"enum"');
    expect(prompt).toContain('cancel my order B-77');
    expect(prompt).not.toContain('cancel_order'); // only the variable nodes, never the workflow
    expect(prompt).not.toContain('orderId'); // bound slots are not sent
    expect(fake.chatRequests[1]!.messages.at(-1)!.content).toMatch(/reason: .*must be string/);
    expect(fake.chatRequests[0]!.response_format).toEqual({ type: 'json_object' });
  });

  it('falls back to the slots unfilled after three invalid answers', async () => {
    fake.chatRequests.length = 0;
    fake.script(['not json', '{"reason": 7}', '{"reason": {"why": "late"}}']);
    const r = await core.lookup('acme', { query: 'cancel my order B-78 because it is so late', agentId: 'support-bot' });
    expect(fake.chatRequests).toHaveLength(3);
    expect(r).toMatchObject({ tier: 'rewrite', generatedSlots: [] });
    expect(r.toGenerate.map((s) => s.name)).toEqual(['reason']);
    expect(r.reason).toMatch(/generation failed after 3 attempt/);
  });

  it('plans when the embeddings endpoint is down', async () => {
    await fake.close();
    const r = await core.lookup('acme', { query: 'cancel my order B-79 today', agentId: 'support-bot' });
    expect(r.tier).toBe('plan');
    expect(r.reason).toMatch(/^embeddings unavailable/);
  });
});
