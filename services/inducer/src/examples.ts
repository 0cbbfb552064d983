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
