import { describe, expect, it } from 'vitest';
import { boundsSatisfy, comparisonFacts, comparisonSpans, numericBounds, parseComparison, resultBounds } from './comparisons.js';
import { querySpans } from './query-forms.js';

describe('comparisons a query writes', () => {
  it('reads the operator and number of each comparison, in reading order', () => {
    expect(comparisonSpans('Was the count more than 21 at any time since May 1? Or fewer than 2.5?').map((s) => s.value)).toEqual(['>21', '<2.5']);
    expect(comparisonSpans('at least 3 orders, at most 10 returns, above 7, below -2').map((s) => s.value)).toEqual(['>=3', '<=10', '>7', '<-2']);
    const q = 'if sales were less than 41 since June 2';
    const [span] = comparisonSpans(q);
    expect(q.slice(span!.start, span!.end)).toBe('less than 41');
  });

  it('leaves out growths (a number with % or percent) and comparisons with no number', () => {
    expect(comparisonSpans('is revenue more than 5% higher than it was on Monday?')).toEqual([]);
    expect(comparisonSpans('grew by more than 10 percent, more than visits')).toEqual([]);
  });

  it('is the comparison query form, and reads back its canonical text', () => {
    expect(querySpans('was it less than 3 at any time', 'comparison', { nowMs: 0 })).toEqual([{ form: 'comparison', value: '<3', start: 7, end: 18 }]);
    expect(parseComparison('>=2.5')).toEqual({ op: '>=', value: 2.5 });
    expect(parseComparison('more than 3')).toBeNull();
    expect(parseComparison(3)).toBeNull();
  });
});

describe('numbers of a result against a comparison', () => {
  const perDay = { '2023-10-01': 3, '2023-10-02': 12, '2023-10-03': 7 };

  it('keeps the bounds of every number and of each top-level collection, never strings', () => {
    expect(numericBounds(perDay)).toEqual([3, 12]);
    expect(numericBounds(['12', 'x'])).toBeNull();
    expect([...resultBounds({ total: 4, rows: [{ n: 1 }, { n: 9 }], name: 'x' })]).toEqual([['', [1, 9]], ['rows', [1, 9]]]);
    expect(resultBounds('No data.').size).toBe(0);
  });

  it('holds for some when the largest (smallest) number passes, for all when the smallest (largest) does', () => {
    expect(boundsSatisfy([3, 12], { op: '>', value: 10 }, 'some')).toBe(true);
    expect(boundsSatisfy([3, 12], { op: '>', value: 10 }, 'all')).toBe(false);
    expect(boundsSatisfy([3, 12], { op: '<', value: 3 }, 'some')).toBe(false);
    expect(boundsSatisfy([3, 12], { op: '<=', value: 3 }, 'some')).toBe(true);
    expect(boundsSatisfy([3, 12], { op: '>=', value: 3 }, 'all')).toBe(true);
  });

  it('records facts per comparison and path: whether some and all numbers satisfy it, not the numbers', () => {
    const facts = comparisonFacts(resultBounds(perDay), 'If it was more than 10 or less than 2 since Monday');
    expect(facts).toEqual([
      { comparison: 0, path: '', some: true, all: false },
      { comparison: 1, path: '', some: false, all: false },
    ]);
    expect(JSON.stringify(facts)).not.toMatch(/12|3|7/);
    expect(comparisonFacts(resultBounds(perDay), 'plot it since Monday')).toEqual([]);
    expect(comparisonFacts(new Map(), 'more than 10')).toEqual([]);
  });
});
