import { describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { reportDay } from './report.js';

describe('report days', () => {
  it('reads calendar days and the UTC day of ISO times', () => {
    expect(reportDay('from', '2026-11-01')).toBe('2026-11-01');
    expect(reportDay('to', '2026-11-01T23:30:00-02:00')).toBe('2026-11-02');
    expect(reportDay('to', ' 2024-02-29 ')).toBe('2024-02-29');
  });

  it.each([
    ['2026-02-30', /calendar day like 2026-11-01 \(got "2026-02-30"\)/],
    ['2025-02-29', /calendar day/],
    ['0000-01-01', /between 1970-01-01 and 2106-02-06 \(got "0000-01-01"\)/],
    ['9999-12-31', /between 1970-01-01/],
    ['yesterday', /calendar day/],
    ['2026-13-01', /calendar day/],
  ])('refuses %s with a usage error, not a stack trace or another day', (text, message) => {
    expect(() => reportDay('from', text)).toThrow(UsageError);
    expect(() => reportDay('from', text)).toThrow(message);
  });
});
