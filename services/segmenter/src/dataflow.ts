// Where a tool call's parameter values came from: the query text, or an earlier step's
// result. The segmenter sees the values, so it detects dataflow; the trajectory only
// carries the links (and result shapes), never the values themselves.
import { leaves, selectorWord, transformBetween } from '@praxis/core';
import type { ValueSource } from '@praxis/schemas';
import { datePlusDurationSources } from './date-plus-duration.js';
import { valueKey, type PendingEvent } from './pending.js';

/** At most this many candidate sources are recorded per parameter (nearest first). */
export const MAX_SOURCES_PER_PARAM = 4;
const MAX_PARAM_LEAVES = 100;

const word = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
const digit = (ch: string | undefined) => ch !== undefined && /\d/.test(ch);

/**
 * Whether `value` is written in `text` as a whole token (case-insensitive for text). A
 * number must not be part of a longer number, date or version ("3" is not in "2026-03-15").
 */
export function occursInText(text: string, value: string | number): boolean {
  const needle = String(value).toLowerCase();
  if (needle.length === 0) return false;
  const hay = text.toLowerCase();
  const numeric = typeof value === 'number';
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
    const before = hay[i - 1];
    const after = hay[i + needle.length];
    if (word(before) || word(after)) continue;
    if (numeric && ((/[-./:,]/.test(before ?? '') && digit(hay[i - 2])) || (/[-./:,]/.test(after ?? '') && digit(hay[i + needle.length + 1])))) continue;
    return true;
  }
  return false;
}

/** Whether a parameter value is distinctive enough to be looked up in the query text. */
function queryCandidate(value: unknown): value is string | number {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.trim().length >= 2;
}

/**
 * The dataflow of one tool step: for each parameter leaf, its candidate sources, the query
 * first, then earlier successful steps nearest first. A value may have several candidates
 * (an id echoed by a lookup); the inducer keeps the one that holds across instances.
 */
export function dataflowOf(params: Record<string, unknown>, query: string | null, earlier: readonly PendingEvent[]): ValueSource[] {
  const out: ValueSource[] = [];
  for (const leaf of leaves(params, MAX_PARAM_LEAVES)) {
    let count = 0;
    if (query !== null && queryCandidate(leaf.value) && occursInText(query, leaf.value)) {
      out.push({ paramPath: leaf.path, origin: 'QUERY', stepIndex: null, path: null });
      count++;
    }
    const key = valueKey(leaf.value);
    if (key === null) continue;
    for (let j = earlier.length - 1; j >= 0 && count < MAX_SOURCES_PER_PARAM; j--) {
      const step = earlier[j]!;
      if (step.status !== 'OK') continue;
      for (const found of step.resultValues?.get(key) ?? []) {
        if (count >= MAX_SOURCES_PER_PARAM) break;
        // the same value in another type, case or punctuation: say how to get from one to the other (no link when nothing does)
        const transform = transformBetween(found.value, leaf.value);
        if (transform === null && found.value !== leaf.value) continue;
        // a rule that filters the elements by a word holds only when the query names that word ("the latest mail from kofi")
        const select = found.select?.filter((rule) => {
          const word = selectorWord(rule);
          return word === null || (query !== null && occursInText(query, word));
        });
        out.push({ paramPath: leaf.path, origin: 'STEP_RESULT', stepIndex: j, path: found.path, transform, ...(select && select.length > 0 ? { select } : {}) });
        count++;
      }
    }
    // a value nothing earlier equals: maybe an earlier date-time plus a duration the query writes
    if (count === 0) out.push(...datePlusDurationSources(leaf.path, leaf.value, query, earlier, MAX_SOURCES_PER_PARAM));
  }
  return out;
}
