// Binding by transformation: a call's value that is not written verbatim in the query may
// still come from it: re-cased, stripped of punctuation, read as a number, a date written
// in words or relative to the task's time, a first or last name out of a full name. For
// each instance we list every (query form, transform) that turns a span of its query into
// the value; the pair that holds in enough instances is the binding (docs/learning.md).
import { applyValueTransform, DURATION_UNITS, dateFormatOf, daysBetween, NOT_TAKEN, parseDateIn, querySpans, referenceDay, tryValueTransform, type JsonPrimitive, type QueryForm, type TaskTime } from '@praxis/core';
import type { Instance } from './induce.js';

/** A query binding through a transform: the slot holds the query's form of the value, the parameter applies `transform`. */
export interface DerivedBinding {
  form: QueryForm;
  transform: string | null;
  /** The slot's value per instance (the span as read from its query), undefined where the parameter is absent. */
  values: (string | undefined)[];
}

const TOKEN_TRANSFORMS = ['lower', 'upper', 'title', 'strip_punctuation', 'strip_punctuation|lower', 'strip_punctuation|upper', 'to_number'];
const NAME_TRANSFORMS = ['first_name', 'last_name', 'first_name|lower', 'last_name|lower', 'dotted_lower', 'lower', 'title'];

const same = (a: unknown, b: JsonPrimitive) => a === b || (typeof a === 'string' && typeof b === 'string' && a.length > 0 && a === b);

/** The punctuation a value has in front of an alphanumeric rest ("#W5056519" -> "#"), for the prefix transform. */
const leadingMarks = (v: string) => /^([^\p{L}\p{N}\s|]{1,3})[\p{L}\p{N}]/u.exec(v)?.[1] ?? null;

/**
 * Derivations already computed per run (its summary: its query and time), by value and time
 * zone. They are a pure function of these, and re-induction over an agent's horizon asks for
 * the same runs' values at every batch: kept, a batch derives only its new runs' values. Held
 * as long as the run's summary (in its agent's horizon, so a fresh inducer starts empty);
 * shared between callers, never changed.
 */
const DERIVED = new WeakMap<object, Map<string, ReadonlyMap<string, string>>>();

function derivationsOf(inst: Instance, value: JsonPrimitive, query: string, time: TaskTime): ReadonlyMap<string, string> {
  let byValue = DERIVED.get(inst.summary);
  if (!byValue) {
    byValue = new Map();
    DERIVED.set(inst.summary, byValue);
  }
  // the run's query and time are in the key too: what it derives from is the whole key, whatever the summary holds
  const key = JSON.stringify([typeof value, value, query, time.nowMs, time.timeZone ?? null]);
  let found = byValue.get(key);
  if (!found) {
    found = derivations(value, query, time);
    byValue.set(key, found);
  }
  return found;
}

/**
 * Every (form, transform) that derives `value` from a span of `query`, each with the span's
 * value; keys are `form\u0000transform`. Values too short to be distinctive derive nothing.
 */
export function derivations(value: JsonPrimitive, query: string, time: TaskTime): Map<string, string> {
  const out = new Map<string, string>();
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : null;
  const add = (form: QueryForm, transform: string | null, span: string) => {
    const key = `${form}\u0000${transform ?? ''}`;
    if (!out.has(key)) out.set(key, span);
  };
  // a number of a unit of time the query wrote as a duration ("1.5 hour" passed as 90 or "90")
  if (text !== null && /^\d+(\.\d+)?$/.test(text.trim())) {
    for (const span of querySpans(query, 'duration', time)) {
      for (const unit of DURATION_UNITS) {
        const t = typeof value === 'number' ? `duration:${unit}` : `duration:${unit}|to_string`;
        if (applyValueTransform(`duration:${unit}`, span.value) === Number(text)) add('duration', t, span.value);
      }
    }
  }
  if (text === null || text.trim().length < 2) return out;
  const format = typeof value === 'string' ? dateFormatOf(value) : null;
  if (format) {
    const writings = format.includes('HH') ? [`date:${format}`, `date_end:${format}`, `date_start:${format}`] : [`date:${format}`];
    for (const form of ['date', 'date_past', 'date_daytime', 'date_or_today'] as const) {
      // the afternoon reading only of a time the query states (a day alone reads the same either way)
      for (const span of querySpans(query, form, time)) for (const t of writings) if ((form !== 'date_daytime' || span.value.includes('T')) && applyValueTransform(t, span.value) === value) add(form, t, span.value);
    }
    const today = referenceTransform(value as string, format, time);
    if (today) add('today', today, referenceDay(time));
    return out;
  }
  const tryAll = (form: QueryForm, transforms: string[], spans: { value: string }[]) => {
    for (const span of spans) {
      for (const t of transforms) {
        // NOT_TAKEN where the transform does not take this span (no exception built per try)
        const out = tryValueTransform(t, span.value);
        // a transform that changes nothing is the verbatim reading, which dataflow already found
        if (out !== NOT_TAKEN && out !== span.value && same(out, value)) add(form, t, span.value);
      }
    }
  };
  const marks = typeof value === 'string' ? leadingMarks(value) : null;
  tryAll('token', marks ? [...TOKEN_TRANSFORMS, `prefix:${marks}`] : TOKEN_TRANSFORMS, querySpans(query, 'token', time));
  if (typeof value === 'string' && !/\d/.test(value)) {
    const names = querySpans(query, 'name', time);
    tryAll('name', NAME_TRANSFORMS, names);
    // a full name passed as written: dataflow finds it too, but the router needs the form to
    // read a multi-word name out of a new query (a typed value is one word)
    for (const span of names) if (span.value === value) add('name', null, span.value);
  }
  return out;
}

/** The forms that read a span of the text (not the task's day, which no query writes). */
const SPAN_FORMS: ReadonlySet<QueryForm> = new Set(['date', 'date_past', 'date_daytime', 'duration', 'name', 'token']);

/**
 * How a run's value is read from a span of its own query through a transform (a date in
 * words, a re-cased token, a duration in another unit): its readings (`form:transform`,
 * sorted, joined by `|`), or null when none is. Such a value is the task's, not a way of doing
 * it, whatever other tasks happen to share it; how it is read can be (partition.ts).
 */
export function readingsFromOwnQuery(inst: Instance, value: JsonPrimitive, timeZone: string | null): string | null {
  const query = inst.summary.query;
  if (query === null || value === null) return null;
  const keys = [...derivationsOf(inst, value, query, { nowMs: inst.summary.referenceTimeMs, timeZone }).keys()].filter((k) => SPAN_FORMS.has(k.split('\u0000')[0] as QueryForm));
  return keys.length === 0 ? null : keys.map((k) => k.replace('\u0000', ':')).sort().join('|');
}

/** Offsets from the task's day a date is still read as relative to it (a year either way). */
const MAX_REFERENCE_DAYS = 366;

/**
 * The transform that writes `value` (a date in `format`) from the task's own day: `date:` at
 * midnight or `date_end:` at 23:59:59, after `shift:<n>d` when the day is not today; null
 * when its time of day is neither or it is too far from the task's day.
 */
export function referenceTransform(value: string, format: string, time: TaskTime): string | null {
  const today = referenceDay(time);
  const fields = parseDateIn(value, format);
  if (!fields) return null;
  const days = daysBetween(today, `${String(fields.year).padStart(4, '0')}-${String(fields.month).padStart(2, '0')}-${String(fields.day).padStart(2, '0')}`);
  if (days === null || Math.abs(days) > MAX_REFERENCE_DAYS) return null;
  const shift = days === 0 ? '' : `shift:${days}d|`;
  for (const t of format.includes('HH') ? [`date:${format}`, `date_end:${format}`] : [`date:${format}`]) if (applyValueTransform(`${shift}${t}`, today) === value) return `${shift}${t}`;
  return null;
}

// When several readings hold equally often: dates, then names (the router can find them in
// any query; a bare token needs a pattern), then simpler transforms (fewer steps, list order).
// What the text says beats the task's day (a run on November 27 about "November 27" is read from the text).
// A date the query writes, else the task's day, explains at least the runs either does alone: it wins only by explaining more.
// A duration ranks with dates: "30 minute" read as 30 is the written length, not the token "30".
// The afternoon reading of an hour without am or pm comes first for a value with a time of day (complexity).
const FORM_RANK: Record<QueryForm, number> = { date: 0, date_past: 1, date_daytime: 2, duration: 3, name: 4, token: 5, today: 6, date_or_today: 7, comparison: 8 };
const complexity = (key: string) => {
  const [form, t = ''] = key.split('\u0000') as [QueryForm, string?];
  // a time of day the tool takes: "at 3" is 15:00 unless the runs said otherwise (then `date` explains more)
  const rank = form === 'date_daytime' && t.includes('HH') ? -1 : FORM_RANK[form];
  return rank * 10_000 + (t === '' ? 0 : t.split('|').length) * 100 + [...TOKEN_TRANSFORMS, ...NAME_TRANSFORMS].indexOf(t);
};

/**
 * The query binding through a transform that at least `agreement` of the instances where
 * the parameter is present agree on, or null. `timeZone` is where the runs' relative dates
 * were meant (UTC when unknown); each run's own time (its reference time, else its start) is its "now".
 */
export function derivedQueryBinding(instances: readonly Instance[], values: readonly (JsonPrimitive | undefined)[], agreement: number, timeZone: string | null): DerivedBinding | null {
  const per = instances.map((inst, i) => {
    const v = values[i];
    const query = inst.summary.query;
    if (v === undefined || v === null || query === null) return new Map<string, string>() as ReadonlyMap<string, string>;
    return derivationsOf(inst, v, query, { nowMs: inst.summary.referenceTimeMs, timeZone });
  });
  const present = values.filter((v) => v !== undefined).length;
  const counts = new Map<string, number>();
  for (const m of per) for (const key of m.keys()) counts.set(key, (counts.get(key) ?? 0) + 1);
  const best = [...counts.entries()].filter(([, n]) => n >= agreement * present && n >= 1).sort(([a, na], [b, nb]) => nb - na || complexity(a) - complexity(b) || (a < b ? -1 : 1))[0];
  if (!best) return null;
  const [form, transform] = best[0].split('\u0000') as [QueryForm, string];
  return { form, transform: transform === '' ? null : transform, values: per.map((m) => m.get(best[0])) };
}

/**
 * A parameter whose runs passed the same number sometimes as a number and sometimes as
 * text (a zip code): the type most runs used, as the transform to it, with every value as
 * text for the slot. Null when the values are not such a mix.
 */
export function unifiedNumberType(values: readonly (JsonPrimitive | undefined)[]): { transform: 'to_number' | 'to_string'; values: (string | undefined)[] } | null {
  const present = values.filter((v) => v !== undefined && v !== null);
  const numbers = present.filter((v) => typeof v === 'number').length;
  const numericText = present.filter((v) => typeof v === 'string' && /^[-+]?\d+(\.\d+)?$/.test(v.trim())).length;
  if (numbers === 0 || numericText === 0 || numbers + numericText !== present.length) return null;
  return { transform: numbers > numericText ? 'to_number' : 'to_string', values: values.map((v) => (v === undefined || v === null ? undefined : String(v))) };
}

/**
 * The QUERY slot reading of a parameter through a transform, or null. With a verbatim query
 * binding already agreed (`verbatim`), only a name or date reading replaces it (the router
 * finds "Amelia" only as part of a name, "2023-12-05" also when written "next Tuesday", and 90 also when written "1.5 hour"),
 * or a re-cased token when the runs' values are not in their queries as written.
 */
export function transformedQuerySlot(instances: readonly Instance[], values: readonly (JsonPrimitive | undefined)[], agreement: number, timeZone: string | null, verbatim: boolean): { values: (string | undefined)[]; transform: string | null; form: QueryForm | null } | null {
  const derived = derivedQueryBinding(instances, values, agreement, timeZone);
  if (!derived) return null;
  // dataflow matches the query without case and punctuation: "to won" passed as "Won" is no
  // verbatim reading when most runs' values are not in their query as written
  const texts = values.filter((v) => v !== undefined);
  const literal = instances.filter((inst, i) => typeof values[i] === 'string' && inst.summary.query?.includes(values[i] as string)).length;
  // text only: a number read from the query's digits is the verbatim reading with its type
  const recased = derived.form === 'token' && derived.transform !== null && texts.every((v) => typeof v === 'string') && literal < agreement * texts.length;
  if (verbatim && !recased && !['name', 'date', 'date_past', 'date_daytime', 'date_or_today', 'duration'].includes(derived.form)) return null;
  // a token read as is is the plain query binding dataflow would have found: no form needed
  const form = derived.form === 'token' && derived.transform === null ? null : derived.form;
  return { values: derived.values, transform: derived.transform, form };
}

/**
 * A parameter all runs passed the same date: when every run's date is its own day plus the
 * same offset (or a date its query wrote), it is that reading, not a constant (the runs of a
 * day all said "today"); null otherwise, and the constant stands.
 */
export function constantDateReading(instances: readonly Instance[], values: readonly (JsonPrimitive | undefined)[], agreement: number, timeZone: string | null): { values: (string | undefined)[]; transform: string | null; form: QueryForm } | null {
  const present = values.filter((v) => v !== undefined);
  if (present.length === 0 || !present.some((v) => typeof v === 'string' && dateFormatOf(v) !== null)) return null;
  const derived = derivedQueryBinding(instances, values, agreement, timeZone);
  if (!derived || !['date', 'date_past', 'date_daytime', 'today', 'date_or_today'].includes(derived.form)) return null;
  return { values: derived.values, transform: derived.transform, form: derived.form };
}

/**
 * The type a step-result parameter was passed as, when the runs agree (an id found as a
 * number passed as text) and dataflow recorded no transform: the result may hold the other
 * type, so the executor converts.
 */
export function stepResultType(values: readonly (JsonPrimitive | undefined)[]): string | null {
  const present = values.filter((v) => v !== undefined && v !== null);
  if (present.length === 0) return null;
  if (present.every((v) => typeof v === 'number')) return 'to_number';
  if (present.every((v) => typeof v === 'string' && /^[-+]?\d+(\.\d+)?$/.test(v))) return 'to_string';
  return null;
}

/** How far apart (in days) the runs' readings of "now" may be and still be one bound (today, or the last whole day). */
const NOW_SPREAD_DAYS = 1;

/**
 * A date parameter no query span explains, which every run set from its own day, the runs
 * differing only in whether that bound is the task's day or the day before (a range "up to
 * now", written inclusively or up to the last whole day): the reading most runs chose, ties to
 * the later day. Null when a run's value is not such a reading or the shifts spread further.
 */
export function nowBoundReading(instances: readonly Instance[], values: readonly (JsonPrimitive | undefined)[], timeZone: string | null): { values: (string | undefined)[]; transform: string; form: QueryForm } | null {
  const readings: ({ shift: number; transform: string } | undefined)[] = [];
  for (let i = 0; i < instances.length; i++) {
    const v = values[i];
    if (v === undefined) {
      readings.push(undefined);
      continue;
    }
    const format = typeof v === 'string' ? dateFormatOf(v) : null;
    const transform = format ? referenceTransform(v as string, format, { nowMs: instances[i]!.summary.referenceTimeMs, timeZone }) : null;
    if (transform === null) return null;
    readings.push({ shift: Number(/^shift:(-?\d+)d\|/.exec(transform)?.[1] ?? 0), transform });
  }
  const present = readings.filter((r) => r !== undefined);
  if (present.length < 2) return null;
  const shifts = present.map((r) => r.shift);
  if (Math.max(...shifts) - Math.min(...shifts) > NOW_SPREAD_DAYS || Math.max(...shifts) > 0) return null;
  const votes = new Map<string, { n: number; shift: number }>();
  for (const r of present) votes.set(r.transform, { n: (votes.get(r.transform)?.n ?? 0) + 1, shift: r.shift });
  const [transform] = [...votes.entries()].sort(([, a], [, b]) => b.n - a.n || b.shift - a.shift)[0]!;
  return { values: readings.map((r, i) => (r === undefined ? undefined : referenceDay({ nowMs: instances[i]!.summary.referenceTimeMs, timeZone }))), transform, form: 'today' };
}
