import { describe, expect, it } from 'vitest';
import { applyValueTransform } from './value-transforms.js';
import { querySpans } from './query-forms.js';
import { arraySelectors, isSelector, selectElement, SelectionError, selectorsOf } from './element-select.js';

const events = [
  { event_id: '00000091', name: 'standup', start: '2023-12-13 09:00:00', minutes: 30 },
  { event_id: '00000012', name: 'review', start: '2023-12-13 14:30:00', minutes: 60 },
  { event_id: '00000150', name: 'all hands', start: '2023-12-13 11:00:00', minutes: 60 },
];

describe('selectors: the rules that pick one element of a result array', () => {
  it('lists position, and the smallest or largest number or date the element alone holds', () => {
    expect(selectorsOf(events, 0)).toEqual(['first', 'min:minutes', 'min:start']);
    expect(selectorsOf(events, 1)).toEqual(['max:start']);
    expect(selectorsOf(events, 2)).toEqual(['last']);
  });

  it('does not order ids or names (a coincidence between two searches, not a rule), nor ties', () => {
    expect(selectorsOf(events, 1).some((s) => s.includes('event_id') || s.includes('name'))).toBe(false);
    // 60 minutes twice: the largest duration is no one element
    expect(selectorsOf(events, 2).includes('max:minutes')).toBe(false);
    expect(selectorsOf(['a@x.com', 'b@x.com'], 1)).toEqual(['last']);
    expect(selectorsOf(events, 5)).toEqual([]);
    // an array too long to describe gives no rule (bounded work per result)
    expect(selectorsOf(Array.from({ length: 101 }, (_, i) => ({ n: i })), 0)).toEqual([]);
  });

  it('describes every element of an array at once, as selectorsOf does one', () => {
    expect(arraySelectors(events)).toEqual(events.map((_, i) => selectorsOf(events, i)));
  });

  it('chooses in a new array, and says why it cannot', () => {
    expect(selectElement(events, 'max:start')).toBe(events[1]);
    expect(selectElement(events, 'min:start')).toBe(events[0]);
    expect(selectElement(events, 'last')).toBe(events[2]);
    // a tie on the extreme keeps the earliest tied element
    expect(selectElement(events, 'max:minutes')).toBe(events[1]);
    expect(() => selectElement([], 'first')).toThrow(SelectionError);
    expect(() => selectElement('No events found.', 'first')).toThrow(/not a list/);
    expect(() => selectElement(events, 'max:name')).toThrow(/without a comparable name/);
    expect(isSelector('max:start')).toBe(true);
    expect(isSelector('median:start')).toBe(false);
  });
});

describe('the extreme among the elements that share a value of another field', () => {
  // "the most urgent task": the earliest due of the open ones, not of all (done tasks fall due earlier)
  const tasks = [
    { id: 'T1', state: 'Done', due: '2023-11-27' },
    { id: 'T2', state: 'Open', due: '2023-12-01' },
    { id: 'T3', state: 'Open', due: '2023-11-30' },
    { id: 'T4', state: 'Review', due: '2023-11-29' },
  ];
  it('lists it where the element is its group\'s extreme, next to the plain rules', () => {
    expect(selectorsOf(tasks, 2)).toEqual(['min:due@state=Open']);
    expect(selectorsOf(tasks, 1)).toContain('max:due@state=Open');
    expect(selectorsOf(tasks, 0)).toEqual(['first', 'min:due']);
    // a group of one element is no rule (its element is the only one), nor a field of many values (ids)
    expect(selectorsOf(tasks, 3).some((s) => s.includes('@state=Review') || s.includes('@id='))).toBe(false);
  });
  it('chooses it in a new array, and says why it cannot', () => {
    const next = [{ id: 'U1', state: 'Open', due: '2024-01-09' }, { id: 'U2', state: 'Done', due: '2024-01-01' }, { id: 'U3', state: 'Open', due: '2024-01-03' }];
    expect(isSelector('min:due@state=Open')).toBe(true);
    expect(selectElement(next, 'min:due@state=Open')).toBe(next[2]);
    expect(selectElement(next, 'min:due')).toBe(next[1]);
    expect(() => selectElement(next, 'min:due@state=Blocked')).toThrow(/no element whose state is Blocked/);
  });
});

describe('the first, last or extreme of the elements whose identifier field has a word', () => {
  // "the latest note from kofi": the notes newest first, from several authors; kofi's is not the first
  const notes = [
    { note_id: 'N7', author: 'olga.p@corp.example', at: '2024-03-09 10:00:00', title: 'Plans for spring' },
    { note_id: 'N5', author: 'kofi.m@corp.example', at: '2024-03-08 09:00:00', title: 'Plans for spring' },
    { note_id: 'N2', author: 'kofi.m@corp.example', at: '2024-03-01 12:00:00', title: 'Plans for spring' },
    { note_id: 'N1', author: 'ines.r@corp.example', at: '2024-02-20 08:00:00', title: 'Plans for spring' },
  ];
  it('lists, for each word of an identifier field that not every element has, the group\'s first, last and extremes', () => {
    expect(selectorsOf(notes, 1)).toEqual(expect.arrayContaining(['first@author~kofi', 'max:at@author~kofi']));
    expect(selectorsOf(notes, 2)).toEqual(expect.arrayContaining(['last@author~kofi', 'min:at@author~kofi']));
    expect(selectorsOf(notes, 3)).toEqual(expect.arrayContaining(['last', 'first@author~ines']));
    // the domain every element shares, free text (a title with spaces) and ids' digits choose nothing
    expect(arraySelectors(notes).flat().some((r) => (/~(corp|example)$/.test(r) && !r.startsWith('each@')) || /~(plans|spring)$/.test(r) || r.includes('@title~') || r.includes('@note_id~'))).toBe(false);
    // every element is marked with each word it has (what a loop over "the ones from kofi" took), the shared domain too
    expect(selectorsOf(notes, 1)).toEqual(expect.arrayContaining(['each@author~kofi', 'each@author~corp']));
    expect(() => selectElement(notes, 'each@author~kofi')).toThrow(/not one/);
    expect(arraySelectors(notes)).toEqual(notes.map((_, i) => selectorsOf(notes, i)));
  });
  it('chooses it in a new array by the word, whatever its case, and says why it cannot', () => {
    const next = [
      { note_id: 'M9', author: 'ines.r@corp.example', at: '2024-05-02 10:00:00' },
      { note_id: 'M8', author: 'olga.p@corp.example', at: '2024-05-01 10:00:00' },
      { note_id: 'M3', author: 'Ines.R@corp.example', at: '2024-04-01 10:00:00' },
    ];
    expect(isSelector('first@author~ines')).toBe(true);
    expect(selectElement(next, 'first@author~olga')).toBe(next[1]);
    expect(selectElement(next, 'min:at@author~INES')).toBe(next[2]);
    expect(selectElement(next, 'last@author~ines')).toBe(next[2]);
    expect(selectElement(next, 'first@author~Olga P')).toBe(next[1]);
    // a word inside another word is no match: "ine" is not "ines"
    expect(() => selectElement(next, 'first@author~ine')).toThrow(/no element whose author has the word ine/);
  });
});

describe('a date bound with its time of day dropped, and a date the query writes else the task day', { timeout: 30_000 }, () => {
  const time = { nowMs: Date.UTC(2023, 10, 30, 10), timeZone: 'UTC' };

  it('date_start writes midnight of the day even when the query stated a time', () => {
    expect(applyValueTransform('date_start:YYYY-MM-DD HH:mm:ss', '2023-12-01T12:00:00')).toBe('2023-12-01 00:00:00');
    expect(applyValueTransform('date_start:YYYY-MM-DD HH:mm:ss', '2023-12-01')).toBe('2023-12-01 00:00:00');
  });

  it('date_or_today reads the query\'s date, else the task day', () => {
    expect(querySpans('cancel my first meeting on December 13', 'date_or_today', time).map((s) => s.value)).toEqual(['2023-12-13']);
    expect(querySpans('cancel my next meeting with yuki', 'date_or_today', time)).toEqual([{ form: 'date_or_today', value: '2023-11-30', start: 0, end: 0 }]);
  });
});
