import { TemplateSchema } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { oneOfMany } from './one-of-many.js';
import { structuralConflicts } from './structural.js';

// search_events > delete_event* (the delete loops over the search's result) and search_events > delete_event (one element)
const template = (loop: boolean) =>
  TemplateSchema.parse(
    makeTemplate({
      name: loop ? 'search_events > delete_event*' : 'search_events > delete_event',
      signature: ['search_events', 'delete_event'],
      steps: [
        { index: 0, toolName: 'search_events', params: [{ path: 'query', kind: 'SLOT', slotName: 'query' }] },
        loop
          ? { index: 1, toolName: 'delete_event', params: [{ path: 'event_id', kind: 'LOOP_ITEM', resultPath: 'event_id' }], loop: { overStepIndex: 0, overPath: '' } }
          : { index: 1, toolName: 'delete_event', params: [{ path: 'event_id', kind: 'STEP_RESULT', stepIndex: 0, resultPath: '0.event_id' }] },
      ],
      slots: [{ name: 'query', schemaJson: '{"type":"string"}', source: 'QUERY' }],
      triggerExamples: ['Cancel all future meetings with nia'],
    }),
  );

describe('structural check: one element by its position vs a loop over every element', () => {
  it('refuses a loop template for a query that names one of what the example names in the plural', () => {
    expect(oneOfMany('Cancel my next meeting with sofia', 'Cancel all future meetings with nia', template(true))).toBe('meeting');
    expect(oneOfMany('Delete my last email from kofi', 'delete all my emails from kofi from the last 3 days', template(true))).toBe('email');
    const conflicts = structuralConflicts('I need to cancel my next meeting with fatima. Can you do that?', 'Cancel all future meetings with nia', template(true));
    expect(conflicts).toEqual([expect.objectContaining({ kind: 'entity', blocks: 'candidate' })]);
  });

  it('does not refuse a query for all of them, a time span named by position, or a template that acts once', () => {
    expect(oneOfMany('Cancel all future meetings with raj', 'Cancel all future meetings with nia', template(true))).toBeNull();
    expect(oneOfMany('forward the emails from nia last week', 'forward all the emails from kofi last week', template(true))).toBeNull();
    expect(oneOfMany('Cancel my next meeting with sofia', 'Cancel all future meetings with nia', template(false))).toBeNull();
    expect(structuralConflicts('Cancel my next meeting with sofia', 'Cancel my next meeting with nia', template(true))).toEqual([]);
  });
});
