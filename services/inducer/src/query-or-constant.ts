// A value the query gives when it names one, else the value every other run passed: "move X's
// tasks that are in review" searched the status the query wrote, "move X's unfinished tasks"
// searched one status the agents chose without the query naming it. Neither reading alone has
// the binding agreement when one kind pools both; together they explain every run
// (docs/learning.md, "Binding: durations, times of day, ...", rule 6).
import { stableStringify, type JsonPrimitive } from '@praxis/core';
import type { Instance } from './induce.js';

/** A QUERY slot whose schema default is `fallback`: the router binds the default when the query has no value for it. */
export interface QueryOrConstant {
  fallback: JsonPrimitive;
}

/** Fewest distinct tasks each reading must come from: one task's runs all share its values. */
export const QUERY_OR_CONSTANT_MIN_TASKS = 2;

const words = (s: string) => ` ${s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;

/**
 * Step `k`'s parameter `path` read from the query in the runs whose call took it from there (a
 * QUERY dataflow link), and one constant in every other run that passed it, a constant those
 * runs' queries do not write (else it would be their query's value). Each side from at least
 * `QUERY_OR_CONSTANT_MIN_TASKS` distinct tasks; null otherwise.
 */
export function queryOrConstantReading(instances: readonly Instance[], k: number, path: string, values: readonly (JsonPrimitive | undefined)[]): QueryOrConstant | null {
  const fromQuery = new Set<string>();
  const fromConstant = new Set<string>();
  let constant: string | undefined;
  let fallback: JsonPrimitive | undefined;
  for (let i = 0; i < instances.length; i++) {
    const value = values[i];
    const inst = instances[i]!;
    if (value === undefined || inst.at[k]! < 0) continue;
    const step = inst.summary.steps[inst.at[k]!]!;
    if (step.dataflow.some((d) => d.paramPath === path && d.origin === 'QUERY')) {
      fromQuery.add(inst.summary.taskKey);
      continue;
    }
    const key = stableStringify(value);
    if (constant !== undefined && key !== constant) return null;
    // a constant that the run's own query writes is that query's value, not one chosen without it
    if (typeof value === 'string' && words(inst.summary.query ?? '').includes(words(value))) return null;
    constant = key;
    fallback = value;
    fromConstant.add(inst.summary.taskKey);
  }
  if (fallback === undefined || fromQuery.size < QUERY_OR_CONSTANT_MIN_TASKS || fromConstant.size < QUERY_OR_CONSTANT_MIN_TASKS) return null;
  return { fallback };
}
