import { makeTemplate } from '@praxis/schemas/factories';
import type { Template } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { analyseRequest, toolVerb } from './request/analysis.js';
import { changesNothing, checkCandidate, structuralConflicts } from './structural.js';

const steps = (...tools: string[]): Pick<Template, 'steps' | 'triggerExamples'> => ({
  triggerExamples: [],
  steps: tools.map((toolName, index) => ({ index, toolName, params: [], paramShapeHash: null, resultShapeHash: null, loop: null, optional: false, conditionJson: null, segmentId: null })),
});
const refusals = (query: string, example: string, t: Pick<Template, 'steps' | 'triggerExamples'> | null = null) => structuralConflicts(query, example, t).filter((c) => c.blocks === 'candidate');
const reviews = (query: string, example: string, t: Pick<Template, 'steps' | 'triggerExamples'> | null = null) => structuralConflicts(query, example, t).filter((c) => c.blocks === 'reuse');

describe('request analysis', () => {
  it('reads preferred and ruled-out actions from negation and contrast', () => {
    expect(analyseRequest('return it instead of exchanging it')).toMatchObject({ preferred: ['return'], dispreferred: ['exchange'], contrast: true });
    expect(analyseRequest('do not modify the order, just check its status')).toMatchObject({ preferred: ['check'], dispreferred: ['modify'], contrast: true, restricted: true });
    expect(analyseRequest('Rather than cancelling my first meeting, push it back an hour')).toMatchObject({ preferred: ['push back'], dispreferred: ['cancel'] });
    expect(analyseRequest('not cancel but reschedule my meeting')).toMatchObject({ preferred: ['reschedule'], dispreferred: ['cancel'] });
    expect(analyseRequest("Don't delete my last email from nadia")).toMatchObject({ preferred: [], dispreferred: ['delete'] });
  });

  it('reads "that is correct" as no action at all, and light verbs as none', () => {
    expect(analyseRequest('that is correct')).toEqual({ preferred: [], dispreferred: [], contrast: false, restricted: false });
    expect(analyseRequest('I want to cancel my next meeting with Bob').preferred).toEqual(['cancel']);
    expect(analyseRequest("We don't need the standup any more, can you cancel it?")).toMatchObject({ preferred: ['cancel'], dispreferred: [] });
  });

  it('keeps phrasal verbs apart and reads imperatives the tagger calls nouns', () => {
    expect(analyseRequest('Roll out accounts v2 on production').preferred).toEqual(['roll out']);
    expect(analyseRequest('Roll back accounts on production').preferred).toEqual(['roll back']);
    expect(analyseRequest('Plot the distribution of visits on Monday').preferred).toEqual(['plot']);
    expect(analyseRequest('Delay my first meeting with Bob').preferred).toEqual(['delay']);
  });

  it('reads the verb of a tool name, and which verbs change nothing', () => {
    expect(toolVerb('email.delete_email')).toBe('delete');
    expect(toolVerb('calendar.update_event')).toBe('update');
    expect(toolVerb('getOrderStatus')).toBe('get');
    expect(changesNothing('check')).toBe(true);
    expect(changesNothing('keep')).toBe(true);
    expect(changesNothing('exchange')).toBe(false);
  });
});

describe('structural check', () => {
  it.each([
    ['return it instead of exchanging it', 'exchange my order A-1001', steps('orders.exchange_item')],
    ['return order A-7 rather than exchanging it', 'I would like to exchange order A-1001 for a bigger size', steps('exchange_order')],
    ['do not modify the order, just check its status', 'change the delivery address of order A-1001', steps('lookup_order', 'update_order')],
    ['do not cancel my order A-1, change the address', 'cancel my order A-1001', null],
    ["Don't delete my last email from nadia", 'Delete my last email from sofia', steps('email.delete_email')],
    ['never cancel my first meeting on Friday', 'Cancel my first meeting on Monday', steps('calendar.delete_event')],
    ['keep my subscription', 'cancel my subscription', steps('cancel_subscription')],
    ['I never want the newsletter', 'I want the newsletter', null],
  ])('refuses "%s" against "%s"', (query, example, t) => {
    expect(refusals(query, example, t)).not.toEqual([]);
  });

  it('names what was ruled out and what the template does', () => {
    expect(refusals('return it instead of exchanging it', 'exchange my order', steps('exchange_order'))[0]!.detail).toBe('the query says not to exchange; the template does exchange');
    expect(refusals('do not modify the order, just check its status', 'update the order address', steps('update_order'))[0]!.detail).toMatch(/rules out modify.*update \(update_order\)/);
  });

  it('does not read "that is correct" as a change', () => {
    expect(structuralConflicts('that is correct', 'update the order address', steps('update_order'))).toEqual([]);
    expect(structuralConflicts('yes, that is correct', 'confirm the booking', steps('confirm_booking'))).toEqual([]);
  });

  it.each([
    ['charge order A-77 to alice@example.com', 'refund order A-1 for bob@x.com'],
    ['unsubscribe me from the newsletter', 'subscribe me to the newsletter'],
    // the closed-loop benchmark's false hit: a roll-out served the roll-back workflow
    ['Roll out accounts version v2.10.6 on production', 'Roll back accounts on production to the previous version'],
    ['deploy pricing v3.1.0 to staging', 'revert pricing on staging'],
    ['return my order A-7', 'exchange my order A-1001'],
  ])('never reuses "%s" for "%s" (a different action: review)', (query, example) => {
    const conflicts = structuralConflicts(query, example);
    expect(conflicts.map((c) => c.kind)).toContain('action');
  });

  it.each([
    ['please cancel order B-22', 'cancel my order A-1001', null],
    ['where is my order B-2?', 'where is my order A-1001?', null],
    ["don't ship yet, hold the order", 'hold the order and do not ship it', null],
    ['cancel the order, do not refund it', 'cancel my order without a refund', null],
    ['Delete my first meeting on Friday', 'Cancel my first meeting on Monday', steps('calendar.delete_event')],
    ["I haven't met with Bob in 3 days, schedule a 30-minute meeting called catch-up", 'If I haven\'t met with Sofia in the last 5 days, schedule a 30-minute meeting called catch-up', steps('calendar.search_events', 'calendar.create_event')],
    ['Nadia is off sick. Can you cancel my next meeting with her?', 'Cancel my next meeting with Carlos', steps('calendar.search_events', 'calendar.delete_event')],
  ])('accepts "%s" against "%s"', (query, example, t) => {
    expect(structuralConflicts(query, example, t)).toEqual([]);
  });

  it('offers a template for review, not reuse, when the query names another action for it', () => {
    expect(refusals('roll out checkout v1.2.3 to production', 'Deploy pricing v3.12.6 to production', steps('deploy_service'))).toEqual([]);
    expect(reviews('roll out checkout v1.2.3 to production', 'Deploy pricing v3.12.6 to production', steps('deploy_service'))).toHaveLength(1);
    // a verb another trigger example of the template uses is no conflict at all
    const t = { ...steps('deploy_service'), triggerExamples: ['roll out checkout to staging'] };
    expect(checkCandidate(analyseRequest('roll out checkout v1.2.3 to production'), 'Deploy pricing v3.12.6 to production', t)).toEqual([]);
  });

  it('treats a step whose result feeds a later step as a look-up', () => {
    const t = makeTemplate({}) as unknown as Template;
    expect(structuralConflicts('just check where order A-2 is', 'where is my order A-1001?', t).filter((c) => c.blocks === 'candidate')).toEqual([]);
  });
});
