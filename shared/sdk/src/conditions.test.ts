// The executor's conditions on an earlier result (docs/sdk.md, "Structures"): a step that runs
// when a look-up found nothing, an either/or branch, a field of the result, and the skipped
// step's reason in the execution result.
import type { ToolRegistry } from '@praxis/core';
import { TemplateSchema } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { executeWorkflow } from './executor.js';
import { conditionHolds } from './structure.js';

const when = (step: number, path: string, has: 'elements' | 'none') => JSON.stringify({ whenResult: { step, path, has } });

// search_messages(sender) -> [book_meeting(with sender), when the search found none] -> [send_note(to sender), when it found some]
const catchUp = (path = '') =>
  TemplateSchema.parse(
    makeTemplate({
      name: 'search_messages > [book_meeting] > [send_note]',
      signature: ['search_messages', 'book_meeting', 'send_note'],
      steps: [
        { index: 0, toolName: 'search_messages', params: [{ path: 'sender', kind: 'SLOT', slotName: 'name' }] },
        { index: 1, toolName: 'book_meeting', params: [{ path: 'with', kind: 'SLOT', slotName: 'name' }], optional: true, conditionJson: when(0, path, 'none') },
        { index: 2, toolName: 'send_note', params: [{ path: 'to', kind: 'SLOT', slotName: 'name' }], optional: true, conditionJson: when(0, path, 'elements') },
      ],
      slots: [{ name: 'name', schemaJson: '{"type":"string"}', source: 'QUERY' }],
    }),
  );

function registry(found: unknown) {
  const calls: string[] = [];
  const tools: ToolRegistry = {
    search_messages: async () => (calls.push('search_messages'), found),
    book_meeting: async () => (calls.push('book_meeting'), { booked: true }),
    send_note: async () => (calls.push('send_note'), { sent: true }),
  };
  return { tools, calls };
}

describe('executor: conditions on an earlier result', () => {
  it('runs the branch whose condition holds and reports the other as skipped, with the reason', async () => {
    const none = registry('No messages found.');
    const r = await executeWorkflow({ workflow: catchUp(), tools: none.tools, bindings: { name: 'ana' } });
    expect(none.calls).toEqual(['search_messages', 'book_meeting']);
    expect(r).toMatchObject({ outcome: 'succeeded', stepsTotal: 3, stepsCompleted: 3 });
    expect(r.steps.at(-1)).toMatchObject({ index: 2, status: 'skipped', skipReason: expect.stringContaining("step 0's result has elements is false") });

    const some = registry([{ id: 'm1' }]);
    const s = await executeWorkflow({ workflow: catchUp(), tools: some.tools, bindings: { name: 'ana' } });
    expect(some.calls).toEqual(['search_messages', 'send_note']);
    expect(s.steps[1]).toMatchObject({ index: 1, status: 'skipped', skipReason: expect.stringContaining("step 0's result has no elements is false") });
  });

  it('reads an empty list, null and an empty object as no elements, and a field of the result at its path', async () => {
    for (const found of [[], null, {}]) {
      const { tools, calls } = registry(found);
      await executeWorkflow({ workflow: catchUp(), tools, bindings: { name: 'ana' } });
      expect(calls).toEqual(['search_messages', 'book_meeting']);
    }
    const field = registry({ messages: [], total: 0 });
    await executeWorkflow({ workflow: catchUp('messages'), tools: field.tools, bindings: { name: 'ana' } });
    expect(field.calls).toEqual(['search_messages', 'book_meeting']);
    const full = registry({ messages: [{ id: 'm1' }], total: 1 });
    await executeWorkflow({ workflow: catchUp('messages'), tools: full.tools, bindings: { name: 'ana' } });
    expect(full.calls).toEqual(['search_messages', 'send_note']);
  });

  it('takes a skipped source step as having no elements, and ignores a condition on a required step', () => {
    expect(conditionHolds({ index: 2, optional: true, conditionJson: when(1, '', 'none') }, {}, [['x']])).toBe(true);
    expect(conditionHolds({ index: 2, optional: true, conditionJson: when(1, '', 'elements') }, {}, [['x']])).toBe(false);
    expect(conditionHolds({ index: 2, optional: false, conditionJson: when(1, '', 'elements') }, {}, [])).toBe(true);
  });

  it('rejects a template whose condition reads a step that has not run yet', () => {
    const bad = makeTemplate({
      signature: ['a', 'b'],
      steps: [
        { index: 0, toolName: 'a', params: [] },
        { index: 1, toolName: 'b', params: [], optional: true, conditionJson: when(1, '', 'none') },
      ],
      slots: [],
    });
    expect(TemplateSchema.safeParse(bad).success).toBe(false);
    expect(TemplateSchema.safeParse({ ...bad, steps: [bad.steps[0], { ...bad.steps[1], conditionJson: when(0, '', 'none') }] }).success).toBe(true);
    expect(TemplateSchema.safeParse({ ...bad, steps: [bad.steps[0], { ...bad.steps[1], conditionJson: JSON.stringify({ whenResult: { step: 0, path: '', has: 'some' } }) }] }).success).toBe(false);
  });
});
