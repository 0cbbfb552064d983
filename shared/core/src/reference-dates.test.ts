import { describe, expect, it } from 'vitest';
import { dateSpans, querySpans, referenceDay } from './query-forms.js';
import { applyValueTransform, daysBetween, isValueTransform, shiftDate, TransformError } from './value-transforms.js';

// Dates read against the task's own day (docs/learning.md, "Dates relative to the task's time").
const THU = Date.UTC(2023, 10, 30, 0, 0, 0); // Thursday 2023-11-30 00:00 UTC

describe('shift: calendar days from a canonical date', () => {
  it('moves across month and year ends and leap days as the calendar does', () => {
    expect(shiftDate('2023-11-30', 1)).toBe('2023-12-01');
    expect(shiftDate('2023-12-31', 1)).toBe('2024-01-01');
    expect(shiftDate('2024-03-01', -1)).toBe('2024-02-29');
    expect(shiftDate('2023-03-01', -1)).toBe('2023-02-28');
    expect(shiftDate('2024-01-31', 30)).toBe('2024-03-01');
    expect(shiftDate('2023-11-30', -14)).toBe('2023-11-16');
  });

  it('keeps the time of day, also on the day clocks change (calendar fields, not instants)', () => {
    // 2024-03-10 is the day New York springs forward: still one calendar day later
    expect(shiftDate('2024-03-09T09:30:00', 1)).toBe('2024-03-10T09:30:00');
    expect(shiftDate('2024-11-03T01:30:00', -1)).toBe('2024-11-02T01:30:00');
  });

  it('chains with a date writing and is a known transform; a non-date is refused', () => {
    expect(applyValueTransform('shift:-4d|date:YYYY-MM-DD', '2023-11-30')).toBe('2023-11-26');
    expect(applyValueTransform('shift:1d|date_end:YYYY-MM-DD HH:mm:ss', '2023-11-30')).toBe('2023-12-01 23:59:59');
    expect(isValueTransform('shift:-14d|date:YYYY-MM-DD')).toBe(true);
    expect(isValueTransform('shift:two|date:YYYY-MM-DD')).toBe(false);
    expect(() => applyValueTransform('shift:1d', 'soon')).toThrow(TransformError);
  });

  it('counts the days between two dates, times of day ignored', () => {
    expect(daysBetween('2023-11-30', '2023-11-16T10:00:00')).toBe(-14);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2024-03-09', '2024-03-11')).toBe(2);
    expect(daysBetween('nope', '2024-03-11')).toBeNull();
  });
});

describe("the task's own day and dates read into the past", { timeout: 30_000 }, () => {
  it('is the calendar day of the reference time in its zone', () => {
    expect(referenceDay({ nowMs: THU })).toBe('2023-11-30');
    // 2023-11-30 00:00 UTC is still the 29th in New York, already the 30th in Tokyo
    expect(referenceDay({ nowMs: THU, timeZone: 'America/New_York' })).toBe('2023-11-29');
    expect(referenceDay({ nowMs: THU - 3_600_000, timeZone: 'Asia/Tokyo' })).toBe('2023-11-30');
    // the night New York falls back (01:30 happens twice) is one day
    expect(referenceDay({ nowMs: Date.UTC(2024, 10, 3, 6, 30), timeZone: 'America/New_York' })).toBe('2024-11-03');
  });

  it('gives the today form as one value at no place in the text', () => {
    expect(querySpans('anything at all', 'today', { nowMs: THU })).toEqual([{ form: 'today', value: '2023-11-30', start: 0, end: 0 }]);
  });

  it('reads "the last 2 weeks", "the past 4 days", "next 3 days" as the task day plus the offset (chrono-node)', () => {
    const t = { nowMs: THU, timeZone: 'UTC' };
    expect(dateSpans('any time in the last 2 weeks', t).map((s) => s.value)).toEqual(['2023-11-16']);
    expect(dateSpans('emails in the past 4 days', t).map((s) => s.value)).toEqual(['2023-11-26']);
    expect(dateSpans('over the next 3 days', t).map((s) => s.value)).toEqual(['2023-12-03']);
  });

  it('takes a weekday alone or a day without a year that would come later as the one before (past reading)', () => {
    const t = { nowMs: THU, timeZone: 'UTC' };
    expect(dateSpans('growth since Sunday', t).map((s) => s.value)).toEqual(['2023-12-03']);
    expect(dateSpans('growth since Sunday', t, true).map((s) => s.value)).toEqual(['2023-11-26']);
    expect(dateSpans('since December 5', t, true).map((s) => s.value)).toEqual(['2022-12-05']);
    // already in the past, or stated in full: as chrono reads it
    expect(dateSpans('since November 21', t, true).map((s) => s.value)).toEqual(['2023-11-21']);
    expect(dateSpans('since last Friday', t, true).map((s) => s.value)).toEqual(dateSpans('since last Friday', t).map((s) => s.value));
    expect(dateSpans('since 2024-01-02', t, true).map((s) => s.value)).toEqual(['2024-01-02']);
  });
});
