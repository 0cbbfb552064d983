// The JSON Schema of a slot, from the values it took: type; a format for dates, times,
// emails, uuids and urls; a pattern for ids; an enum when the values are few and repeat.
import type { JsonPrimitive } from '@praxis/core';

export type JsonSchema = Record<string, unknown>;

const FORMATS: [string, RegExp][] = [
  ['date', /^\d{4}-\d{2}-\d{2}$/],
  // RFC 3339 (what "date-time" checks) needs the offset; a local time ("2023-12-21T12:00:00",
  // a date the query stated with its time) is an ISO date-time whose zone is optional
  ['date-time', /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/],
  ['iso-date-time', /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/],
  ['email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/],
  ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ['uri', /^https?:\/\/\S+$/],
];

// Only syntax characters are escaped, so the pattern is also valid with the `u` flag (Ajv).
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

type Run = { cls: 'U' | 'L' | 'M' | 'D' | 'X'; text: string };

/** Runs of upper-case letters, lower-case letters, digits, or one other character. */
function runs(value: string): Run[] {
  const out: Run[] = [];
  const re = /[A-Za-z]+|\d+|[^A-Za-z\d]/g;
  for (const m of value.matchAll(re)) {
    const text = m[0];
    const cls = /^\d+$/.test(text) ? 'D' : /^[A-Z]+$/.test(text) ? 'U' : /^[a-z]+$/.test(text) ? 'L' : /^[A-Za-z]+$/.test(text) ? 'M' : 'X';
    out.push({ cls, text });
  }
  return out;
}

const letterClass = (classes: Set<string>) => (classes.size === 1 && classes.has('U') ? '[A-Z]' : classes.size === 1 && classes.has('L') ? '[a-z]' : '[A-Za-z]');

/**
 * Evidence a few values give of structure. A run width shared by every value is kept when it
 * is long (4+ digits: fixed-width ids) or seen in enough values; otherwise it is widened to
 * "one or more". A letter run the values share stays literal only when it reads as a code
 * (capitals, as ORD or SKU), is one or two letters (v), or enough values agree: three ids
 * starting with "amelia_" are three of Amelia's ids, not the rule that every id starts so.
 */
export const PATTERN_EVIDENCE = { fixedWidthDigits: 4, valuesForShortWidths: 5, valuesForLiteralWords: 10 };

const width = (lengths: number[], count: number, longEnough: number) => {
  const min = Math.min(...lengths);
  const fixed = lengths.every((n) => n === min) && (min >= longEnough || count >= PATTERN_EVIDENCE.valuesForShortWidths);
  return fixed ? (min === 1 ? '' : `{${min}}`) : '+';
};

/**
 * A regular expression all the values match, from their common structure, generalised
 * beyond them: literal punctuation and code-like prefixes, character classes for the rest,
 * widths widened unless the evidence fixes them (PATTERN_EVIDENCE). Null when the values do
 * not share a structure.
 */
export function patternOf(values: readonly string[]): string | null {
  if (values.length === 0) return null;
  const all = values.map(runs);
  const n = all[0]!.length;
  if (n === 0 || all.some((r) => r.length !== n)) return null;
  let out = '^';
  for (let i = 0; i < n; i++) {
    const column = all.map((r) => r[i]!);
    const isDigits = column.every((r) => r.cls === 'D');
    const isLetters = column.every((r) => r.cls === 'U' || r.cls === 'L' || r.cls === 'M');
    const isOther = column.every((r) => r.cls === 'X');
    if (isOther) {
      if (column.some((r) => r.text !== column[0]!.text)) return null;
      out += escape(column[0]!.text);
    } else if (isDigits) {
      out += `\\d${width(column.map((r) => r.text.length), values.length, PATTERN_EVIDENCE.fixedWidthDigits)}`;
    } else if (isLetters) {
      const first = column[0]!;
      const literal = column.every((r) => r.text === first.text) && (first.cls === 'U' || first.text.length <= 2 || values.length >= PATTERN_EVIDENCE.valuesForLiteralWords);
      if (literal) out += escape(first.text);
      else out += `${letterClass(new Set(column.map((r) => r.cls)))}${width(column.map((r) => r.text.length), values.length, Number.POSITIVE_INFINITY)}`;
    } else return null;
  }
  return `${out}$`;
}

/**
 * The values sharing the most common structure (classes of runs), when at least 90% do: a
 * stray value (a typo, a test id) does not prevent the pattern of the rest.
 */
export function dominantStructure(values: readonly string[]): string[] {
  const groups = new Map<string, string[]>();
  for (const v of values) {
    const key = runs(v).map((r) => (r.cls === 'X' ? r.text : r.cls === 'D' ? 'D' : 'A')).join('');
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const best = [...groups.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  return best.length >= 0.9 * values.length ? best : [...values];
}

/** Whether string values look like identifiers: no spaces, some digit, not too long. */
const idLike = (values: readonly string[]) => values.every((v) => v.length <= 64 && !/\s/.test(v) && /\d/.test(v));

/**
 * The schema of a slot from its observed values. `maxEnum` bounds enums; a list becomes an
 * enum only when there are at least twice as many observations as distinct values.
 */
export function schemaOf(values: readonly JsonPrimitive[], maxEnum: number): JsonSchema {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return { type: 'null' };
  const distinct = [...new Set(present.map((v) => JSON.stringify(v)))].map((s) => JSON.parse(s) as JsonPrimitive);
  const few = distinct.length <= maxEnum && present.length >= 2 * distinct.length;
  const nullable = present.length < values.length;
  const withNull = (s: JsonSchema): JsonSchema => (nullable ? { ...s, type: [s.type, 'null'] } : s);
  if (present.every((v) => typeof v === 'boolean')) return withNull({ type: 'boolean' });
  if (present.every((v) => typeof v === 'number')) {
    const type = present.every((v) => Number.isInteger(v)) ? 'integer' : 'number';
    return withNull(few ? { type, enum: (distinct as number[]).sort((a, b) => a - b) } : { type });
  }
  if (present.every((v) => typeof v === 'string')) {
    const strings = present as string[];
    const format = FORMATS.find(([, re]) => strings.every((s) => re.test(s)))?.[0];
    if (format) return withNull({ type: 'string', format });
    const usual = dominantStructure(strings);
    if (idLike(usual)) {
      const pattern = patternOf(usual);
      if (pattern) return withNull({ type: 'string', pattern });
    }
    if (few) return withNull({ type: 'string', enum: (distinct as string[]).sort() });
    return withNull({ type: 'string' });
  }
  return withNull({});
}

/**
 * Whether a value fits a schema made by schemaOf (type, format, pattern, enum; nothing
 * else is checked, since schemaOf writes nothing else).
 */
export function fitsSchema(schema: JsonSchema, value: JsonPrimitive | undefined): boolean {
  if (value === undefined) return false;
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  const typeOf = value === null ? 'null' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
  if (types.length > 0 && !types.includes(typeOf) && !(typeOf === 'integer' && types.includes('number'))) return false;
  if (value === null) return true;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  if (typeof value !== 'string') return true;
  const format = FORMATS.find(([name]) => name === schema.format)?.[1];
  if (format && !format.test(value)) return false;
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) return false;
  return true;
}
