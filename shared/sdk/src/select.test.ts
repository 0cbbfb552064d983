import { SlotSchema, TemplateStepSchema } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { executeWorkflow } from './executor.js';
import { ParameterError, resolveParams } from './params.js';
import { loopElements } from './structure.js';

// A step as the inducer learns "reply to the latest mail": the id of the element of step 0's
// result with the largest sent_at (services/inducer/src/element-binding.test.ts learns it).
const reply = TemplateStepSchema.parse({
  index: 1,
  toolName: 'reply_mail',
  params: [
    { path: 'mail_id', kind: 'STEP_RESULT', stepIndex: 0, resultPath: 'mails.*.mail_id', select: 'max:sent_at' },
    { path: 'body', kind: 'SLOT', slotName: 'body' },
  ],
});
const slots = [SlotSchema.parse({ name: 'body', schemaJson: '{"type":"string"}', source: 'QUERY' })];
const mails = [
  { mail_id: 'N1', sent_at: '2026-02-01 09:00:00' },
  { mail_id: 'N2', sent_at: '02/03/2026' },
  { mail_id: 'N3', sent_at: '2026-02-02T10:00:00' },
];
const at = (stepIndex: number, path: string, run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ParameterError);
    expect(error).toMatchObject({ stepIndex, path });
    return (error as Error).message;
  }
  throw new Error('expected a ParameterError');
};

describe('a step result chosen by a rule (first, last, min/max of a field) at execution', () => {
  it('takes the element the rule chooses in the new result, dates compared as dates whatever their format', () => {
    expect(resolveParams(reply, slots, { body: 'thanks' }, [{ mails }], 'LEARNED')).toEqual({ mail_id: 'N2', body: 'thanks' });
    const first = { ...reply, params: [{ ...reply.params[0]!, select: 'first' }] };
    const last = { ...reply, params: [{ ...reply.params[0]!, select: 'last' }] };
    const earliest = { ...reply, params: [{ ...reply.params[0]!, select: 'min:sent_at' }] };
    expect(resolveParams(first, slots, {}, [{ mails }])).toEqual({ mail_id: 'N1' });
    expect(resolveParams(last, slots, {}, [{ mails }])).toEqual({ mail_id: 'N3' });
    expect(resolveParams(earliest, slots, {}, [{ mails }])).toEqual({ mail_id: 'N1' });
  });

  it('fails the step before the call, naming the parameter, when no element can be chosen', () => {
    expect(at(1, 'mail_id', () => resolveParams(reply, slots, { body: 'x' }, [{ mails: [] }]))).toMatch(/step 0's result at mails is an empty list, so no element is max:sent_at/);
    expect(at(1, 'mail_id', () => resolveParams(reply, slots, { body: 'x' }, [{ mails: 'No mails found.' }]))).toMatch(/is not a list/);
    expect(at(1, 'mail_id', () => resolveParams(reply, slots, { body: 'x' }, [{ mails: [{ mail_id: 'A' }, { mail_id: 'B', sent_at: '2026-01-01' }] }]))).toMatch(/without a comparable sent_at/);
  });

  it('runs in a workflow: the executor reports the unresolvable step as a partial result', async () => {
    const workflow = {
      templateId: 'tpl_select',
      version: 1,
      source: 'LEARNED' as const,
      steps: [TemplateStepSchema.parse({ index: 0, toolName: 'search_mail', params: [{ path: 'from', kind: 'SLOT', slotName: 'body' }] }), reply],
      slots,
      bindings: { body: 'thanks' },
    };
    const called: unknown[] = [];
    const tools = (box: unknown[]) => ({ search_mail: async () => ({ mails: box }), reply_mail: async (p: Record<string, unknown>) => (called.push(p), 'sent') });
    const ok = await executeWorkflow({ workflow, tools: tools(mails), });
    expect(ok.outcome).toBe('succeeded');
    expect(called).toEqual([{ mail_id: 'N2', body: 'thanks' }]);
    const empty = await executeWorkflow({ workflow, tools: tools([]), });
    expect(empty.outcome).not.toBe('succeeded');
    expect(empty.stepsCompleted).toBe(1);
    expect(empty.error?.message).toMatch(/empty list/);
    expect(empty.failedStep).toBe(1);
  });
});

describe('the first element whose field has the word a slot holds (at execution)', () => {
  const replyTo = TemplateStepSchema.parse({
    index: 1,
    toolName: 'reply_mail',
    params: [{ path: 'mail_id', kind: 'STEP_RESULT', stepIndex: 0, resultPath: '*.mail_id', select: 'first@from~from_word' }],
  });
  const wordSlot = [SlotSchema.parse({ name: 'from_word', schemaJson: '{"type":"string"}', source: 'QUERY' })];
  const inbox = [
    { mail_id: 'N9', from: 'olga.p@corp.example' },
    { mail_id: 'N8', from: 'kofi.m@corp.example' },
    { mail_id: 'N7', from: 'kofi.m@corp.example' },
  ];
  it('reads the word from the binding and takes the first element that has it', () => {
    expect(resolveParams(replyTo, wordSlot, { from_word: 'Kofi' }, [inbox])).toEqual({ mail_id: 'N8' });
    expect(resolveParams(replyTo, wordSlot, { from_word: 'olga' }, [inbox])).toEqual({ mail_id: 'N9' });
  });
  it('fails before the call when the slot has no value or no element has the word', () => {
    expect(at(1, 'mail_id', () => resolveParams(replyTo, wordSlot, {}, [inbox]))).toMatch(/slot "from_word", which has no value/);
    expect(at(1, 'mail_id', () => resolveParams(replyTo, wordSlot, { from_word: 'ines' }, [inbox]))).toMatch(/no element whose from has the word ines/);
  });
});

describe('a loop over the elements whose field has the word a slot holds (at execution)', () => {
  const forward = TemplateStepSchema.parse({
    index: 1,
    toolName: 'forward_mail',
    params: [{ path: 'mail_id', kind: 'LOOP_ITEM', resultPath: 'mail_id' }],
    loop: { overStepIndex: 0, overPath: '', overWhere: 'from~from_word' },
  });
  const inbox = [
    { mail_id: 'N9', from: 'olga.p@corp.example' },
    { mail_id: 'N8', from: 'kofi.m@corp.example' },
    { mail_id: 'N7', from: 'Kofi.M@corp.example' },
  ];
  it('iterates over those elements only, none when no element has the word', () => {
    expect(loopElements(forward, { from_word: 'kofi' }, [inbox])).toEqual([inbox[1], inbox[2]]);
    expect(loopElements(forward, { from_word: 'ines' }, [inbox])).toEqual([]);
    expect(loopElements({ ...forward, loop: { ...forward.loop!, overWhere: null } }, {}, [inbox])).toEqual(inbox);
  });
  it('fails before the loop when the slot has no value', () => {
    expect(() => loopElements(forward, {}, [inbox])).toThrow(/slot "from_word", which has no value/);
  });
});

describe('a slot with a default (a search value the query names, else the agents\' constant)', () => {
  const search = TemplateStepSchema.parse({ index: 0, toolName: 'search_tickets', params: [{ path: 'owner', kind: 'SLOT', slotName: 'owner' }, { path: 'state', kind: 'SLOT', slotName: 'state' }] });
  const withDefault = [SlotSchema.parse({ name: 'owner', schemaJson: '{"type":"string"}', source: 'QUERY' }), SlotSchema.parse({ name: 'state', schemaJson: '{"type":"string","default":"Open"}', source: 'QUERY', required: false })];
  it('takes the default when unbound, and the binding when given', () => {
    expect(resolveParams(search, withDefault, { owner: 'kofi' }, [])).toEqual({ owner: 'kofi', state: 'Open' });
    expect(resolveParams(search, withDefault, { owner: 'kofi', state: 'In review' }, [])).toEqual({ owner: 'kofi', state: 'In review' });
    // without a default an unbound optional slot is left out, as before
    expect(resolveParams(search, [withDefault[0]!, SlotSchema.parse({ name: 'state', schemaJson: '{"type":"string"}', source: 'QUERY', required: false })], { owner: 'kofi' }, [])).toEqual({ owner: 'kofi' });
  });
});
