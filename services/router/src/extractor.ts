// Deterministic slot filling: binds a template's slots from the caller's context and from
// typed values found in the query (ids, emails, numbers, dates...), each checked against
// the slot's JSON Schema. What it cannot do is in docs/router.md ("Slot extraction").
import { KNOWN_VALUE_FORM, knownValueNamedBy, safePatternTest, schemaProblem, slotConstraint } from '@praxis/core';
import type { Slot } from '@praxis/schemas';
import { anchoredList, anchoredValue } from './anchors.js';
import { formValue, type UsedRanges } from './query-forms.js';

/** A typed value found in the query text. */
export interface QueryValue {
  kind: 'email' | 'url' | 'uuid' | 'datetime' | 'date' | 'quoted' | 'id' | 'number' | 'word';
  raw: string;
  value: string | number;
  start: number;
}

export type BindingSource = 'context' | 'query' | 'default';

export interface Extraction {
  bindings: Record<string, unknown>;
  sources: Record<string, BindingSource>;
  /** Required slots left without a value. */
  missing: Slot[];
  /** Work spent on pattern and schema checks (characters examined plus one per check). */
  work: number;
  /** True when the work budget ran out and the remaining query values were not tried. */
  budgetExhausted: boolean;
  /** The spans of the query ([start, end) offsets) the bindings were read from. */
  spans: [number, number][];
}

/**
 * Work one lookup may spend on matching query values against slot schemas. Every check is
 * linear (RE2), but slots x values x length is still a product; the budget bounds it so one
 * tenant's lookup cannot hold the event loop for another's (docs/router.md, "Safe patterns").
 */
export const EXTRACTION_WORK_BUDGET = 200_000;

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// Most specific first; a later pattern never takes text an earlier one matched.
const PATTERNS: { kind: QueryValue['kind']; re: RegExp; value?: (m: RegExpExecArray, now: number) => string | number }[] = [
  { kind: 'url', re: /\bhttps?:\/\/[^\s"'<>]+/gi },
  { kind: 'email', re: /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g },
  { kind: 'uuid', re: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  { kind: 'datetime', re: /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, value: (m) => m[0].replace(' ', 'T') },
  { kind: 'date', re: /\b\d{4}-\d{2}-\d{2}\b/g },
  { kind: 'date', re: /\b(today|tomorrow|yesterday)\b/gi, value: (m, now) => isoDate(now + { today: 0, tomorrow: 1, yesterday: -1 }[m[1]!.toLowerCase() as 'today']! * DAY_MS) },
  { kind: 'date', re: /\bin (\d{1,3}) days?\b/gi, value: (m, now) => isoDate(now + Number(m[1]) * DAY_MS) },
  {
    kind: 'date',
    re: /\bnext (sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/gi,
    value: (m, now) => {
      const target = WEEKDAYS.indexOf(m[1]!.toLowerCase());
      const today = new Date(now).getUTCDay();
      return isoDate(now + (((target - today + 7) % 7) || 7) * DAY_MS);
    },
  },
  // an apostrophe inside a word ("kofi's", "don't") neither opens nor closes a single-quoted value
  { kind: 'quoted', re: /"([^"]{1,500})"|(?<![\p{L}\p{N}])'([^\n]{1,500}?)'(?![\p{L}\p{N}])|“([^”]{1,500})”/gu, value: (m) => m[1] ?? m[2] ?? m[3]! },
  // ids mix letters and digits, joined by - _ or . (A-1001, ord_77, v3.13.2); a sentence's final dot is not taken
  { kind: 'id', re: /\b(?=[\w.-]*\d)(?=[\w.-]*[A-Za-z])[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*\b/g },
  { kind: 'number', re: /(?<![\w.])[-+]?\d+(?:\.\d+)?(?![\w-])/g, value: (m) => Number(m[0]) },
  { kind: 'word', re: /\b[A-Za-z][A-Za-z'-]*\b/g },
];

/** Typed values in the query, in reading order, none overlapping another. */
export function queryValues(query: string, now: number): QueryValue[] {
  const taken: [number, number][] = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);
  const out: QueryValue[] = [];
  for (const { kind, re, value } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(query); m; m = re.exec(query)) {
      const start = m.index;
      const end = start + m[0].length;
      if (overlaps(start, end)) continue;
      taken.push([start, end]);
      out.push({ kind, raw: m[0], value: value ? value(m, now) : m[0], start });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

type SlotSchema = { type?: string | string[]; enum?: unknown[]; format?: string; pattern?: string; default?: unknown; items?: Record<string, unknown> };

/** A regular expression of the character classes of an example ("A-1001" -> ^[A-Z]+-\d+$). */
export function shapePattern(example: string): RegExp {
  const classes = example.replace(/[A-Z]+|[a-z]+|\d+|[^A-Za-z\d]/g, (run) => (/[A-Z]/.test(run) ? '[A-Z]+' : /[a-z]/.test(run) ? '[a-z]+' : /\d/.test(run) ? '\\d+' : run.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${classes}$`);
}

const typesOf = (s: SlotSchema) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

/** The value a query value gives this slot, when it fits the schema's kind (checked against the schema later). */
function candidateValue(schema: SlotSchema, examples: unknown[], v: QueryValue): unknown {
  const types = typesOf(schema);
  if (schema.format) {
    const wanted: Record<string, QueryValue['kind'][]> = { email: ['email'], uri: ['url'], url: ['url'], uuid: ['uuid'], date: ['date'], 'date-time': ['datetime'], 'iso-date-time': ['datetime'] };
    const kinds = wanted[schema.format];
    if (kinds) return kinds.includes(v.kind) ? v.value : undefined;
  }
  if (schema.pattern) {
    // plain words are too ambiguous for a pattern ("^[a-z]+$" fits any of them): enums only
    if (v.kind === 'word') return undefined;
    // digits for a text slot (a zip code) keep the text as written: 02139 is not 2139
    const value = v.kind === 'number' && types.includes('string') ? v.raw : v.value;
    return safePatternTest(schema.pattern, String(value)) ? value : undefined;
  }
  if (types.includes('integer') || types.includes('number')) {
    if (v.kind !== 'number') return undefined;
    return types.includes('integer') && !Number.isInteger(v.value) ? undefined : v.value;
  }
  if (types.includes('string') || types.length === 0) {
    const shapes = examples.filter((e): e is string => typeof e === 'string' && e.length > 0 && e.length <= 100).map(shapePattern);
    // quoted text is a value the writer set apart; free text (examples with spaces) has no shape
    if (v.kind === 'quoted' && examples.some((e) => typeof e === 'string' && /\s/.test(e.trim()))) return v.value;
    // a relative date in words ("tomorrow") is a date, not a word-shaped value
    const wordy = v.kind === 'word' || (v.kind === 'date' && !/\d/.test(v.raw));
    if (shapes.length > 0) return !wordy && shapes.some((re) => re.test(String(v.raw))) ? String(v.raw) : undefined;
    return v.kind === 'quoted' ? v.value : undefined;
  }
  return undefined;
}

/** Finds a value for a context entry named like the slot (exact, then case- and separator-insensitive). */
function contextValue(context: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(context, name)) return context[name];
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const key = Object.keys(context).find((k) => norm(k) === norm(name));
  return key === undefined ? undefined : context[key];
}

/** A context value coerced to the schema's primitive type where that is unambiguous ("42" for an integer). */
function coerce(schema: SlotSchema, value: unknown): unknown {
  const types = typesOf(schema);
  if (typeof value === 'string' && (types.includes('integer') || types.includes('number')) && /^[-+]?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (typeof value === 'number' && types.length === 1 && types[0] === 'string') return String(value);
  return value;
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const spellingKey = (v: string) => v.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/**
 * A value read from the query as the tool took it when it was seen before: the learned value
 * that differs from it only in case or spacing ("in review" -> "In Review", learned from runs
 * that passed the query's words re-cased); the text as read otherwise.
 */
export function learnedSpelling(value: string, learned: readonly string[]): string {
  const key = spellingKey(value);
  return learned.find((l) => l !== value && spellingKey(l) === key) ?? value;
}

/** Where a phrase stands in the query as whole words (case-insensitive), or -1. */
function wordAt(query: string, phrase: string): number {
  const lower = query.toLowerCase();
  const p = phrase.toLowerCase();
  const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  for (let at = lower.indexOf(p); at >= 0; at = lower.indexOf(p, at + 1)) {
    if (!isWord(lower[at - 1]) && !isWord(lower[at + p.length])) return at;
  }
  return -1;
}

/**
 * Binds what it can: a context entry named like the slot (any source), then for QUERY
 * slots the first unused query value of the right kind that satisfies the slot's schema,
 * then, for QUERY slots, the span where its learned values sat in the template's trigger
 * examples (anchors.ts; a list slot's elements where the learned lists' elements sat, read
 * first), then the schema's default. Slots are taken in the order given.
 */
export function extractSlots(slots: Slot[], query: string, context: Record<string, unknown>, now: number, source: 'LEARNED' | 'USER' = 'USER', timeZone: string | null = null, budget = EXTRACTION_WORK_BUDGET, triggerExamples: readonly string[] = []): Extraction {
  let work = 0;
  let budgetExhausted = false;
  const bindings: Record<string, unknown> = {};
  const sources: Record<string, BindingSource> = {};
  const values = queryValues(query, now);
  const used = new Set<number>();
  const usedRanges: UsedRanges = [];
  // the spans a list slot took: each element is one value of a loop, which a later slot may name again (see below)
  const listRanges = new Set<UsedRanges[number]>();
  const lowerQuery = ` ${query.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;

  for (const slot of slots) {
    const schema = (parseJson(slot.schemaJson) ?? {}) as SlotSchema;
    const fromContext = contextValue(context, slot.name);
    if (fromContext !== undefined) {
      const value = coerce(schema, fromContext);
      if (schemaProblem(slotConstraint(schema as Record<string, unknown>, source), value) === null) {
        bindings[slot.name] = value;
        sources[slot.name] = 'context';
        continue;
      }
    }
    // a value past runs made from a word of their query: the one learned value the query names (never a guess among several)
    if (slot.queryForm === KNOWN_VALUE_FORM) {
      const learned = slot.examplesJson.map(parseJson).filter((e): e is string => typeof e === 'string');
      const value = knownValueNamedBy(learned, query);
      if (value !== undefined && schemaProblem(slotConstraint(schema as Record<string, unknown>, source), value) === null) {
        bindings[slot.name] = value;
        sources[slot.name] = 'query';
        continue;
      }
    }
    // a list slot: its elements where the learned lists' elements sat, joined as the query joins them (anchors.ts)
    if (slot.source === 'QUERY' && typesOf(schema).includes('array') && triggerExamples.length > 0) {
      const item = slotConstraint(schema.items ?? {}, source);
      const taken: UsedRanges = [...usedRanges];
      const list = anchoredList(query, triggerExamples, slot.examplesJson.map(parseJson), taken, (v) => schemaProblem(item, v) === null);
      if (list !== undefined && schemaProblem(slotConstraint({ ...schema, items: item } as Record<string, unknown>, source), list) === null) {
        for (const r of taken) if (!usedRanges.includes(r)) listRanges.add(r);
        usedRanges.splice(0, usedRanges.length, ...taken);
        values.forEach((v, i) => usedRanges.some(([a, b]) => v.start < b && v.start + v.raw.length > a) && used.add(i));
        bindings[slot.name] = list;
        sources[slot.name] = 'query';
        continue;
      }
    }
    if (slot.source === 'QUERY' && slot.queryForm) {
      const value = formValue(slot, query, { nowMs: now, timeZone }, usedRanges, source);
      if (value !== undefined) {
        values.forEach((v, i) => usedRanges.some(([a, b]) => v.start < b && v.start + v.raw.length > a) && used.add(i));
        bindings[slot.name] = value;
        sources[slot.name] = 'query';
        continue;
      }
    } else if (slot.source === 'QUERY') {
      if (Array.isArray(schema.enum)) {
        const hit = schema.enum.find((e) => typeof e === 'string' && lowerQuery.includes(` ${e.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `));
        if (hit !== undefined) {
          const phrase = hit as string;
          const at = wordAt(query, phrase);
          if (at >= 0) usedRanges.push([at, at + phrase.length]);
          bindings[slot.name] = hit;
          sources[slot.name] = 'query';
          continue;
        }
      } else {
        const examples = slot.examplesJson.map(parseJson);
        const index = values.findIndex((v, i) => {
          if (used.has(i) || budgetExhausted) return false;
          work += 1 + v.raw.length;
          if (work > budget) {
            budgetExhausted = true;
            return false;
          }
          const value = candidateValue(schema, examples, v);
          return value !== undefined && schemaProblem(slot.schemaJson, value) === null;
        });
        if (index >= 0) {
          used.add(index);
          usedRanges.push([values[index]!.start, values[index]!.start + values[index]!.raw.length]);
          bindings[slot.name] = candidateValue(schema, examples, values[index]!);
          sources[slot.name] = 'query';
          continue;
        }
      }
    }
    // a learned enum lists the values seen, not all allowed: an unseen one is found by its place
    if (slot.source === 'QUERY' && triggerExamples.length > 0 && (!Array.isArray(schema.enum) || source === 'LEARNED')) {
      // where the learned values sat in the template's examples (anchors.ts)
      const learned = slot.examplesJson.map(parseJson).filter((e): e is string => typeof e === 'string');
      const constraint = slotConstraint(schema as Record<string, unknown>, source);
      // a slot with a default takes a value by its place only where both neighbours agree: one neighbour is weak evidence against the default
      // a value read by its place may be an element of a list the query gave ("yuki is sick so give their tasks to
      // carlos": the people looked up, then the tasks of the first): a span a list slot took stays open to it
      const open = usedRanges.filter((r) => !listRanges.has(r));
      const value = anchoredValue(query, triggerExamples, learned, open, (v) => schemaProblem(constraint, v) === null, schema.default !== undefined);
      if (value !== undefined) {
        const taken = open[open.length - 1]!;
        if (!usedRanges.some(([a, b]) => a === taken[0] && b === taken[1])) usedRanges.push(taken);
        values.forEach((v, i) => usedRanges.some(([a, b]) => v.start < b && v.start + v.raw.length > a) && used.add(i));
        bindings[slot.name] = learnedSpelling(value, learned);
        sources[slot.name] = 'query';
        continue;
      }
    }
    if (schema.default !== undefined) {
      bindings[slot.name] = schema.default;
      sources[slot.name] = 'default';
    }
  }
  return { bindings, sources, missing: slots.filter((s) => s.required && !(s.name in bindings)), work, budgetExhausted, spans: usedRanges.map(([a, b]) => [a, b] as [number, number]) };
}
