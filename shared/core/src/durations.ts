// Durations as people write them ("a 1.5 hour event", "30 minutes", "half an hour", "1 hour
// and 30 minutes") and as tools take them (a number of minutes, "90"). The query form
// `duration` finds the spans; the transform `duration:<unit>` reads one as a number of that
// unit (parse-duration does the arithmetic; the spans and the number words are ours).
import parseDuration from 'parse-duration';

/** The units a `duration:<unit>` transform writes a duration in. */
export const DURATION_UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

const PARSE_UNIT: Record<DurationUnit, 's' | 'm' | 'h' | 'd'> = { seconds: 's', minutes: 'm', hours: 'h', days: 'd' };

// Number words that open a written duration; "half an hour" and "an hour and a half" are read by HALF below.
const WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, fifteen: 15, twenty: 20, thirty: 30, forty: 40, 'forty-five': 45, sixty: 60, ninety: 90 };
const NUMBER = `(?:\\d+(?:\\.\\d+)?|${Object.keys(WORDS).sort((a, b) => b.length - a.length).join('|')})`;
const UNIT = '(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)';
const PART = `${NUMBER}[\\s-]*${UNIT}`;
// one or more parts ("1 hour and 30 minutes", "2 hours 15 min"), or "half an hour", with "and a half" after a part
const DURATION = `(?:half an? hour|${PART}(?:(?:\\s*,?\\s*(?:and\\s+)?)${PART})*(?:\\s+and\\s+a\\s+half)?)`;
const SPAN = new RegExp(`\\b${DURATION}\\b`, 'giu');
// compiled once: durationMs runs for every span and unit the inducer's binding search tries
const WHOLE = new RegExp(`^${DURATION}$`, 'iu');
const NUMBER_WORD = new RegExp(`\\b(${Object.keys(WORDS).join('|')})\\b(?=[\\s-]*${UNIT})`, 'giu');
const LAST_UNIT = new RegExp(`${UNIT}$`, 'iu');

/** A written duration in a query: the text as written and where it is. */
export interface DurationSpan {
  value: string;
  start: number;
  end: number;
}

/** Every written duration in the query, in reading order. */
export function durationSpans(query: string): DurationSpan[] {
  const out: DurationSpan[] = [];
  for (const m of query.matchAll(SPAN)) out.push({ value: m[0], start: m.index!, end: m.index! + m[0].length });
  return out;
}

/** Milliseconds of a written duration, or null when it is not one. */
export function durationMs(text: string): number | null {
  let t = text.trim().toLowerCase();
  if (!WHOLE.test(t)) return null;
  let extra = 0;
  if (/^half an? hour$/.test(t)) return 30 * 60_000;
  const half = /\s+and\s+a\s+half$/.exec(t);
  if (half) t = t.slice(0, half.index);
  t = t.replace(NUMBER_WORD, (w) => String(WORDS[w.toLowerCase()]));
  t = t.replace(/\band\b|,/g, ' ').replace(/(\d)-(?=\p{L})/gu, '$1 ');
  const ms = parseDuration(t);
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return null;
  // "an hour and a half": half of the last part's unit
  if (half) {
    const last = LAST_UNIT.exec(t)?.[0] ?? '';
    extra = (parseDuration(`1 ${last}`) ?? 0) / 2;
  }
  return ms + extra;
}

/** A written duration as a number of `unit` (rounded to 3 decimals), or null. */
export function durationIn(text: string, unit: DurationUnit): number | null {
  const ms = durationMs(text);
  if (ms === null) return null;
  const per = parseDuration(`1${PARSE_UNIT[unit]}`)!;
  return Math.round((ms / per) * 1000) / 1000;
}
