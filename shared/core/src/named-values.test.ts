import { describe, expect, it } from 'vitest';
import { isTokenValue, knownValueNamedBy, partsNamedBy, valueParts, valuesNamedBy } from './named-values.js';

const LEARNED = ['amelia.wong@corp.example', 'kofi.owusu@corp.example', 'nadia.ross@corp.example'];

describe('values a query names by a word', () => {
  it('splits a value into the parts a word could name, without short parts', () => {
    expect(valueParts('kofi.owusu@corp.example')).toEqual(['kofi', 'owusu', 'corp', 'example']);
    expect(valueParts('al.b@x.io')).toEqual([]);
    expect(partsNamedBy('kofi.owusu@corp.example', 'make a task for Kofi by Friday')).toEqual(['kofi']);
  });

  it('binds the one learned value whose distinguishing part is a word of the query', () => {
    expect(knownValueNamedBy(LEARNED, 'make a backlog task for kofi due next Friday')).toBe('kofi.owusu@corp.example');
    expect(knownValueNamedBy(LEARNED, "assign it to Nadia's board")).toBe('nadia.ross@corp.example');
  });

  it('binds nothing when the query names no learned value', () => {
    expect(knownValueNamedBy(LEARNED, 'make a backlog task for yuki')).toBeUndefined();
  });

  it('binds nothing when the query names several values (never a guess between them)', () => {
    expect(valuesNamedBy(LEARNED, 'kofi takes over from amelia')).toEqual(['amelia.wong@corp.example', 'kofi.owusu@corp.example']);
    expect(knownValueNamedBy(LEARNED, 'kofi takes over from amelia')).toBeUndefined();
    // two values of one first name
    expect(knownValueNamedBy([...LEARNED, 'kofi@other.example'], 'a task for kofi')).toBeUndefined();
  });

  it('a part most values share is their frame, not a name', () => {
    expect(knownValueNamedBy(LEARNED, 'email the corp team')).toBeUndefined();
    expect(knownValueNamedBy(LEARNED, 'the example of kofi')).toBe('kofi.owusu@corp.example');
  });

  it('free text is never a named value', () => {
    expect(isTokenValue('kofi.owusu@corp.example')).toBe(true);
    expect(isTokenValue('thanks kofi, see you')).toBe(false);
    expect(knownValueNamedBy(['thanks kofi, see you', 'hello nadia'], 'write to kofi')).toBeUndefined();
  });
});
