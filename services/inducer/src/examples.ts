// Trigger examples: the past queries the router matches new ones against. The router
// compares phrasings (it masks values), so examples that differ only in their values add
// nothing: cover every phrasing first, then add more of each.
import type { Instance } from './induce.js';
import type { TrajectorySummary } from './summary.js';

/** The query with the values that came from it (QUERY-origin parameters) blanked out: its phrasing. */
export function phrasingOf(summary: TrajectorySummary): string | null {
  if (!summary.query) return null;
  const values = new Set<string>();
  for (const step of summary.steps) {
    for (const d of step.dataflow) {
      if (d.origin !== 'QUERY') continue;
      const v = step.values.get(d.paramPath);
      if (v !== undefined && v !== null && String(v).length > 0) values.add(String(v));
    }
  }
  let text = summary.query;
  for (const v of [...values].sort((a, b) => b.length - a.length)) text = text.split(v).join('\u2026');
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Up to `cap` distinct queries covering as many phrasings as possible: one per phrasing
 * (most common phrasings first), then a second of each, and so on. `instances` come most
 * recent first, so each phrasing is shown by its latest queries. Deterministic.
 */
export function selectTriggerExamples(instances: readonly Instance[], cap: number): string[] {
  const groups = new Map<string, string[]>();
  // Several runs of one query (agents of one task) can blank different values, so one query
  // would read as several phrasings and fill several places: a query belongs to the phrasing
  // of its latest run.
  const claimed = new Set<string>();
  for (const i of instances) {
    const query = i.summary.query;
    const phrasing = phrasingOf(i.summary);
    if (query === null || phrasing === null || claimed.has(query)) continue;
    claimed.add(query);
    const list = groups.get(phrasing) ?? [];
    list.push(query);
    groups.set(phrasing, list);
  }
  const ordered = [...groups].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)).map(([, queries]) => queries);
  const picked: string[] = [];
  for (let round = 0; picked.length < cap && ordered.some((q) => q.length > round); round++) {
    for (const queries of ordered) {
      if (picked.length >= cap) break;
      if (queries[round] !== undefined) picked.push(queries[round]!);
    }
  }
  return picked;
}

/** Examples a slot keeps when its runs' queries show few phrasings. */
export const SLOT_EXAMPLES = 5;
/** At most this many, however many phrasings the runs show. */
export const SLOT_EXAMPLES_MAX = 12;

/**
 * A slot's example values (JSON text), chosen as the trigger examples are: the value of the
 * latest run of each phrasing first (most common phrasings first, then the most recent), then a second of each, up
 * to SLOT_EXAMPLES, or one per phrasing when there are more (at most SLOT_EXAMPLES_MAX). The
 * router places a slot in a new query where the slot's examples sit in the trigger examples
 * (anchors.ts): a phrasing none of whose values is an example gives no place. `perInstance`
 * is the slot's value in each instance (undefined: none). Deterministic.
 */
export function selectSlotExamples(instances: readonly Instance[], perInstance: readonly unknown[]): string[] {
  const groups = new Map<string, string[]>();
  instances.forEach((inst, i) => {
    const value = perInstance[i];
    if (value === undefined || value === null) return;
    const phrasing = phrasingOf(inst.summary) ?? '';
    const list = groups.get(phrasing) ?? [];
    list.push(JSON.stringify(value));
    groups.set(phrasing, list);
  });
  // most common phrasings first, a tie to the phrasing of the more recent run (a Map keeps insertion order; sort is stable)
  const ordered = [...groups.values()].sort((a, b) => b.length - a.length);
  const cap = Math.min(SLOT_EXAMPLES_MAX, Math.max(SLOT_EXAMPLES, ordered.length));
  const picked = new Set<string>();
  for (let round = 0; picked.size < cap && ordered.some((v) => v.length > round); round++) {
    for (const values of ordered) {
      if (picked.size >= cap) break;
      if (values[round] !== undefined) picked.add(values[round]!);
    }
  }
  return [...picked];
}
