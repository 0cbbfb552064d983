// The values a query holds, read the ways people write them: dates in words or relative to
// the task's time ("since November 21", "next Tuesday", "in two weeks", via chrono-node),
// full names ("Amelia Wong"), tokens as written ("#W5056519", "02139"). The inducer reads
// queries with it to detect how a call's value was derived; the router reads new queries
// with the same code, so both sides agree on what a span of a query means.
import * as chrono from 'chrono-node';
import { comparisonSpans } from './comparisons.js';
import { durationSpans } from './durations.js';
import { canonicalDate, shiftDate } from './value-transforms.js';

/**
 * How a slot's value is read from a query: `date` as chrono-node resolves it (the nearest
 * such day), `date_past` the same but a weekday or a day without a year that would fall after
 * the task's day is the one before it ("since Sunday"), `date_daytime` the same as `date` but
 * an hour from 1 to 6 written without am or pm is the afternoon's ("at 3:30" as 15:30, the
 * reading of a meeting's time), `today` not from the text but the
 * task's own day in its zone (a range that ends today), `date_or_today` a date the query
 * writes, else the task's own day (a bound that is "now" unless the query names a day:
 * "cancel my next meeting" and "cancel my first meeting on December 13"), `duration` a
 * length of time as written ("1.5 hour", "half an hour": the `duration:<unit>` transform
 * gives the tool its number), `name`, `token`, `comparison` a number the query compares with
 * ("more than 21" as ">21", comparisons.ts: what a value condition's slot holds).
 */
export type QueryForm = 'date' | 'date_past' | 'date_daytime' | 'today' | 'date_or_today' | 'duration' | 'name' | 'token' | 'comparison';
export const QUERY_FORMS: readonly QueryForm[] = ['date', 'date_past', 'date_daytime', 'today', 'date_or_today', 'duration', 'name', 'token', 'comparison'];

/** A value of the query: its form, the canonical value (ISO date for dates, text as written otherwise), where it is. */
export interface QuerySpan {
  form: QueryForm;
  value: string;
  start: number;
  end: number;
}

/** The task's own time: relative dates are resolved against it, in its time zone (IANA name; UTC by default). */
export interface TaskTime {
  nowMs: number;
  timeZone?: string | null;
}

/** Minutes east of UTC of an IANA zone at an instant (0 for UTC or an unknown zone). */
export function zoneOffsetMinutes(timeZone: string | null | undefined, atMs: number): number {
  if (!timeZone || timeZone === 'UTC') return 0;
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(atMs));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
    return Math.round((local - Math.floor(atMs / 1000) * 1000) / 60_000);
  } catch {
    return 0;
  }
}

/** Whether a text names an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The task's own day (its reference time's calendar day in its zone), as an ISO date. */
export function referenceDay(time: TaskTime): string {
  const local = new Date(time.nowMs + zoneOffsetMinutes(time.timeZone, time.nowMs) * 60_000);
  return canonicalDate({ year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: 0, minute: 0, second: 0, hasTime: false });
}

/**
 * Dates in the query (chrono-node), as canonical ISO dates; with the time when the query
 * states one. `past`: a date the text leaves open (a weekday alone, a day without a year)
 * that chrono puts after the task's day is taken a week (a year) earlier, as "since Sunday"
 * or "since December 5" mean. `daytime`: an hour from 1 to 6 with no am or pm is the afternoon's.
 */
export function dateSpans(query: string, time: TaskTime, past = false, daytime = false): QuerySpan[] {
  const ref = { instant: new Date(time.nowMs), timezone: zoneOffsetMinutes(time.timeZone, time.nowMs) };
  const today = past ? referenceDay(time) : '';
  const parsed = chrono.parse(query, ref);
  const spans = parsed.map((r) => {
    const s = r.start;
    const hasTime = s.isCertain('hour');
    const hour = s.get('hour') ?? 0;
    const afternoon = daytime && hasTime && !s.isCertain('meridiem') && hour >= 1 && hour <= 6;
    let value = canonicalDate({ year: s.get('year')!, month: s.get('month')!, day: s.get('day')!, hour: afternoon ? hour + 12 : hour, minute: s.get('minute') ?? 0, second: s.get('second') ?? 0, hasTime });
    if (past && value.slice(0, 10) > today) {
      if (s.isCertain('weekday') && !s.isCertain('day')) value = shiftDate(value, -7);
      else if (s.isCertain('day') && !s.isCertain('year')) value = `${String(Number(value.slice(0, 4)) - 1).padStart(4, '0')}${value.slice(4)}`;
    }
    return { form: past ? ('date_past' as const) : daytime ? ('date_daytime' as const) : ('date' as const), value, start: r.index, end: r.index + r.text.length };
  });
  // a time stated apart from its day ("at 10:30 for December 8", "at 12 with the sender for
  // December 11"): also that day at that time, with the nearest day-only date, read first
  const timeOnly = (i: number) => parsed[i]!.start.isCertain('hour') && !parsed[i]!.start.isCertain('day') && !parsed[i]!.start.isCertain('weekday');
  const dayOnly = (i: number) => !parsed[i]!.start.isCertain('hour') && (parsed[i]!.start.isCertain('day') || parsed[i]!.start.isCertain('weekday'));
  const out: QuerySpan[] = [];
  spans.forEach((span, i) => {
    if (timeOnly(i)) {
      const days = spans.map((d, j) => ({ d, j })).filter(({ j }) => dayOnly(j));
      const gap = (d: QuerySpan) => (d.start >= span.end ? d.start - span.end : span.start - d.end);
      const nearest = days.sort((a, b) => gap(a.d) - gap(b.d))[0];
      if (nearest) out.push({ ...span, value: `${nearest.d.value.slice(0, 10)}${span.value.slice(10)}`, start: Math.min(span.start, nearest.d.start), end: Math.max(span.end, nearest.d.end) });
    }
    out.push(span);
  });
  return out.sort((a, b) => a.start - b.start);
}

// Two or three capitalised words in a row (a first and last name, maybe a middle one).
const NAME = /\b\p{Lu}[\p{Ll}'’-]+(?:\s+\p{Lu}[\p{Ll}'’-]+){1,2}\b/gu;

/**
 * Full names: runs of two or three capitalised words. A run that opens a sentence may start
 * with a capitalised verb ("Meet Carlos Rodriguez"), so it also gives the run without its
 * first word, right after it.
 */
export function nameSpans(query: string): QuerySpan[] {
  const out: QuerySpan[] = [];
  for (const m of query.matchAll(NAME)) {
    const start = m.index!;
    out.push({ form: 'name', value: m[0], start, end: start + m[0].length });
    const opensSentence = /(^|[.!?]\s+)$/.test(query.slice(0, start));
    const rest = /^\S+\s+/.exec(m[0])!;
    if (opensSentence && m[0].split(/\s+/).length === 3) out.push({ form: 'name', value: m[0].slice(rest[0].length), start: start + rest[0].length, end: start + m[0].length });
  }
  return out;
}

// A token keeps its inner punctuation and a leading sign (#, @, $); sentence punctuation and quotes around it are not part of it.
const TOKEN = /[^\s]+/g;
const LEADING = /^["'“‘(<[{]+/;
const TRAILING = /["'”’)>\]},.;:!?]+$/;

/** Whitespace-separated tokens with quotes, brackets and sentence punctuation around them removed. */
export function tokenSpans(query: string): QuerySpan[] {
  const out: QuerySpan[] = [];
  for (const m of query.matchAll(TOKEN)) {
    const lead = LEADING.exec(m[0])?.[0].length ?? 0;
    const inner = m[0].slice(lead).replace(TRAILING, '');
    if (inner.length === 0) continue;
    const start = m.index! + lead;
    out.push({ form: 'token', value: inner, start, end: start + inner.length });
  }
  return out;
}

/** Every span of one form in the query, in reading order. */
export function querySpans(query: string, form: QueryForm, time: TaskTime): QuerySpan[] {
  if (form === 'date' || form === 'date_past' || form === 'date_daytime') return dateSpans(query, time, form === 'date_past', form === 'date_daytime');
  // not a span of the text: the task's own day, the same for every query of that time
  if (form === 'today') return [{ form, value: referenceDay(time), start: 0, end: 0 }];
  if (form === 'date_or_today') {
    const dates = dateSpans(query, time).map((d) => ({ ...d, form }));
    return dates.length > 0 ? dates : [{ form, value: referenceDay(time), start: 0, end: 0 }];
  }
  if (form === 'duration') return durationSpans(query).map((d) => ({ ...d, form }));
  if (form === 'name') return nameSpans(query);
  if (form === 'comparison') return comparisonSpans(query).map((c) => ({ ...c, form }));
  return tokenSpans(query);
}
