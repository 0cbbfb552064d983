import { LookupResponseSchema } from '@praxis/contracts';
import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from './embedding/hashing.js';
import { openApiDocument } from './http/openapi.js';
import { servedPart } from './partial.js';
import { Policies } from './policy.js';
import { RouterCore } from './router-core.js';
import { cancelTemplate, MemorySink, template } from './test-support/fixtures.js';

const NOW = Date.UTC(2026, 11, 1);

// a learned sub-workflow: authenticate, then look the order up; what follows varies from task to task
const segment = template({
  templateId: 'tpl-seg',
  name: 'sub-workflow: find_user > get_order',
  signature: ['find_user', 'get_order'],
  steps: [
    { index: 0, toolName: 'find_user', params: [{ path: 'name', kind: 'SLOT', slotName: 'name' }] },
    { index: 1, toolName: 'get_order', params: [{ path: 'orderId', kind: 'SLOT', slotName: 'orderId' }, { path: 'userId', kind: 'STEP_RESULT', stepIndex: 0, resultPath: 'user_id' }] },
  ],
  slots: [
    { name: 'name', schemaJson: JSON.stringify({ type: 'string', pattern: '^user_\\d+$' }), source: 'QUERY' },
    { name: 'orderId', schemaJson: JSON.stringify({ type: 'string', pattern: '^[A-Z]-\\d+$' }), source: 'QUERY' },
  ],
  triggerExamples: ['I am user_1, please swap the items of order A-1', 'I am user_2, please split order B-2 in two'],
  partialSteps: 2,
  confidence: 0.9,
});

describe('partial answers', () => {
  it('serves only the reliable first steps of a template, with the slots they take', () => {
    const three = template({
      ...segment,
      signature: ['find_user', 'get_order', 'cancel_order'],
      steps: [...segment.steps, { index: 2, toolName: 'cancel_order', params: [{ path: 'reason', kind: 'SLOT', slotName: 'reason' }] }],
      slots: [...segment.slots, { name: 'reason', schemaJson: '{"type":"string"}', source: 'GENERATED' }],
      partialSteps: 1,
    });
    const { template: served, partial } = servedPart(three);
    expect(served.steps.map((s) => s.toolName)).toEqual(['find_user']);
    expect(served.signature).toEqual(['find_user']);
    expect(served.slots.map((s) => s.name)).toEqual(['name']);
    expect(partial).toEqual({ reuseSteps: 1, planFrom: 1, reason: expect.stringContaining('only the first 1 of 3 steps') });
    expect(servedPart(cancelTemplate())).toEqual({ template: cancelTemplate(), partial: null });
  });

  it('answers a query of a task that goes on differently with the sub-workflow to reuse and where planning takes over', async () => {
    const c = new RouterCore({ embedder: new HashingEmbedder(), policies: new Policies(), sink: new MemorySink(), clock: () => NOW });
    await c.applyRecords([segment, cancelTemplate()].map((t, i) => ({ key: t.templateId, value: t, partition: 0, offset: String(i) })));
    const r = await c.lookup('acme', { query: 'I am user_1, please swap the items of order A-1', agentId: 'support-bot' });
    expect(LookupResponseSchema.parse(r)).toEqual(r);
    expect(r.tier).toBe('reuse');
    expect(r.partial).toEqual({ reuseSteps: 2, planFrom: 2, reason: expect.stringContaining('then plan the rest') });
    expect(r.reason).toContain('partial answer');
    expect(r.workflow).toMatchObject({ templateId: 'tpl-seg', partial: true, bindings: { name: 'user_1', orderId: 'A-1' } });
    expect(r.workflow!.steps.map((s) => s.toolName)).toEqual(['find_user', 'get_order']);

    const whole = await c.lookup('acme', { query: 'cancel my order A-1001', agentId: 'support-bot' });
    expect(whole.partial).toBeNull();
    expect(whole.workflow?.partial).toBe(false);
    const plan = await c.lookup('acme', { query: 'what will the weather be in Paris tomorrow', agentId: 'support-bot' });
    expect(plan).toMatchObject({ tier: 'plan', partial: null });
  });

  it('is in the OpenAPI document the router serves', () => {
    const doc = openApiDocument() as { components: { schemas: Record<string, { properties: Record<string, { anyOf?: { properties?: Record<string, unknown> }[] }> }> } };
    const partial = doc.components.schemas.LookupResponse!.properties.partial!;
    expect(Object.keys(partial.anyOf?.find((b) => b.properties)?.properties ?? {})).toEqual(['reuseSteps', 'planFrom', 'reason']);
    expect(doc.components.schemas.LookupResponse!.properties.workflow).toBeDefined();
  });
});
