// List slots read from the query (docs/learning.md, "Binding: list slots"): the elements of a
// loop's list where the learned lists' elements sat, joined as the query joins them.
import type { Slot } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { anchoredList, anchoredValue } from './anchors.js';
import { extractSlots } from './extractor.js';

const NOW = Date.UTC(2023, 10, 30);
const FORWARD = [
  "Forward the latest email about 'Design review' to aisha",
  "can you forward the last email about 'Machine Learning Chat' to nadia and jinsoo",
  "dmitri and yuki need the last email about 'IT Briefing'. Can you forward it?",
  "Forward the last email about 'casual catch-up' to anaya and luis",
  "Forward the latest email about 'team meeting' to chenwei",
];
const FORWARD_LISTS = [['aisha'], ['nadia', 'jinsoo'], ['dmitri', 'yuki'], ['anaya', 'luis'], ['chenwei']];
const REASSIGN = ["dmitri is sick so reassign their in progress tasks to jinsoo.", "can you take anaya's most urgent task and reassign it to nia?", "can you take carlos's most urgent task and reassign it to luis?", "santiago is sick so reassign their in progress tasks to fatima."];
const REASSIGN_LISTS = [['dmitri', 'jinsoo'], ['anaya', 'nia'], ['carlos', 'luis'], ['santiago', 'fatima']];
const listSlot = (examples: string[][], items: Record<string, unknown> = { type: 'string' }): Slot => ({ name: 'name_list', schemaJson: JSON.stringify({ type: 'array', items }), required: true, source: 'QUERY', description: null, examplesJson: examples.map((e) => JSON.stringify(e)), queryForm: null });
const read = (query: string, examples = FORWARD, lists: unknown[] = FORWARD_LISTS, accept = (_: string) => true) => anchoredList(query, examples, lists, [], accept);

describe('list slots read from the query', () => {
  it('reads a single value as a one-element list and "A and B" as two', () => {
    expect(read("Forward the latest email about 'Budget' to raj")).toEqual(['raj']);
    expect(read("Forward the last email about 'Budget' to raj and sofia")).toEqual(['raj', 'sofia']);
    expect(read("raj and sofia need the last email about 'Budget'. Can you forward it?")).toEqual(['raj', 'sofia']);
  });

  it('reads "A, B and C" and "A, B, and C" in reading order, whichever element the anchors found', () => {
    expect(read("Forward the last email about 'Budget' to raj, sofia and olga")).toEqual(['raj', 'sofia', 'olga']);
    expect(read("Forward the last email about 'Budget' to raj, sofia, and olga")).toEqual(['raj', 'sofia', 'olga']);
    // only "and X $" anchors: the element found is the last one, the others are read backwards
    expect(anchoredList('please send it to raj, sofia and olga', ['send it to amir and kofi', 'send it to luis and nia'], [['kofi'], ['nia']], [], () => true)).toEqual(['raj', 'sofia', 'olga']);
  });

  it('reads elements that sat apart by their position when every learned list had several', () => {
    expect(read('olga is sick so reassign their in progress tasks to kofi.', REASSIGN, REASSIGN_LISTS)).toEqual(['olga', 'kofi']);
    expect(read("can you take amir's most urgent task and reassign it to yuki?", REASSIGN, REASSIGN_LISTS)).toEqual(['amir', 'yuki']);
  });

  it('reads a possessive value as the name, and keeps a neighbour as written', () => {
    const examples = ["Take anaya's most urgent task", "Take carlos's most urgent task", 'assign it to yuki. It\'s due on Friday', 'assign it to kofi. It\'s due on Monday'];
    expect(anchoredValue("Take amir's most urgent task", examples, ['anaya', 'carlos'], [], () => true)).toBe('amir');
    // "It's" stays the right neighbour as written
    expect(anchoredValue('please assign it to nia. It\'s due on Monday', examples, ['yuki', 'kofi'], [], () => true)).toBe('nia');
  });

  it('never takes the template wording, a bound span or an element the item schema refuses', () => {
    const used: [number, number][] = [];
    expect(anchoredList("Forward the last email about 'Budget' to raj and sofia", FORWARD, FORWARD_LISTS, used, (v) => v !== 'sofia')).toEqual(['raj']);
    expect(used).toEqual([[41, 44]]);
    expect(anchoredList("Forward the last email about 'Budget' to raj", FORWARD, FORWARD_LISTS, [[41, 44]], () => true)).toBeUndefined();
    expect(read("Forward the last email about 'Budget' to raj", FORWARD, [])).toBeUndefined();
    expect(read('Forward the last email', FORWARD)).toBeUndefined();
  });

  it('binds a QUERY list slot in extractSlots, and leaves it missing without trigger examples', () => {
    const slot = listSlot(FORWARD_LISTS);
    const query = "Forward the last email about 'Budget' to raj and sofia";
    expect(extractSlots([slot], query, {}, NOW, 'LEARNED', null, undefined, FORWARD)).toMatchObject({ bindings: { name_list: ['raj', 'sofia'] }, sources: { name_list: 'query' }, missing: [] });
    expect(extractSlots([slot], query, {}, NOW, 'LEARNED').missing).toEqual([slot]);
    // the elements are checked against the item schema (a pattern refuses names here)
    expect(extractSlots([listSlot(FORWARD_LISTS, { type: 'string', pattern: '^\\\\d+$' })], query, {}, NOW, 'LEARNED', null, undefined, FORWARD).missing).toHaveLength(1);
    // a list the caller gives wins
    expect(extractSlots([slot], query, { name_list: ['x'] }, NOW, 'LEARNED', null, undefined, FORWARD).bindings).toEqual({ name_list: ['x'] });
  });

  it('lets a value read by its place name an element of a list the query gave, never a span a single-value slot took', () => {
    // made-up data: the people looked up (a list), then a word that picks the first one's records
    const examples = ['ana is away so hand their open tickets to bo.', 'kim is away so hand their open tickets to lee.', "please give all of max's open tickets to sam"];
    const people = listSlot([['ana', 'bo'], ['kim', 'lee'], ['max', 'sam']]);
    const owner: Slot = { name: 'owner_word', schemaJson: JSON.stringify({ type: 'string' }), required: true, source: 'QUERY', description: null, examplesJson: ['"ana"', '"kim"', '"max"'], queryForm: null };
    expect(extractSlots([people, owner], 'zed is away so hand their open tickets to uma.', {}, NOW, 'LEARNED', null, undefined, examples).bindings).toEqual({ name_list: ['zed', 'uma'], owner_word: 'zed' });
    expect(extractSlots([people, owner], "please give all of rey's open tickets to uma", {}, NOW, 'LEARNED', null, undefined, examples).bindings).toEqual({ name_list: ['rey', 'uma'], owner_word: 'rey' });
    // a span a single-value slot took stays its own
    const first: Slot = { ...owner, name: 'person', examplesJson: ['"ana"', '"kim"', '"max"'] };
    expect(extractSlots([first, owner], 'zed is away so hand their open tickets to uma.', {}, NOW, 'LEARNED', null, undefined, examples).bindings.owner_word).not.toBe('zed');
  });
});
