// A date-time a call took that no earlier value equals, but that is an earlier result's
// date-time plus a length of time the query writes ("push back my first meeting by 2 hours":
// the new start is the found event's start plus two hours). The segmenter sees both values,
// so it records the link with the transform ADD_QUERY_DURATION; the inducer makes the
// duration a query slot (docs/learning.md, "A date-time plus a duration the query writes").
import { addToDateTime, dateFormatOf, durationMs, durationSpans, selectorWord } from '@praxis/core';
import type { ValueSource } from '@praxis/schemas';
import type { PendingEvent } from './pending.js';

/** The link transform of a value that is an earlier result's date-time plus a duration written in the query. */
export const ADD_QUERY_DURATION = 'add_query_duration';

/** Result leaves looked at per earlier step (bounded work per parameter). */
const MAX_LEAVES_PER_STEP = 500;

/**
 * The earlier results' date-times that, plus a duration the query writes, give `value`
 * (nearest step first, at most `max`). Empty when `value` is no date with a time of day or
 * the query writes no duration. A zero shift is no link (an equal value links as it is).
 */
export function datePlusDurationSources(paramPath: string, value: unknown, query: string | null, earlier: readonly PendingEvent[], max: number): ValueSource[] {
  if (typeof value !== 'string' || query === null || max <= 0) return [];
  const format = dateFormatOf(value);
  if (!format || !/HH/.test(format)) return [];
  const shifts = [...new Set(durationSpans(query).map((d) => durationMs(d.value)).filter((ms): ms is number => ms !== null && ms > 0))];
  if (shifts.length === 0) return [];
  const out: ValueSource[] = [];
  for (let j = earlier.length - 1; j >= 0 && out.length < max; j--) {
    const step = earlier[j]!;
    if (step.status !== 'OK' || !step.resultValues) continue;
    let seen = 0;
    for (const leaves of step.resultValues.values()) {
      for (const leaf of leaves) {
        if (++seen > MAX_LEAVES_PER_STEP || out.length >= max) break;
        if (typeof leaf.value !== 'string' || dateFormatOf(leaf.value) !== format) continue;
        if (!shifts.some((ms) => addToDateTime(leaf.value as string, ms) === value)) continue;
        // (the rules that filter by a word are not read here: a start plus a duration is no element named by a word)
        const select = leaf.select?.filter((rule) => selectorWord(rule) === null);
        out.push({ paramPath, origin: 'STEP_RESULT', stepIndex: j, path: leaf.path, transform: ADD_QUERY_DURATION, ...(select && select.length > 0 ? { select } : {}) });
      }
    }
  }
  return out;
}
