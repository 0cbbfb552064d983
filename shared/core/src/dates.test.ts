import { describe, expect, it } from 'vitest';
import { parseCalendarDate } from './dates.js';

describe('parseCalendarDate', () => {
  it.each([
    ['2026-11-27', '2026-11-27'],
    ['2026-11-27T10:00:00Z', '2026-11-27'],
    ['2026/11/27', '2026-11-27'],
    ['11/27/2026', '2026-11-27'],
    ['3/4/2026', '2026-03-04'],
    ['27.11.2026', '2026-11-27'],
    ['Nov 27, 2026', '2026-11-27'],
    ['November 27th 2026', '2026-11-27'],
    ['27 November 2026', '2026-11-27'],
    [' 1 Feb 2027 ', '2027-02-01'],
  ])('reads %s', (text, expected) => {
    expect(parseCalendarDate(text)).toBe(expected);
  });

  it.each(['2026-02-30', '13/01/2026', 'next tuesday', 'Smarch 3, 2026', '', '20261127'])('refuses %s', (text) => {
    expect(parseCalendarDate(text)).toBeNull();
  });
});
