import { describe, expect, it } from 'vitest';
import { durationIn, durationSpans } from './durations.js';
import { querySpans } from './query-forms.js';
import { applyValueTransform, isValueTransform, TransformError } from './value-transforms.js';

const NOW = { nowMs: Date.UTC(2023, 10, 30, 9) };

describe('durations as people write them', () => {
  it('finds a written length of time, digits or words, in one or several parts', () => {
    expect(durationSpans('schedule a 1.5 hour event called Review on December 1 at 1').map((s) => s.value)).toEqual(['1.5 hour']);
    expect(durationSpans('book half an hour with bob, then a 45-minute call').map((s) => s.value)).toEqual(['half an hour', '45-minute']);
    expect(durationSpans('a 1 hour and 30 minutes slot').map((s) => s.value)).toEqual(['1 hour and 30 minutes']);
    // a time of day and a bare number are no durations
    expect(durationSpans('at 10:30 for December 8, room 12')).toEqual([]);
  });

  it('reads it as a number of a unit', () => {
    expect(durationIn('1.5 hour', 'minutes')).toBe(90);
    expect(durationIn('two hours', 'minutes')).toBe(120);
    expect(durationIn('an hour and a half', 'minutes')).toBe(90);
    expect(durationIn('half an hour', 'hours')).toBe(0.5);
    expect(durationIn('90 mins', 'seconds')).toBe(5400);
    expect(durationIn('next Tuesday', 'minutes')).toBeNull();
  });

  it('is a query form and a transform the executor applies', () => {
    expect(querySpans('a 30 minute meeting', 'duration', NOW)).toEqual([{ form: 'duration', value: '30 minute', start: 2, end: 11 }]);
    expect(isValueTransform('duration:minutes|to_string')).toBe(true);
    expect(isValueTransform('duration:fortnights')).toBe(false);
    expect(applyValueTransform('duration:minutes|to_string', '1.5 hour')).toBe('90');
    expect(() => applyValueTransform('duration:minutes', 'soon')).toThrow(TransformError);
  });
});

describe('an hour without am or pm read as the afternoon (date_daytime)', () => {
  it('takes 1 to 6 as the afternoon, other hours and a stated meridiem as written', () => {
    expect(querySpans('on December 8 at 3:30 with nia', 'date_daytime', NOW).map((s) => s.value)).toEqual(['2023-12-08T15:30:00']);
    expect(querySpans('on December 8 at 3:30 with nia', 'date', NOW).map((s) => s.value)).toEqual(['2023-12-08T03:30:00']);
    expect(querySpans('on December 8 at 11', 'date_daytime', NOW).map((s) => s.value)).toEqual(['2023-12-08T11:00:00']);
    expect(querySpans('on December 8 at 3am', 'date_daytime', NOW).map((s) => s.value)).toEqual(['2023-12-08T03:00:00']);
    expect(querySpans('on December 8', 'date_daytime', NOW).map((s) => s.value)).toEqual(['2023-12-08']);
  });
});

describe('a time stated apart from its day', () => {
  it('also reads the nearest day-only date at that time, before its parts', () => {
    const q = "schedule it at 10:30 for December 8. It's about the email from November 13";
    expect(querySpans(q, 'date', NOW).map((s) => s.value)).toEqual(['2023-12-08T10:30:00', '2023-11-30T10:30:00', '2023-12-08', '2023-11-13']);
    expect(querySpans("the email from October 19 about 'Update on the quarterly planning workshop' and book it at 2 for December 11", 'date_daytime', NOW).map((s) => s.value)[1]).toBe('2023-12-11T14:00:00');
  });
});

