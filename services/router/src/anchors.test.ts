import type { Slot } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { anchoredValue } from './anchors.js';
import { extractSlots, learnedSpelling } from './extractor.js';

const EXAMPLES = ['Forward all the emails from anaya last week to nadia', 'Forward all the emails from fatima last week to amir', 'I think carlos might have some emails from kofi last week'];
const NOW = Date.UTC(2023, 10, 30);
const nameSlot = (examples: string[]): Slot => ({ name: 'name', schemaJson: '{"type":"string"}', required: true, source: 'QUERY', description: null, examplesJson: examples.map((e) => JSON.stringify(e)), queryForm: null });

describe('values read by their place in the query (anchors)', () => {
  it('takes the span between the words that surrounded the learned values', () => {
    expect(anchoredValue('Forward all the emails from akira last week to kofi', EXAMPLES, ['anaya', 'fatima', 'kofi'], [], () => true)).toBe('akira');
    expect(anchoredValue('please get me the emails from luis last week', EXAMPLES, ['anaya', 'fatima', 'kofi'], [], () => true)).toBe('luis');
  });

  it('never takes the template wording, an already bound span, or a value the schema refuses', () => {
    expect(anchoredValue('Forward all the emails from the last week', EXAMPLES, ['anaya', 'fatima'], [], () => true)).toBeUndefined();
    expect(anchoredValue('emails from akira last week', EXAMPLES, ['anaya'], [[12, 17]], () => true)).toBeUndefined();
    expect(anchoredValue('emails from akira last week', EXAMPLES, ['anaya'], [], (v) => v !== 'akira')).toBeUndefined();
    expect(anchoredValue('emails from akira last week', [], ['anaya'], [], () => true)).toBeUndefined();
  });

  it('never takes a pronoun where a value sat: it stands for a value said elsewhere in the query', () => {
    const examples = ['Cancel all future meetings with nia', 'leila is leaving the company. Can you cancel all future meetings with them?', 'I need to cancel all future meetings with olga. Can you do that?'];
    expect(anchoredValue('kofi is leaving the company. Can you cancel all future meetings with them?', examples, ['nia', 'leila', 'olga'], [], () => true)).toBe('kofi');
    expect(anchoredValue('Cancel all future meetings with raj', examples, ['nia', 'leila', 'olga'], [], () => true)).toBe('raj');
  });

  it('binds a lowercase first name no typed pattern finds, and not a relative date in its place', () => {
    const slot = nameSlot(['anaya', 'fatima']);
    expect(extractSlots([slot], 'Forward all the emails from akira last week to kofi tomorrow', {}, NOW, 'LEARNED').missing).toEqual([slot]);
    const bound = extractSlots([slot], 'Forward all the emails from akira last week to kofi tomorrow', {}, NOW, 'LEARNED', null, undefined, EXAMPLES);
    expect(bound.bindings).toEqual({ name: 'akira' });
  });

  it('takes quoted free text for a slot whose examples are phrases', () => {
    const slot = nameSlot(['Update on status briefing', 'Budget review']);
    expect(extractSlots([slot], "the emails about 'Update on the gala' please", {}, NOW, 'LEARNED').bindings).toEqual({ name: 'Update on the gala' });
  });

  it('finds by its place a value a learned enum has not seen (the enum lists what was seen), not for a user workflow', () => {
    const seen: Slot = { ...nameSlot(['anaya', 'fatima']), schemaJson: '{"type":"string","enum":["anaya","fatima"]}' };
    const query = 'Forward all the emails from akira last week to kofi';
    expect(extractSlots([seen], query, {}, NOW, 'LEARNED', null, undefined, EXAMPLES).bindings).toEqual({ name: 'akira' });
    expect(extractSlots([seen], query, {}, NOW, 'USER', null, undefined, EXAMPLES).bindings).toEqual({});
  });

  it("binds a today slot to the request's own day in its zone", () => {
    const today: Slot = { name: 'date_max', schemaJson: '{"type":"string","format":"date"}', required: true, source: 'QUERY', description: null, examplesJson: ['"2023-11-30"'], queryForm: 'today' };
    expect(extractSlots([today], 'reply to the latest email from nia', {}, NOW, 'LEARNED').bindings).toEqual({ date_max: '2023-11-30' });
    expect(extractSlots([today], 'reply to the latest email from nia', {}, NOW, 'LEARNED', 'America/New_York').bindings).toEqual({ date_max: '2023-11-29' });
  });

  it('binds a date with its time stated to a slot of local date-times (no offset)', () => {
    const start: Slot = { name: 'event_start', schemaJson: '{"type":"string","format":"iso-date-time"}', required: true, source: 'QUERY', description: null, examplesJson: ['"2023-12-21T12:00:00"'], queryForm: 'date' };
    expect(extractSlots([start], 'Create a 1.5 hour event called Onboarding on December 8 at 3:30pm with nia', {}, NOW, 'LEARNED').bindings).toEqual({ event_start: '2023-12-08T15:30:00' });
  });
});


describe('a learned value that also sits in another role', () => {
  // the recipient slot learned anaya, nadia, amir, nia; anaya is also a sender in two examples
  const FORWARD = [
    'can you forward all the emails from anaya last week about the budget to nadia',
    'Forward all the emails from anaya last week about the launch to amir',
    'Forward all the emails from fatima last week about the review to anaya',
    'nia needs all the emails from sofia last week about the forum. Can you forward them?',
  ];
  it('counts in each example only the place the other examples confirm', () => {
    expect(anchoredValue('carlos needs all the emails from nia last week about the gala. Can you forward them?', FORWARD, ['anaya', 'nadia', 'amir', 'nia'], [], () => true)).toBe('carlos');
    expect(anchoredValue('Forward all the emails from sofia last week about the gala to raj', FORWARD, ['anaya', 'nadia', 'amir', 'nia'], [], () => true)).toBe('raj');
    // the sender slot's own values (fatima, anaya, sofia) read the sender's place
    expect(anchoredValue('carlos needs all the emails from nia last week about the gala. Can you forward them?', FORWARD, ['fatima', 'anaya', 'sofia'], [], () => true)).toBe('nia');
  });
});

describe('a value of another length between the learned neighbours', () => {
  const CALLED = ['Create a 2 hour event called brainstorming session on December 21 at 12', 'can you schedule a 30 minute event called Digital Transformation Conference on December 20 at 10?'];
  it('takes every word between both neighbours, longer or shorter than the learned values', () => {
    expect(anchoredValue('schedule a 2 hour event called Board of Directors Conclave on December 4 at 1:30', CALLED, ['brainstorming session', 'Digital Transformation Conference'], [], () => true)).toBe('Board of Directors Conclave');
    expect(anchoredValue('schedule a 2 hour event called Standup on December 4 at 1:30', CALLED, ['brainstorming session', 'Digital Transformation Conference'], [], () => true)).toBe('Standup');
  });
  it('not when one neighbour is missing or only the template wording sits between them', () => {
    expect(anchoredValue('schedule a 2 hour event called on December 4', CALLED, ['brainstorming session', 'Digital Transformation Conference'], [], () => true)).toBeUndefined();
  });
  it('not across the end of a sentence, unless a learned value ran over one', () => {
    const STATUS = ['Update the status of Jamie Davis to won in the crm', 'Quinn Harris has moved to qualified status. Please update them to qualified in the crm'];
    // "to lead status. Can you update that in the crm": the words up to "in" are a status and then a request
    expect(anchoredValue('Jamie Davis has moved to lead status. Can you update that in the crm?', STATUS, ['won', 'qualified'], [], () => true)).not.toContain('Can you');
    const NOTE = ['Add the note Call back. Urgent to the lead in the crm', 'Add the note Busy to the lead in the crm'];
    expect(anchoredValue('Add the note Left a message. Try again to the lead in the crm', NOTE, ['Call back. Urgent', 'Busy'], [], () => true)).toBe('Left a message. Try again');
  });
});

describe('a value of another length that closed the learned queries', () => {
  const RENAME = ['Change the name of the last event on December 1 to Team Sync', 'rename the last event on November 28 to Quarterly planning review'];
  const learned = ['Team Sync', 'Quarterly planning review'];
  it('takes the words after the left neighbour up to the end of the query', () => {
    expect(anchoredValue('Can you change the name of the last event on November 30 to brainstorming session', RENAME, learned, [], () => true)).toBe('brainstorming session');
    expect(anchoredValue('Change the name of the last event on December 4 to Board of Directors Conclave', RENAME, learned, [], () => true)).toBe('Board of Directors Conclave');
  });
  it('not across the end of a sentence', () => {
    // (the last words alone still match the learned values' right end, as before: a weaker reading)
    expect(anchoredValue('Change the name of the last event on December 4 to Sync. Can you do that', RENAME, learned, [], () => true)).not.toContain('Sync');
  });
});

describe('a value learned as a possessive, and the spelling the runs passed', () => {
  const MOVE = ["Move all of luis's tickets that are in progress to in review", "can you move all of chenwei's stale tickets to the backlog?", "Move all of dmitri's tickets that are in progress to in review"];
  it('ends a longer span at a possessive word ("carlos\'s stale" is a name and what it owns)', () => {
    expect(anchoredValue("can you move all of carlos's stale tickets to the backlog?", MOVE, ['luis', 'chenwei', 'dmitri'], [], () => true)).toBe('carlos');
    // a value learned without a possessive still reads every word between its neighbours
    expect(anchoredValue('schedule a 2 hour event called Tom\'s birthday party on December 4', ['Create a 2 hour event called brainstorming session on December 21'], ['brainstorming session'], [], () => true)).toBe("Tom's birthday party");
  });
  it('binds the learned spelling of a value read from the query that differs from it only in case', () => {
    const target: Slot = { ...nameSlot(['Backlog', 'Completed', 'In Review']), name: 'target' };
    expect(extractSlots([target], "Move any of kofi's tickets that are in progress to in review", {}, NOW, 'LEARNED', null, undefined, MOVE).bindings).toEqual({ target: 'In Review' });
    expect(learnedSpelling('on hold', ['Backlog', 'In Review'])).toBe('on hold');
  });
  it('binds a slot with a default by its place only where both neighbours agree, else the default', () => {
    const state: Slot = { ...nameSlot(['In progress', 'In review']), name: 'state', required: false, schemaJson: '{"type":"string","default":"In progress"}' };
    const DONE = ["Move all of luis's tickets that are in progress to done", "can you move all of chenwei's stale tickets to done?", "Move all of dmitri's tickets that are in review to done"];
    // "I need" sits before "to" as the learned states did ("are in progress to"): one neighbour, not enough against the default
    expect(extractSlots([state], "I need to move all of yuki's stale tickets to done", {}, NOW, 'LEARNED', null, undefined, DONE)).toMatchObject({ bindings: { state: 'In progress' }, sources: { state: 'default' } });
    expect(extractSlots([state], "Move all of yuki's tickets that are on hold to done", {}, NOW, 'LEARNED', null, undefined, DONE).bindings).toEqual({ state: 'on hold' });
    // without a default the one-neighbour reading still binds (as before)
    expect(extractSlots([{ ...state, schemaJson: '{"type":"string"}' }], "I need to move all of yuki's stale tickets to done", {}, NOW, 'LEARNED', null, undefined, DONE).bindings).toEqual({ state: 'I need' });
  });
});
