import { describe, expect, it } from 'vitest';
import { dateSpans, nameSpans, querySpans, tokenSpans, zoneOffsetMinutes } from './query-forms.js';
import { addToDateTime, applyValueTransform, dateFormatOf, withSlotDurations, isValueTransform, NOT_TAKEN, transformBetween, TransformError, tryValueTransform } from './value-transforms.js';

// The task's own time: Thursday 2023-11-30 10:00 UTC (05:00 in New York).
const NOW = Date.UTC(2023, 10, 30, 10, 0, 0);

describe('value transforms (as the executor applies them)', () => {
  it('re-cases, strips punctuation and adds it back', () => {
    expect(applyValueTransform('lower', 'Qualified')).toBe('qualified');
    expect(applyValueTransform('title', 'in review')).toBe('In Review');
    expect(applyValueTransform('upper', 'w5056519')).toBe('W5056519');
    expect(applyValueTransform('strip_punctuation', '#W5056519')).toBe('W5056519');
    expect(applyValueTransform('prefix:#', 'W5056519')).toBe('#W5056519');
    expect(applyValueTransform('strip_punctuation|upper', '#w505-6519')).toBe('W5056519');
  });

  it('reads numbers and writes text both ways, and refuses what is no number', () => {
    expect(applyValueTransform('to_number', '02139')).toBe(2139);
    expect(applyValueTransform('to_string', 2139)).toBe('2139');
    expect(() => applyValueTransform('to_number', 'abc')).toThrow(TransformError);
  });

  it('splits a full name into first and last, and writes it as first.last', () => {
    expect(applyValueTransform('first_name', 'Amelia Wong')).toBe('Amelia');
    expect(applyValueTransform('last_name', 'Amelia  Wong')).toBe('Wong');
    expect(applyValueTransform('first_name|lower', 'Amelia Wong')).toBe('amelia');
    expect(applyValueTransform('dotted_lower', 'Amelia Wong')).toBe('amelia.wong');
    expect(() => applyValueTransform('last_name', 'Amelia')).toThrow(TransformError);
  });

  it('writes a canonical date in the format the tool takes', () => {
    expect(applyValueTransform('date:YYYY-MM-DD HH:mm:ss', '2023-12-05')).toBe('2023-12-05 00:00:00');
    expect(applyValueTransform('date:MM/DD/YYYY', '2023-12-05T15:30:00')).toBe('12/05/2023');
    expect(applyValueTransform('date:YYYY-MM-DDTHH:mm', '2023-12-05T15:30:00')).toBe('2023-12-05T15:30');
    expect(applyValueTransform('date_end:YYYY-MM-DD HH:mm:ss', '2023-12-13')).toBe('2023-12-13 23:59:59');
    expect(applyValueTransform('date_end:YYYY-MM-DD HH:mm:ss', '2023-12-13T15:00:00')).toBe('2023-12-13 15:00:00');
    expect(() => applyValueTransform('date:YYYY-MM-DD', 'next week')).toThrow(TransformError);
  });

  it('knows the formats of date arguments, and only real dates', () => {
    expect(dateFormatOf('2023-11-21')).toBe('YYYY-MM-DD');
    expect(dateFormatOf('2023-12-01 13:00:00')).toBe('YYYY-MM-DD HH:mm:ss');
    expect(dateFormatOf('12/01/2023')).toBe('MM/DD/YYYY');
    expect(dateFormatOf('2023-02-30')).toBeNull();
    expect(dateFormatOf('W5056519')).toBeNull();
  });

  it('answers a search over transforms without throwing: NOT_TAKEN exactly where applying throws', () => {
    const specs = ['to_number', 'last_name', 'date:DD.MM.YYYY', 'shift:2d|date:YYYY/MM/DD', 'duration:minutes', 'lower', 'strip_punctuation|upper', 'prefix:#', 'title'];
    const values: unknown[] = ['abc', '42', 'Amelia', 'Amelia Wong', '2023-12-05', '2023-02-30', '1.5 hour', 2139, true, null];
    for (const spec of specs) {
      for (const value of values) {
        let thrown = false;
        let applied: unknown;
        try {
          applied = applyValueTransform(spec, value);
        } catch (e) {
          expect(e).toBeInstanceOf(TransformError);
          thrown = true;
        }
        expect(tryValueTransform(spec, value)).toBe(thrown ? NOT_TAKEN : applied);
      }
    }
    expect(applyValueTransform('shift:2d|date:YYYY/MM/DD', '2024-02-28')).toBe('2024/03/01');
    expect(transformBetween('abc', 1)).toBeNull();
    expect(transformBetween('W5056519', '#W5056519')).toBe('prefix:#');
  });

  it('tells transform names from anything else', () => {
    expect(isValueTransform('first_name|lower')).toBe(true);
    expect(isValueTransform('date:YYYY-MM-DD')).toBe(true);
    expect(isValueTransform('prefix:#')).toBe(true);
    expect(isValueTransform('reverse')).toBe(false);
    expect(isValueTransform('prefix:ab')).toBe(false);
  });

  it('leaves a value alone without a transform', () => {
    expect(applyValueTransform(null, 'x')).toBe('x');
  });
});

// chrono-node builds its parsers on first use (about a second, more on a loaded machine)
describe('a date-time moved by a duration (add_ms, add_duration:<slot>)', () => {
  it('moves a date-time in its own format, across a day end, and refuses a date without a time', () => {
    expect(applyValueTransform('add_ms:5400000', '2023-12-04 13:30:00')).toBe('2023-12-04 15:00:00');
    expect(addToDateTime('2023-12-31 23:30:00', 3_600_000)).toBe('2024-01-01 00:30:00');
    expect(addToDateTime('12/04/2023 09:00:00', 1_800_000)).toBeNull(); // no format dateFormatOf reads with a time: none
    expect(addToDateTime('2023-12-04', 3_600_000)).toBeNull();
    expect(() => applyValueTransform('add_ms:60000', '2023-12-04')).toThrow(TransformError);
    expect(isValueTransform('add_ms:60000|to_string')).toBe(true);
  });

  it("reads the slot's written duration into add_ms, and fails on a slot with none", () => {
    expect(withSlotDurations('add_duration:by', { by: '1.5 hours' })).toBe('add_ms:5400000');
    expect(withSlotDurations('add_duration:by|to_string', { by: 'half an hour' })).toBe('add_ms:1800000|to_string');
    expect(withSlotDurations('date:YYYY-MM-DD', {})).toBe('date:YYYY-MM-DD');
    expect(() => withSlotDurations('add_duration:by', {})).toThrow(/slot "by" holds no duration/);
    expect(() => withSlotDurations('add_duration:by', { by: 'soon' })).toThrow(TransformError);
  });
});

describe('query forms (as the inducer and the router read queries)', { timeout: 30_000 }, () => {
  it('resolves relative and written dates against the task time', () => {
    const time = { nowMs: NOW, timeZone: 'UTC' };
    expect(dateSpans('total visits since November 21?', time).map((s) => s.value)).toEqual(['2023-11-21']);
    expect(dateSpans('book it for tomorrow', time).map((s) => s.value)).toEqual(['2023-12-01']);
    expect(dateSpans('book it next Tuesday', time).map((s) => s.value)).toEqual(['2023-12-05']);
    expect(dateSpans('remind me in two weeks', time).map((s) => s.value)).toEqual(['2023-12-14']);
    expect(dateSpans('meet next Tuesday at 3pm', time).map((s) => s.value)).toEqual(['2023-12-05T15:00:00']);
  });

  it('reads relative dates in the task time zone: late evening in New York is already tomorrow in UTC', () => {
    const lateNy = Date.UTC(2023, 11, 1, 3, 0, 0); // 2023-11-30 22:00 in New York
    expect(dateSpans('tomorrow', { nowMs: lateNy, timeZone: 'America/New_York' })[0]?.value).toBe('2023-12-01');
    expect(dateSpans('tomorrow', { nowMs: lateNy, timeZone: 'UTC' })[0]?.value).toBe('2023-12-02');
    expect(zoneOffsetMinutes('America/New_York', lateNy)).toBe(-300);
    expect(zoneOffsetMinutes('Not/AZone', lateNy)).toBe(0);
  });

  it('finds full names and tokens as written', () => {
    expect(nameSpans('Update the status of Cameron Anderson to qualified').map((s) => s.value)).toEqual(['Cameron Anderson']);
    expect(tokenSpans('Where is order #W5056519? Zip (02139).').map((s) => s.value)).toEqual(['Where', 'is', 'order', '#W5056519', 'Zip', '02139']);
    const [span] = querySpans('order #W5056519.', 'token', { nowMs: NOW }).slice(1);
    expect(span).toEqual({ form: 'token', value: '#W5056519', start: 6, end: 15 });
  });
});
