// The executor's value conditions (docs/sdk.md, "Structures"): a step that runs when some of an
// earlier result's numbers satisfy the comparison the query wrote (a slot), or when none do.
import type { ToolRegistry } from '@praxis/core';
import { TemplateSchema } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { executeWorkflow } from './executor.js';
import { conditionHolds } from './structure.js';

const whenValue = (holds: boolean, quantifier: 'some' | 'all' = 'some') => JSON.stringify({ whenValue: { step: 0, path: '', quantifier, slot: 'comparison', holds } });

// daily_count(since) -> [open_ticket(title), when some day's count satisfies the comparison] -> [send_note, when none does]
const watch = TemplateSchema.parse(
  makeTemplate({
    name: 'daily_count > [open_ticket] > [send_note]',
    signature: ['daily_count', 'open_ticket', 'send_note'],
    steps: [
      { index: 0, toolName: 'daily_count', params: [{ path: 'since', kind: 'SLOT', slotName: 'since' }] },
      { index: 1, toolName: 'open_ticket', params: [{ path: 'title', kind: 'CONSTANT', valueJson: '"Look at the counts"' }], optional: true, conditionJson: whenValue(true) },
      { index: 2, toolName: 'send_note', params: [{ path: 'text', kind: 'CONSTANT', valueJson: '"All stable"' }], optional: true, conditionJson: whenValue(false) },
    ],
    slots: [
      { name: 'since', schemaJson: '{"type":"string"}', source: 'QUERY' },
      { name: 'comparison', schemaJson: '{"type":"string"}', source: 'QUERY', queryForm: 'comparison' },
    ],
  }),
);

function registry(counts: unknown) {
  const calls: string[] = [];
  const tools: ToolRegistry = {
    daily_count: async () => (calls.push('daily_count'), counts),
    open_ticket: async () => (calls.push('open_ticket'), { id: 't1' }),
    send_note: async () => (calls.push('send_note'), { sent: true }),
  };
  return { tools, calls };
}

describe('executor: conditions on an earlier result\'s values', () => {
  it('runs the branch the comparison decides on the live result, and reports the other as skipped', async () => {
    const counts = { '2023-10-01': 3, '2023-10-02': 12 };
    const over = registry(counts);
    const r = await executeWorkflow({ workflow: watch, tools: over.tools, bindings: { since: '2023-10-01', comparison: '>10' } });
    expect(over.calls).toEqual(['daily_count', 'open_ticket']);
    expect(r.steps.at(-1)).toMatchObject({ index: 2, status: 'skipped', skipReason: expect.stringContaining('not some numbers of step 0\'s result satisfy slot "comparison"') });
    const under = registry(counts);
    await executeWorkflow({ workflow: watch, tools: under.tools, bindings: { since: '2023-10-01', comparison: '<3' } });
    expect(under.calls).toEqual(['daily_count', 'send_note']);
    const less = registry(counts);
    await executeWorkflow({ workflow: watch, tools: less.tools, bindings: { since: '2023-10-01', comparison: '<4' } });
    expect(less.calls).toEqual(['daily_count', 'open_ticket']);
  });

  it('fails a step whose condition holds but whose input has no value, and skips it when the condition is false', async () => {
    // the ticket's title is a slot the caller did not bind
    const open = TemplateSchema.parse({
      ...watch,
      steps: watch.steps.map((st) => (st.index === 1 ? { ...st, params: [{ ...st.params[0]!, kind: 'SLOT', valueJson: null, slotName: 'title' }] } : st)),
      slots: [...watch.slots, { ...watch.slots[0]!, name: 'title' }],
    });
    const counts = { '2023-10-01': 3, '2023-10-02': 12 };
    const due = registry(counts);
    const r = await executeWorkflow({ workflow: open, tools: due.tools, bindings: { since: '2023-10-01', comparison: '>10' } });
    expect(r.outcome).toBe('failed');
    expect(due.calls).toEqual(['daily_count']);
    expect(r.error?.message).toBe('its condition holds (some numbers of step 0\'s result satisfy slot "comparison") but slot "title" has no value');
    const notDue = registry(counts);
    const q = await executeWorkflow({ workflow: open, tools: notDue.tools, bindings: { since: '2023-10-01', comparison: '<3' } });
    expect(q.outcome).toBe('succeeded');
    expect(notDue.calls).toEqual(['daily_count', 'send_note']);
  });

  it('holds neither way without a comparison or without numbers, and reads "all" as every number', () => {
    const step = (conditionJson: string) => ({ index: 1, optional: true, conditionJson });
    expect(conditionHolds(step(whenValue(true)), { comparison: '>10' }, [{ a: 12 }])).toBe(true);
    expect(conditionHolds(step(whenValue(true)), {}, [{ a: 12 }])).toBe(false);
    expect(conditionHolds(step(whenValue(false)), { comparison: 'more than 10' }, [{ a: 1 }])).toBe(false);
    expect(conditionHolds(step(whenValue(false)), { comparison: '>10' }, ['No data.'])).toBe(false);
    expect(conditionHolds(step(whenValue(true, 'all')), { comparison: '>10' }, [[11, 12]])).toBe(true);
    expect(conditionHolds(step(whenValue(true, 'all')), { comparison: '>10' }, [[9, 12]])).toBe(false);
  });

  it('rejects a value condition on a later step or naming no slot', () => {
    const bad = (conditionJson: string) => ({ ...watch, steps: [watch.steps[0], { ...watch.steps[1], conditionJson }, watch.steps[2]] });
    expect(TemplateSchema.safeParse(bad(whenValue(true))).success).toBe(true);
    expect(TemplateSchema.safeParse(bad(JSON.stringify({ whenValue: { step: 1, path: '', quantifier: 'some', slot: 'comparison', holds: true } }))).success).toBe(false);
    expect(TemplateSchema.safeParse(bad(JSON.stringify({ whenValue: { step: 0, path: '', quantifier: 'some', slot: 'threshold', holds: true } }))).success).toBe(false);
    expect(TemplateSchema.safeParse(bad(JSON.stringify({ whenValue: { step: 0, path: '', quantifier: 'most', slot: 'comparison', holds: true } }))).success).toBe(false);
  });
});
