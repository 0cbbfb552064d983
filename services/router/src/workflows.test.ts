import { describe, expect, it } from 'vitest';
import { knownTools, ObservedTools } from './catalog/tools.js';
import { template } from './test-support/fixtures.js';
import { parseReference, validateWorkflow, workflowId } from './workflows.js';

const observed = new ObservedTools();
observed.count(template(), 1); // lookup_order(orderId), get_tracking(ref)
const tools = knownTools(
  {
    send_email: {
      type: 'object',
      properties: { to: { type: 'string', format: 'email' }, subject: { type: 'string', maxLength: 50 }, body: { type: 'string' }, meta: { type: 'object', properties: { priority: { type: 'integer' } } } },
      required: ['to', 'subject'],
      additionalProperties: false,
    },
  },
  observed,
);
const ctx = { tenantId: 'acme', tools, userPriorSuccesses: 10, now: Date.UTC(2026, 4, 1) };

const valid = () => ({
  name: 'Track and notify',
  triggerExamples: ['where is my order A-1 and email me'],
  slots: [
    { name: 'orderId', schema: { type: 'string', pattern: '^[A-Z]-\\d+$' } },
    { name: 'email', schema: { type: 'string', format: 'email' }, source: 'CONTEXT' },
  ],
  steps: [
    { toolName: 'lookup_order', params: { orderId: '{{slots.orderId}}' } },
    { toolName: 'get_tracking', params: { ref: '{{ steps.0.order.carrierRef }}' } },
    { toolName: 'send_email', params: { to: '{{slots.email}}', subject: 'Your order', body: '{{steps.1.status}}', meta: { priority: 2 } } },
  ],
});

describe('user workflow validation', () => {
  it('accepts a valid workflow and builds a USER template with a deterministic id', () => {
    const r = validateWorkflow(valid(), ctx);
    if (!r.ok) throw new Error(JSON.stringify(r));
    const t = r.template;
    expect(t).toMatchObject({ templateId: workflowId('acme', 'Track and notify'), version: 1, source: 'USER', status: 'ACTIVE', agentId: null, signature: ['lookup_order', 'get_tracking', 'send_email'] });
    expect(t.templateId).toMatch(/^wf_/);
    expect(t.confidence).toBeCloseTo(0.859, 3);
    expect(t.steps[1]!.params).toEqual([{ path: 'ref', kind: 'STEP_RESULT', stepIndex: 0, resultPath: 'order.carrierRef', valueJson: null, slotName: null, transform: null, select: null }]);
    expect(t.steps[2]!.params.find((p) => p.path === 'meta.priority')).toMatchObject({ kind: 'CONSTANT', valueJson: '2' });
    expect(r.warnings).toEqual([]);
  });

  it('grows the version on replace and keeps the creation time', () => {
    const first = validateWorkflow(valid(), ctx);
    if (!first.ok) throw new Error('invalid');
    const second = validateWorkflow(valid(), { ...ctx, existing: first.template, now: ctx.now + 1000 });
    expect(second.ok && second.template).toMatchObject({ version: 2, createdAtMs: ctx.now, updatedAtMs: ctx.now + 1000 });
  });

  it.each([
    ['schema', 400, 'invalid_body', (w: any) => { delete w.steps; }, /steps/],
    ['schema', 400, 'invalid_body', (w: any) => { w.code = 'rm -rf /'; }, /Unrecognized key/],
    ['schema', 400, 'invalid_body', (w: any) => { w.slots[0].schema = { type: 'strang' }; }, /not a valid JSON Schema/],
    ['security', 422, 'forbidden_content', (w: any) => { w.steps[0].params.orderId = '{{ slots.orderId + 1 }}'; }, /expressions are not allowed/],
    ['security', 422, 'forbidden_content', (w: any) => { w.steps[2].params.body = 'Order ${process.env.SECRET}'; }, /template literals/],
    ['security', 422, 'forbidden_content', (w: any) => { w.steps[2].params.body = '(function(){ return 1 })()'; }, /code is not allowed/],
    ['security', 422, 'forbidden_content', (w: any) => { w.steps[2].params.meta = JSON.parse('{"__proto__": {"x": 1}}'); }, /__proto__/],
    ['security', 422, 'forbidden_content', (w: any) => { w.slots[0].schema = { $ref: 'https://evil.example/schema.json' }; }, /local references/],
    ['security', 422, 'forbidden_content', (w: any) => { let deep: any = 1; for (let i = 0; i < 12; i++) deep = { a: deep }; w.steps[2].params.meta = deep; }, /nested deeper/],
    ['security', 422, 'forbidden_content', (w: any) => { w.slots[0].schema = { type: 'string', pattern: '^(a)\\1$' }; }, /linear-time engine.*backreferences/],
    ['security', 422, 'forbidden_content', (w: any) => { w.slots[0].schema = { type: 'object', patternProperties: { '^(?=x)': {} } }; }, /patternProperties: not a pattern a linear-time engine can run/],
    ['security', 422, 'forbidden_content', (w: any) => { let deep: any = { type: 'string' }; for (let i = 0; i < 4_500; i++) deep = { type: 'array', items: deep }; w.slots[0].schema = deep; }, /slots\.0\.schema: nested deeper than 10 levels/],
    ['tools', 422, 'unknown_tool', (w: any) => { w.steps[1].toolName = 'launch_rocket'; }, /"launch_rocket" is not a tool of this tenant/],
    ['references', 422, 'bad_reference', (w: any) => { w.steps[0].params.orderId = '{{slots.order}}'; }, /names no declared slot \("order"\)/],
    ['references', 422, 'bad_reference', (w: any) => { w.steps[1].params.ref = '{{steps.1.x}}'; }, /refers to step 1, which does not run before step 1/],
    ['params', 422, 'invalid_params', (w: any) => { w.steps[2].params.cc = 'x@y.z'; }, /send_email has no parameter "cc"/],
    ['params', 422, 'invalid_params', (w: any) => { delete w.steps[2].params.subject; }, /needs the parameter "subject"/],
    ['params', 422, 'invalid_params', (w: any) => { w.steps[2].params.subject = 'x'.repeat(60); }, /must NOT have more than 50 characters/],
    ['params', 422, 'invalid_params', (w: any) => { w.slots[1].schema = { type: 'integer' }; }, /slot "email" is integer\|number; send_email expects string/],
  ])('refuses at the %s layer (%i %s)', (layer, status, error, mutate, message) => {
    const w = valid();
    mutate(w);
    const r = validateWorkflow(w, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect({ layer: r.layer, status: r.status, error: r.error }).toEqual({ layer, status, error });
    expect(r.issues.map((i) => `${i.path}: ${i.message}`).join('\n')).toMatch(message);
  });

  it('warns about parameters never observed and unused slots, without refusing', () => {
    const w = valid();
    (w.steps[0]!.params as Record<string, unknown>).verbose = true;
    (w.slots as { name: string; schema: object }[]).push({ name: 'unused', schema: { type: 'string' } });
    const r = validateWorkflow(w, ctx);
    expect(r.ok && r.warnings).toEqual(['steps.0.params.verbose: never observed in calls of lookup_order', 'slot "unused" is declared but never used']);
  });

  it('parses references strictly', () => {
    expect(parseReference('{{slots.a_1}}')).toEqual({ kind: 'slot', slot: 'a_1' });
    expect(parseReference('{{steps.2.items.0.sku}}')).toEqual({ kind: 'step', stepIndex: 2, resultPath: 'items.0.sku' });
    expect(parseReference('{{steps.2}}')).toEqual({ kind: 'step', stepIndex: 2, resultPath: '' });
    expect(parseReference('x {{slots.a}}')).toBeNull();
    expect(parseReference('{{slots.a.b}}')).toBeNull();
  });
});
