import { SlotSchema, TemplateStepSchema } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { ParameterError, resolveParams } from './params.js';

// A step as the inducer learns "push back my first meeting by N": the new start is the chosen
// event's start plus the duration the query writes (slot "by", read with queryForm duration).
const move = TemplateStepSchema.parse({
  index: 1,
  toolName: 'update_event',
  params: [
    { path: 'event_id', kind: 'STEP_RESULT', stepIndex: 0, resultPath: '*.event_id', select: 'min:start' },
    { path: 'new_start', kind: 'STEP_RESULT', stepIndex: 0, resultPath: '*.start', select: 'min:start', transform: 'add_duration:by' },
  ],
});
const slots = [SlotSchema.parse({ name: 'by', schemaJson: '{"type":"string"}', source: 'QUERY', queryForm: 'duration' })];
const events = [
  { event_id: 'E2', start: '2026-03-04 13:30:00' },
  { event_id: 'E1', start: '2026-03-04 09:00:00' },
];

describe('executor: a date-time of a result moved by a slot duration', () => {
  it("moves the chosen element's date-time by the slot's written duration", () => {
    expect(resolveParams(move, slots, { by: '1.5 hours' }, [events])).toEqual({ event_id: 'E1', new_start: '2026-03-04 10:30:00' });
    expect(resolveParams(move, slots, { by: 'an hour and a half' }, [events]).new_start).toBe('2026-03-04 10:30:00');
  });

  it('fails the step before the call when the slot holds no duration', () => {
    expect(() => resolveParams(move, slots, {}, [events])).toThrow(ParameterError);
    expect(() => resolveParams(move, slots, { by: 'later' }, [events])).toThrow(/new_start: transform add_duration:by: slot "by" holds no duration/);
  });
});
