import { describe, expect, it } from 'vitest';
import { patternOf, schemaOf } from './slot-schema.js';

describe('id patterns', () => {
  it('keeps literal prefixes and punctuation, generalises digits', () => {
    expect(patternOf(['ORD-12345', 'ORD-99871'])).toBe('^ORD-\\d{5}$');
    // two versions do not fix the width of a version number: 1.5.0 and 2.13.4 say "digits"
    expect(patternOf(['v2.13.4', 'v1.5.0'])).toBe('^v\\d+\\.\\d+\\.\\d+$');
    expect(patternOf(['2026-03', '2026-11'])).toBe('^\\d{4}-\\d+$');
  });

  it('keeps short widths only when enough values share them', () => {
    expect(patternOf(['2026-03', '2026-11', '2025-01', '2024-12', '2026-07'])).toBe('^\\d{4}-\\d{2}$');
    expect(patternOf(['HND', 'NBO', 'LIS'].map((c) => `${c}-1`))).toBe('^[A-Z]+-\\d+$');
  });

  it('generalises from few examples instead of copying them', () => {
    // three of Amelia's ids are not the rule that every id starts with "amelia_"
    expect(patternOf(['amelia_wong1', 'amelia_brown22', 'amelia_lee7'])).toBe('^[a-z]+_[a-z]+\\d+$');
    expect(patternOf(Array.from({ length: 10 }, (_, i) => `user_${1000 + i}`))).toBe('^user_\\d{4}$');
    expect(schemaOf(['amelia_wong1', 'amelia_brown22', 'amelia_lee7'], 8)).toEqual({ type: 'string', pattern: '^[a-z]+_[a-z]+\\d+$' });
  });

  it('generalises varying letters by case and gives up on different structures', () => {
    expect(patternOf(['AB-1', 'XYZ-22'])).toBe('^[A-Z]+-\\d+$');
    expect(patternOf(['A-1', 'A_1'])).toBeNull();
    expect(patternOf(['A1B', 'A12'])).toBeNull();
  });

  it('matches every value it was built from', () => {
    const values = ['SKU-123456', 'SKU-654321', 'SKU-100001'];
    const re = new RegExp(patternOf(values)!, 'u');
    expect(values.every((v) => re.test(v))).toBe(true);
    expect(re.test('SKU-12345')).toBe(false);
  });
});

describe('slot schemas', () => {
  it('types numbers, booleans and strings', () => {
    expect(schemaOf([3, 17, 29, 41, 5], 8)).toEqual({ type: 'integer' });
    expect(schemaOf([1.5, 2, 3.25, 9, 11], 8)).toEqual({ type: 'number' });
    expect(schemaOf([true, false], 8)).toEqual({ type: 'boolean' });
  });

  it('finds formats before anything else', () => {
    expect(schemaOf(['2026-03-05', '2026-11-30'], 8)).toEqual({ type: 'string', format: 'date' });
    expect(schemaOf(['2026-03-05T10:00:00Z'], 8)).toEqual({ type: 'string', format: 'date-time' });
    // without an offset the value is no RFC 3339 date-time (ajv would refuse every example)
    expect(schemaOf(['2023-12-21T12:00:00', '2023-12-05 11:00:00'], 8)).toEqual({ type: 'string', format: 'iso-date-time' });
    expect(schemaOf(['2026-03-05T10:00:00Z', '2023-12-21T12:00:00'], 8)).toEqual({ type: 'string', format: 'iso-date-time' });
    expect(schemaOf(['ana@example.com', 'bo@x.org'], 8)).toEqual({ type: 'string', format: 'email' });
    expect(schemaOf(['https://x.test/a'], 8)).toEqual({ type: 'string', format: 'uri' });
  });

  it('gives ids a pattern', () => {
    expect(schemaOf(['AL-12345', 'AL-54321', 'AL-11111'], 8)).toEqual({ type: 'string', pattern: '^AL-\\d{5}$' });
  });

  it('uses an enum when few values repeat, not when each was seen once', () => {
    expect(schemaOf(['economy', 'business', 'economy', 'first', 'business', 'first'], 8)).toEqual({ type: 'string', enum: ['business', 'economy', 'first'] });
    expect(schemaOf(['Paris', 'Lima', 'Oslo'], 8)).toEqual({ type: 'string' });
    expect(schemaOf([2, 3, 2, 3], 8)).toEqual({ type: 'integer', enum: [2, 3] });
  });

  it('admits null when some runs had none', () => {
    expect(schemaOf(['a b', null, 'c d'], 8)).toEqual({ type: ['string', 'null'] });
  });
});
