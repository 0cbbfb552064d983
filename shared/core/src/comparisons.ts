// Value conditions (docs/learning.md, "Conditional steps on a value"): a query that compares
// a result with a number it writes ("if sales were more than 21 at any time since ...").
// The segmenter reads a query's comparisons and records, per result path, whether some or all
// of the result's numbers satisfy each one (never the numbers); the router reads the same
// comparisons from a new query into a slot; the SDK executor evaluates that slot on the live
// result with the same bounds. One reader and one evaluator, so the three agree.

/** A comparison a query writes: the operator and the number it compares with. */
export interface Comparison {
  op: '>' | '<' | '>=' | '<=';
  value: number;
}

/** A comparison's span in the query: the canonical text (">21") and where it is. */
export interface ComparisonSpan {
  value: string;
  start: number;
  end: number;
}

// "more than 21", "less than 2.5", "at least 3", "above 10"; a number followed by % or
// "percent" is a growth, not a value to compare a result's numbers with
const COMPARISON = /\b(?:(more|greater|higher|larger|bigger|less|fewer|lower|smaller)\s+than|(at\s+least|at\s+most|above|below|exceeding))\s+(-?\d+(?:\.\d+)?)(?![\d.]*\s*(?:%|percent\b))/gi;
const GREATER = new Set(['more', 'greater', 'higher', 'larger', 'bigger', 'above', 'exceeding']);

/** Comparisons people write with a number, at most `limit`, in reading order. */
export function comparisonSpans(query: string, limit = 4): ComparisonSpan[] {
  const out: ComparisonSpan[] = [];
  for (const m of query.matchAll(COMPARISON)) {
    if (out.length >= limit) break;
    const word = (m[1] ?? m[2]!).toLowerCase().replace(/\s+/g, ' ');
    const op = word === 'at least' ? '>=' : word === 'at most' ? '<=' : GREATER.has(word) ? '>' : '<';
    out.push({ value: `${op}${Number(m[3])}`, start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

const CANONICAL = /^(>=|<=|>|<)(-?\d+(?:\.\d+)?)$/;
/** The pattern of a comparison slot's values (the canonical text comparisonSpans gives). */
export const COMPARISON_PATTERN = '^(>=|<=|>|<)-?\\d+(\\.\\d+)?$';

/** A comparison's canonical text (">21") read back, or null when it is not one. */
export function parseComparison(text: unknown): Comparison | null {
  if (typeof text !== 'string') return null;
  const m = CANONICAL.exec(text.trim());
  return m ? { op: m[1] as Comparison['op'], value: Number(m[2]) } : null;
}

/** Smallest and largest number among a value's leaves (JSON numbers only), or null when it has none. */
export function numericBounds(value: unknown, limit = 1_000): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  let seen = 0;
  const walk = (v: unknown) => {
    if (seen >= limit) return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return;
      seen++;
      if (v < min) min = v;
      if (v > max) max = v;
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return seen > 0 ? [min, max] : null;
}

/** Most result paths whose bounds are kept per step: the whole result and its top-level collections. */
export const MAX_BOUND_PATHS = 8;

/**
 * The numeric bounds of a result by path: "" (every number of the result) and each top-level
 * field that is a list or an object with numbers, at most MAX_BOUND_PATHS in all.
 */
export function resultBounds(result: unknown): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const whole = numericBounds(result);
  if (!whole) return out;
  out.set('', whole);
  if (result !== null && typeof result === 'object' && !Array.isArray(result)) {
    for (const [key, sub] of Object.entries(result as Record<string, unknown>)) {
      if (out.size >= MAX_BOUND_PATHS) break;
      if (key.includes('.') || sub === null || typeof sub !== 'object') continue;
      const b = numericBounds(sub);
      if (b) out.set(key, b);
    }
  }
  return out;
}

const holds = (x: number, c: Comparison) => (c.op === '>' ? x > c.value : c.op === '<' ? x < c.value : c.op === '>=' ? x >= c.value : x <= c.value);

/** Whether some (or all) of the numbers within `bounds` satisfy the comparison. */
export function boundsSatisfy(bounds: readonly [number, number], c: Comparison, quantifier: 'some' | 'all'): boolean {
  const [min, max] = bounds;
  const greater = c.op === '>' || c.op === '>=';
  // some x > v iff max > v; all x > v iff min > v (and the mirror for <)
  return holds(quantifier === 'some' ? (greater ? max : min) : greater ? min : max, c);
}

/** What a step records about its result for value conditions: per query comparison (its position) and result path, whether some and all numbers satisfy it. */
export interface ComparisonFact {
  comparison: number;
  path: string;
  some: boolean;
  all: boolean;
}

/** The facts of a result's bounds against a query's comparisons (at most 4 x MAX_BOUND_PATHS). */
export function comparisonFacts(bounds: ReadonlyMap<string, readonly [number, number]>, query: string | null): ComparisonFact[] {
  if (!query || bounds.size === 0) return [];
  const out: ComparisonFact[] = [];
  comparisonSpans(query).forEach((span, comparison) => {
    const c = parseComparison(span.value)!;
    for (const [path, b] of bounds) out.push({ comparison, path, some: boundsSatisfy(b, c, 'some'), all: boundsSatisfy(b, c, 'all') });
  });
  return out;
}
