import { SlotSchema, TemplateStepSchema } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { executeWorkflow } from './executor.js';
import { ParameterError, resolveParams } from './params.js';

// A step as the inducer learns it when the tool does not take the value as written in the query.
const step = TemplateStepSchema.parse({
  index: 1,
  toolName: 'create_event',
  params: [
    { path: 'first_name', kind: 'SLOT', slotName: 'person', transform: 'first_name' },
    { path: 'last_name', kind: 'SLOT', slotName: 'person', transform: 'last_name|lower' },
    { path: 'order', kind: 'SLOT', slotName: 'order', transform: 'strip_punctuation' },
    { path: 'zip', kind: 'SLOT', slotName: 'zip', transform: 'to_number' },
    { path: 'day', kind: 'SLOT', slotName: 'day', transform: 'date:YYYY-MM-DD HH:mm:ss' },
    { path: 'who', kind: 'STEP_RESULT', stepIndex: 0, resultPath: 'person.id', transform: 'to_string' },
  ],
});
const slots = [
  SlotSchema.parse({ name: 'person', schemaJson: '{"type":"string"}', source: 'QUERY', queryForm: 'name' }),
  SlotSchema.parse({ name: 'order', schemaJson: '{"type":"string","pattern":"^#[A-Z]\\\\d{7}$"}', source: 'QUERY', queryForm: 'token' }),
  SlotSchema.parse({ name: 'zip', schemaJson: '{"type":"string","pattern":"^\\\\d{5}$"}', source: 'QUERY' }),
  SlotSchema.parse({ name: 'day', schemaJson: '{"type":"string","format":"date"}', source: 'QUERY', queryForm: 'date' }),
];
const bindings = { person: 'Amelia Wong', order: '#W5056519', zip: '02139', day: '2023-12-05' };

describe('value transforms at execution', () => {
  it('checks the slot as read, then gives the tool its form', () => {
    expect(resolveParams(step, slots, bindings, [{ person: { id: 9001 } }], 'LEARNED')).toEqual({
      first_name: 'Amelia',
      last_name: 'wong',
      order: 'W5056519',
      zip: 2139,
      day: '2023-12-05 00:00:00',
      who: '9001',
    });
  });

  it('fails the step before the call when a transform cannot take the value', () => {
    expect(() => resolveParams(step, slots, { ...bindings, person: 'Amelia' }, [{ person: { id: 1 } }], 'LEARNED')).toThrow(ParameterError);
    expect(() => resolveParams(step, slots, { ...bindings, person: 'Amelia' }, [{ person: { id: 1 } }], 'LEARNED')).toThrow(/last_name.*has no last name/);
  });

  it('runs a learned workflow with transforms end to end', async () => {
    const calls: unknown[] = [];
    const result = await executeWorkflow({
      workflow: {
        templateId: 't',
        version: 1,
        source: 'LEARNED',
        steps: [TemplateStepSchema.parse({ index: 0, toolName: 'find_person', params: [{ path: 'name', kind: 'SLOT', slotName: 'person', transform: 'dotted_lower' }] }), step],
        slots,
        bindings,
      },
      tools: {
        find_person: async (p) => (calls.push(p), { person: { id: 7 } }),
        create_event: async (p) => (calls.push(p), { ok: true }),
      },
    });
    expect(result.outcome).toBe('succeeded');
    expect(calls[0]).toEqual({ name: 'amelia.wong' });
    expect(calls[1]).toMatchObject({ who: '7', zip: 2139, day: '2023-12-05 00:00:00' });
  });
});
