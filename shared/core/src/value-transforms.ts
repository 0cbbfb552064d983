// Values as people write them and as tools want them. A tool wants "W5056519", "Qualified",
// 2139, "Amelia", "2023-12-05 00:00:00"; the user wrote "#W5056519", "qualified", "02139",
// "Amelia Wong", "next Tuesday". A named transform turns the value as read from the query
// (or an earlier result) into the value the tool takes; the inducer detects which one held
// in every run, the executor applies it (docs/learning.md, "Binding by transformation").
import { DURATION_UNITS, durationIn, durationMs, type DurationUnit } from './durations.js';

/**
 * Named transforms; `date:<format>` writes a canonical date in a format of tokens YYYY MM
 * DD HH mm ss (`date_end:<format>` at 23:59:59 of that day when no time was stated,
 * `date_start:<format>` at 00:00:00 of that day even when one was: "on Friday before 12" as
 * the lower bound of a day's search);
 * `shift:<n>d` moves a canonical date by n calendar days (`shift:-14d`, before a `date:`);
 * `prefix:<marks>` puts punctuation marks before the value ("#" + "W5056519");
 * `duration:<unit>` reads a written duration as a number of seconds, minutes, hours or days
 * ("1.5 hour" -> 90 with `duration:minutes`; then `to_string` for "90").
 */
export const VALUE_TRANSFORMS = ['lower', 'upper', 'title', 'strip_punctuation', 'to_number', 'to_string', 'first_name', 'last_name', 'dotted_lower'] as const;
export type NamedTransform = (typeof VALUE_TRANSFORMS)[number];

/** Date formats the inducer recognises in tool arguments (most specific first). */
export const DATE_FORMATS = ['YYYY-MM-DDTHH:mm:ss', 'YYYY-MM-DD HH:mm:ss', 'YYYY-MM-DDTHH:mm', 'YYYY-MM-DD HH:mm', 'YYYY-MM-DD', 'YYYY/MM/DD', 'MM/DD/YYYY', 'DD.MM.YYYY'] as const;

/** A value that a transform cannot take (to_number of "abc"). */
export class TransformError extends Error {
  override name = 'TransformError';
}

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean);
const titleWord = (w: string) => (w.length === 0 ? w : w[0]!.toUpperCase() + w.slice(1).toLowerCase());

/** Local date-time fields, as a canonical slot value holds them ("2023-12-05" or "2023-12-05T15:00:00"). */
interface DateFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  hasTime: boolean;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The canonical text of a date: ISO date, plus the local time when known. */
export function canonicalDate(f: Omit<DateFields, 'hasTime'> & { hasTime: boolean }): string {
  const day = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
  return f.hasTime ? `${day}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}` : day;
}

const TOKEN = /YYYY|MM|DD|HH|mm|ss/g;
const FIELD_OF: Record<string, keyof DateFields> = { YYYY: 'year', MM: 'month', DD: 'day', HH: 'hour', mm: 'minute', ss: 'second' };

// compiled per format: dateFormatOf tries every known format on every date-like value
const FORMAT_REGEX = new Map<string, { re: RegExp; fields: (keyof DateFields)[] }>();
const MAX_FORMAT_REGEX = 256;

function formatRegex(format: string): { re: RegExp; fields: (keyof DateFields)[] } {
  const known = FORMAT_REGEX.get(format);
  if (known) return known;
  const compiled = compileFormat(format);
  if (FORMAT_REGEX.size >= MAX_FORMAT_REGEX) FORMAT_REGEX.clear();
  FORMAT_REGEX.set(format, compiled);
  return compiled;
}

function compileFormat(format: string): { re: RegExp; fields: (keyof DateFields)[] } {
  const fields: (keyof DateFields)[] = [];
  const body = format.split(TOKEN);
  const tokens = format.match(TOKEN) ?? [];
  let src = '^';
  body.forEach((lit, i) => {
    src += lit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const t = tokens[i];
    if (t) {
      fields.push(FIELD_OF[t]!);
      src += t === 'YYYY' ? '(\\d{4})' : '(\\d{2})';
    }
  });
  return { re: new RegExp(`${src}$`), fields };
}

/** The fields of a date written in `format`, or null when it is not written so (or is no real date). */
export function parseDateIn(text: string, format: string): DateFields | null {
  const { re, fields } = formatRegex(format);
  const m = re.exec(text.trim());
  if (!m) return null;
  const f: DateFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, hasTime: /HH/.test(format) };
  fields.forEach((name, i) => {
    (f as unknown as Record<string, number>)[name] = Number(m[i + 1]);
  });
  const d = new Date(Date.UTC(f.year, f.month - 1, f.day));
  if (d.getUTCMonth() !== f.month - 1 || d.getUTCDate() !== f.day || f.hour > 23 || f.minute > 59 || f.second > 59) return null;
  return f;
}

/** The first known format a date-like argument is written in, or null. */
export function dateFormatOf(value: string): string | null {
  return DATE_FORMATS.find((f) => parseDateIn(value, f) !== null) ?? null;
}

/** The fields of a canonical date text ("2023-12-05" or "2023-12-05T15:00:00"). */
export function parseCanonicalDate(text: string): DateFields | null {
  return parseDateIn(text, 'YYYY-MM-DDTHH:mm:ss') ?? parseDateIn(text, 'YYYY-MM-DD');
}

/** A date's fields written in `format` (missing time reads as midnight). */
export function formatDate(f: DateFields, format: string): string {
  const v: Record<string, number> = { YYYY: f.year, MM: f.month, DD: f.day, HH: f.hour, mm: f.minute, ss: f.second };
  return format.replace(TOKEN, (t) => pad(v[t]!, t === 'YYYY' ? 4 : 2));
}

const isDateSpec = (s: string) => s.startsWith('date:') || s.startsWith('date_end:') || s.startsWith('date_start:');

/** Whether a transform spec names a known transform. */
export function isValueTransform(spec: string): boolean {
  return spec.split('|').every((s) => (isDateSpec(s) ? /YYYY/.test(s) && /MM/.test(s) && /DD/.test(s) : (VALUE_TRANSFORMS as readonly string[]).includes(s) || PREFIX.test(s) || SHIFT.test(s) || DURATION.test(s) || ADD_MS.test(s)));
}

/** A date-time moved forward by a length of time (`add_ms:<n>`), written in its own format. */
export const ADD_MS = /^add_ms:(-?\d{1,13})$/;

/** A transform step that moves a date-time by the duration a slot holds (`add_duration:<slot>`); resolved to `add_ms:<n>` per run. */
export const ADD_DURATION = 'add_duration:';

/**
 * `spec` with each `add_duration:<slot>` step replaced by `add_ms:<n>`, n the milliseconds of
 * the duration the slot holds (as written: "1.5 hours"). Throws TransformError when the slot
 * has no value or holds no duration. Other specs are returned as they are.
 */
export function withSlotDurations(spec: string | null | undefined, bindings: Readonly<Record<string, unknown>>): string | null | undefined {
  if (!spec || !spec.includes(ADD_DURATION)) return spec;
  return spec
    .split('|')
    .map((step) => {
      if (!step.startsWith(ADD_DURATION)) return step;
      const slot = step.slice(ADD_DURATION.length);
      const value = bindings[slot];
      const ms = typeof value === 'string' ? durationMs(value) : null;
      if (ms === null) throw new TransformError(`slot "${slot}" holds no duration (${JSON.stringify(value)})`);
      return `add_ms:${Math.round(ms)}`;
    })
    .join('|');
}

/**
 * A date with a time of day, written in any format `dateFormatOf` reads, moved by `ms`
 * milliseconds and written in the same format; null when it is no date with a time.
 * Instants in UTC arithmetic: the fields are wall-clock fields without a zone.
 */
export function addToDateTime(text: string, ms: number): string | null {
  const format = dateFormatOf(text);
  if (!format || !/HH/.test(format)) return null;
  const f = parseDateIn(text, format)!;
  const d = new Date(Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) + ms);
  return formatDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), hasTime: true }, format);
}

const PREFIX = /^prefix:[^\p{L}\p{N}\s|]{1,3}$/u;
const DURATION = new RegExp(`^duration:(${DURATION_UNITS.join('|')})$`);
const SHIFT = /^shift:([-+]?\d{1,4})d$/;

/**
 * A canonical date moved by `days` calendar days, its time of day kept. Calendar fields, not
 * instants: a day across a daylight-saving change is still one day, and month and year ends
 * roll over as the calendar does (2024-02-28 + 1 = 2024-02-29).
 */
export function shiftDate(text: string, days: number): string {
  const shifted = shiftedDate(text, days);
  if (shifted === null) throw new TransformError(`${JSON.stringify(text)} is not an ISO date`);
  return shifted;
}

function shiftedDate(text: string, days: number): string | null {
  const f = parseCanonicalDate(text);
  if (!f) return null;
  const d = new Date(Date.UTC(f.year, f.month - 1, f.day + days));
  return canonicalDate({ ...f, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

/** Calendar days from canonical date `from` to `to` (their days; times of day ignored), or null when either is no date. */
export function daysBetween(from: string, to: string): number | null {
  const a = parseCanonicalDate(from);
  const b = parseCanonicalDate(to);
  if (!a || !b) return null;
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/** Why a transform did not take a value; returned, not thrown, so that a search over transforms builds no exceptions. */
class Refused {
  constructor(readonly reason: string) {}
}

function applyOne(spec: string, value: unknown): unknown {
  const duration = DURATION.exec(spec);
  if (duration) {
    const n = typeof value === 'string' ? durationIn(value, duration[1] as DurationUnit) : null;
    if (n === null) return new Refused(`${JSON.stringify(value)} is not a written duration`);
    return n;
  }
  const add = ADD_MS.exec(spec);
  if (add) {
    const moved = typeof value === 'string' ? addToDateTime(value, Number(add[1])) : null;
    return moved ?? new Refused(`${JSON.stringify(value)} is not a date with a time of day`);
  }
  const shift = SHIFT.exec(spec);
  if (shift) {
    if (typeof value !== 'string') return new Refused(`${JSON.stringify(value)} is not an ISO date`);
    return shiftedDate(value, Number(shift[1])) ?? new Refused(`${JSON.stringify(value)} is not an ISO date`);
  }
  if (isDateSpec(spec)) {
    const fields = typeof value === 'string' ? parseCanonicalDate(value) : null;
    if (!fields) return new Refused(`${JSON.stringify(value)} is not an ISO date`);
    // the end of the day a date names (a search's time_max), unless the query stated a time
    const end = spec.startsWith('date_end:') && !fields.hasTime;
    const start = spec.startsWith('date_start:');
    return formatDate(end ? { ...fields, hour: 23, minute: 59, second: 59 } : start ? { ...fields, hour: 0, minute: 0, second: 0 } : fields, spec.slice(spec.indexOf(':') + 1));
  }
  if (spec === 'to_string') {
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return value;
  }
  if (spec === 'to_number') {
    if (typeof value === 'number') return value;
    const n = typeof value === 'string' && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isNaN(n)) return new Refused(`${JSON.stringify(value)} is not a number`);
    return n;
  }
  if (PREFIX.test(spec)) return `${spec.slice(7)}${String(value)}`;
  if (typeof value !== 'string') {
    if (typeof value === 'number') return applyOne(spec, String(value));
    return new Refused(`${spec} needs text, not ${JSON.stringify(value)}`);
  }
  switch (spec as NamedTransform) {
    case 'lower':
      return value.toLowerCase();
    case 'upper':
      return value.toUpperCase();
    case 'title':
      return words(value).map(titleWord).join(' ');
    case 'strip_punctuation':
      return value.replace(/[^\p{L}\p{N}\s]/gu, '');
    case 'first_name':
      return words(value)[0] ?? value;
    case 'last_name': {
      const w = words(value);
      if (w.length < 2) return new Refused(`${JSON.stringify(value)} has no last name`);
      return w[w.length - 1]!;
    }
    case 'dotted_lower':
      return words(value).join('.').toLowerCase();
    default:
      return new Refused(`unknown transform "${spec}"`);
  }
}

/** `spec` applied step by step, or the first step's refusal. */
function applySteps(spec: string, value: unknown): unknown {
  let v = value;
  for (const s of spec.split('|')) {
    v = applyOne(s, v);
    if (v instanceof Refused) return v;
  }
  return v;
}

/** The value a tool takes from the value as read: `spec` applied (steps joined by `|`, left to right). Throws TransformError. */
export function applyValueTransform(spec: string | null | undefined, value: unknown): unknown {
  if (!spec) return value;
  const out = applySteps(spec, value);
  if (out instanceof Refused) throw new TransformError(out.reason);
  return out;
}

/** What `applyValueTransform` returns in place of throwing when the transform does not take the value. */
export const NOT_TAKEN: unique symbol = Symbol('not taken');

/** `applyValueTransform` for a search over transforms: NOT_TAKEN where it would throw a TransformError. */
export function tryValueTransform(spec: string | null | undefined, value: unknown): unknown {
  if (!spec) return value;
  const out = applySteps(spec, value);
  return out instanceof Refused ? NOT_TAKEN : out;
}

// Tried in order when a value reached a call from an earlier result in another form.
const BETWEEN = ['to_string', 'to_number', 'lower', 'upper', 'strip_punctuation', 'strip_punctuation|lower', 'strip_punctuation|upper'];

/** The simplest transform that turns `from` into `to` (null when they are equal or none does). */
export function transformBetween(from: unknown, to: unknown): string | null {
  if (from === to) return null;
  const marks = typeof to === 'string' ? /^([^\p{L}\p{N}\s|]{1,3})[\p{L}\p{N}]/u.exec(to)?.[1] : undefined;
  for (const t of marks ? [...BETWEEN, `prefix:${marks}`] : BETWEEN) {
    // NOT_TAKEN where this transform does not take the value
    if (tryValueTransform(t, from) === to) return t;
  }
  return null;
}
