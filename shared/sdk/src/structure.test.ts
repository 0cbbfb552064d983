import { ToolError, type ToolRegistry } from '@praxis/core';
import { TemplateSchema } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { executeWorkflow, type ProgressEvent } from './executor.js';

// get_order(orderId) -> get_product(id: each order.items[].productId) [loop] -> notify(email) [optional, when the email slot is bound]
const structured = (extra: { notifyCondition?: boolean } = {}) =>
  TemplateSchema.parse(
    makeTemplate({
      templateId: 'tpl-loop',
      name: 'get_order > get_product* > [notify]',
      signature: ['get_order', 'get_product', 'notify'],
      steps: [
        { index: 0, toolName: 'get_order', params: [{ path: 'orderId', kind: 'SLOT', slotName: 'orderId' }] },
        { index: 1, toolName: 'get_product', params: [{ path: 'id', kind: 'LOOP_ITEM', resultPath: 'productId' }, { path: 'verbose', kind: 'CONSTANT', valueJson: 'false' }], loop: { overStepIndex: 0, overPath: 'order.items' } },
        { index: 2, toolName: 'notify', params: [{ path: 'to', kind: 'SLOT', slotName: 'email' }, { path: 'first', kind: 'STEP_RESULT', stepIndex: 1, resultPath: '0.name' }], optional: true, conditionJson: extra.notifyCondition === false ? null : '{"whenSlot":"email"}' },
      ],
      slots: [
        { name: 'orderId', schemaJson: '{"type":"string"}', source: 'QUERY' },
        { name: 'email', schemaJson: '{"type":"string"}', source: 'QUERY', required: false },
      ],
    }),
  );

function tools(items: unknown[], failOn?: string) {
  const calls: { tool: string; params: Record<string, unknown> }[] = [];
  const registry: ToolRegistry = {
    get_order: async (p) => (calls.push({ tool: 'get_order', params: p }), { order: { id: p.orderId, items } }),
    get_product: async (p) => {
      calls.push({ tool: 'get_product', params: p });
      if (p.id === failOn) throw new ToolError(`no product ${String(p.id)}`, 'NotFound', false);
      return { id: p.id, name: `name of ${String(p.id)}` };
    },
    notify: async (p) => (calls.push({ tool: 'notify', params: p }), { sent: true }),
  };
  return { registry, calls };
}

describe('executor: loops and optional steps', () => {
  it('calls a loop step once per element of the earlier result, binding the element, and keeps the iterations as its result', async () => {
    const { registry, calls } = tools([{ productId: 'P1' }, { productId: 'P2' }, { productId: 'P3' }]);
    const events: ProgressEvent[] = [];
    const r = await executeWorkflow({ workflow: { ...structured(), bindings: { orderId: 'O-1', email: 'a@b.c' } }, tools: registry, onProgress: (e) => events.push(e) });
    expect(r.outcome).toBe('succeeded');
    expect(calls.map((c) => c.tool)).toEqual(['get_order', 'get_product', 'get_product', 'get_product', 'notify']);
    expect(calls.filter((c) => c.tool === 'get_product').map((c) => c.params)).toEqual([{ id: 'P1', verbose: false }, { id: 'P2', verbose: false }, { id: 'P3', verbose: false }]);
    expect(r.results[1]).toEqual([{ id: 'P1', name: 'name of P1' }, { id: 'P2', name: 'name of P2' }, { id: 'P3', name: 'name of P3' }]);
    expect(calls.at(-1)!.params).toEqual({ to: 'a@b.c', first: 'name of P1' });
    expect(r.steps.filter((s) => s.index === 1).map((s) => s.iteration)).toEqual([0, 1, 2]);
    expect(events.filter((e) => e.type === 'step_started' && e.index === 1)).toHaveLength(3);
    expect(r).toMatchObject({ stepsTotal: 3, stepsCompleted: 3, partial: false });
  });

  it('runs a loop over an empty collection as zero calls, and fails on the iteration that fails, with the results so far', async () => {
    const empty = tools([]);
    const none = await executeWorkflow({ workflow: { ...structured(), bindings: { orderId: 'O-1' } }, tools: empty.registry });
    expect(none.outcome).toBe('succeeded');
    expect(none.results[1]).toEqual([]);

    const failing = tools([{ productId: 'P1' }, { productId: 'BAD' }, { productId: 'P3' }], 'BAD');
    const r = await executeWorkflow({ workflow: { ...structured(), bindings: { orderId: 'O-1' } }, tools: failing.registry });
    expect(r).toMatchObject({ outcome: 'failed', failedStep: 1, stepsCompleted: 1 });
    expect(r.steps.filter((s) => s.index === 1).map((s) => [s.iteration, s.status])).toEqual([[0, 'succeeded'], [1, 'failed']]);
    expect(failing.calls.filter((c) => c.tool === 'get_product')).toHaveLength(2);
  });

  it('fails a loop whose collection is not a list, naming it', async () => {
    const { registry } = tools({ not: 'a list' } as unknown as unknown[]);
    const r = await executeWorkflow({ workflow: { ...structured(), bindings: { orderId: 'O-1' } }, tools: registry });
    expect(r.outcome).toBe('failed');
    expect(r.error?.message).toContain("step 0's result at order.items is not a list");
  });

  it('runs a loop over a result with no elements (a message such as "No items found.", null) as zero calls', async () => {
    for (const items of ['No items found.', null]) {
      const { registry, calls } = tools(items as unknown as unknown[]);
      const r = await executeWorkflow({ workflow: { ...structured(), bindings: { orderId: 'O-1' } }, tools: registry });
      expect(r.outcome).toBe('succeeded');
      expect(r.results[1]).toEqual([]);
      expect(calls.map((c) => c.tool)).toEqual(['get_order']);
    }
  });

  it('skips an optional step whose condition does not hold, and one whose inputs are missing', async () => {
    const a = tools([{ productId: 'P1' }]);
    const events: ProgressEvent['type'][] = [];
    const byCondition = await executeWorkflow({ workflow: { ...structured(), bindings: { orderId: 'O-1' } }, tools: a.registry, onProgress: (e) => events.push(e.type) });
    expect(byCondition).toMatchObject({ outcome: 'succeeded', stepsCompleted: 3 });
    expect(a.calls.map((c) => c.tool)).toEqual(['get_order', 'get_product']);
    expect(byCondition.steps.at(-1)).toMatchObject({ index: 2, status: 'skipped' });
    expect(events).toContain('step_skipped');

    const b = tools([{ productId: 'P1' }]);
    const byInputs = await executeWorkflow({ workflow: { ...structured({ notifyCondition: false }), bindings: { orderId: 'O-1' } }, tools: b.registry });
    expect(byInputs.outcome).toBe('succeeded');
    expect(byInputs.steps.at(-1)).toMatchObject({ status: 'skipped', skipReason: expect.stringContaining('slot "email"') });
  });

  it('loops over a list slot, and fails a loop longer than it allows', async () => {
    const calls: unknown[] = [];
    const workflow = TemplateSchema.parse(
      makeTemplate({
        name: 'add_to_cart*',
        signature: ['add_to_cart'],
        steps: [{ index: 0, toolName: 'add_to_cart', params: [{ path: 'sku', kind: 'LOOP_ITEM', resultPath: '' }], loop: { overSlot: 'skus', maxIterations: 3 } }],
        slots: [{ name: 'skus', schemaJson: '{"type":"array","items":{"type":"string"}}', source: 'QUERY' }],
      }),
    );
    const registry: ToolRegistry = { add_to_cart: async (p) => (calls.push(p.sku), { ok: true }) };
    const ok = await executeWorkflow({ workflow, tools: registry, bindings: { skus: ['A', 'B'] } });
    expect(ok.outcome).toBe('succeeded');
    expect(calls).toEqual(['A', 'B']);
    const long = await executeWorkflow({ workflow, tools: registry, bindings: { skus: ['A', 'B', 'C', 'D'] } });
    expect(long).toMatchObject({ outcome: 'failed', failedStep: 0 });
    expect(long.error?.message).toContain('more than the loop\'s 3');
  });

  it('marks the result of a partial answer, so the agent continues from it', async () => {
    const { registry } = tools([]);
    const r = await executeWorkflow({ workflow: { ...structured(), steps: structured().steps.slice(0, 1), partial: true, bindings: { orderId: 'O-1' } }, tools: registry });
    expect(r).toMatchObject({ outcome: 'succeeded', partial: true, stepsTotal: 1, results: [{ order: { id: 'O-1', items: [] } }] });
  });
});
