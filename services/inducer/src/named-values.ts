// A parameter the agents made up from a word of the query: "make a task for ines" passed
// ines.varga@example.org, a value written neither in the query nor in an earlier result. When
// enough runs passed a value their own query names by a word (@praxis/core named-values), the
// slot keeps the values seen and the router binds the one a new query names.
import { isTokenValue, KNOWN_VALUE_FORM, MAX_KNOWN_VALUES, namedValueIndex, partsNamedBy, type JsonPrimitive } from '@praxis/core';
import type { InducedBody, Instance } from './induce.js';
import type { TrajectorySummary } from './summary.js';

/**
 * The learned values of a slot whose runs passed a value their query names, most passed first;
 * null otherwise. The agreement is counted over the runs whose query names one of the values
 * seen (two at least): a run whose query names none of them says nothing about the relation,
 * and the router binds nothing for such a query; a run whose query names one value while it
 * passed another is evidence against it. Two distinct values at least; values of several words
 * (free text) are never such a slot.
 */
export function namedValueReading(instances: readonly Instance[], values: readonly (JsonPrimitive | undefined)[], agreement: number): { examples: string[] } | null {
  const present = values.flatMap((v, i) => (v === undefined ? [] : [{ value: v, query: instances[i]!.summary.query ?? '' }]));
  if (present.length === 0 || !present.every((p) => isTokenValue(p.value))) return null;
  const distinct = [...new Set(present.map((p) => p.value as string))];
  if (distinct.length < 2) return null;
  const counts = new Map<string, number>();
  const namedBy = namedValueIndex(distinct);
  let naming = 0;
  for (const p of present) {
    const named = namedBy(p.query);
    if (named.length === 0) continue;
    naming++;
    if (named.includes(p.value as string)) counts.set(p.value as string, (counts.get(p.value as string) ?? 0) + 1);
  }
  const named = [...counts.values()].reduce((a, b) => a + b, 0);
  if (naming < 2 || named < agreement * naming) return null;
  return { examples: knownExamples(counts) };
}

/**
 * The examples of a known-value slot: the MAX_KNOWN_VALUES most passed values, in text order,
 * so one more run of a value already known changes no template content (no new version).
 */
function knownExamples(counts: ReadonlyMap<string, number>): string[] {
  const kept = [...counts.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).slice(0, MAX_KNOWN_VALUES).map(([v]) => v);
  return kept.sort().map((v) => JSON.stringify(v));
}

/** Values past runs passed to a tool parameter that their query named, by `tool\u0000path`, with how many calls passed each. */
export type KnownValues = ReadonlyMap<string, ReadonlyMap<string, number>>;

const paramKey = (tool: string, path: string) => `${tool}\u0000${path}`;

/**
 * The agent's named values: every one-token value a call passed that the tool took (status OK)
 * and that the run's query names by a word, in any run of the horizon: a call the tool accepted
 * shows a valid value even when the task failed later for another reason. A template's
 * known-value slot learns the values its own runs passed; the agent's other runs of the same
 * tool parameter add the rest (the same person is assigned in other kinds of tasks), so a name
 * its own runs never met still binds. A value of another tool's parameter of the same name is
 * not pooled: a search takes any text ("ines@example.com" finds nothing and fails nothing).
 */
export function namedValuesByParam(ring: readonly TrajectorySummary[]): KnownValues {
  const out = new Map<string, Map<string, number>>();
  for (const run of ring) {
    for (const [key, value] of namedCallValues(run)) {
      const counts = out.get(key) ?? new Map<string, number>();
      counts.set(value, (counts.get(value) ?? 0) + 1);
      out.set(key, counts);
    }
  }
  return out;
}

// a run's named values are read once: the ring keeps its summaries across re-inductions
const perRun = new WeakMap<TrajectorySummary, readonly (readonly [string, string])[]>();

/** The (tool parameter, value) pairs of a run's calls the tool took whose one-token value the run's query names. */
function namedCallValues(run: TrajectorySummary): readonly (readonly [string, string])[] {
  let found = perRun.get(run);
  if (found) return found;
  const pairs: [string, string][] = [];
  if (run.query) {
    for (const step of run.steps) {
      if (step.status !== 'OK') continue;
      for (const [path, value] of step.values) if (isTokenValue(value) && partsNamedBy(value, run.query).length > 0) pairs.push([paramKey(step.toolName, path), value]);
    }
  }
  found = pairs;
  perRun.set(run, found);
  return found;
}

/**
 * A body whose known-value slots hold, after their own runs' values, the agent's other values
 * of the parameters they feed (most passed first, up to MAX_KNOWN_VALUES); other slots as they are.
 */
export function withKnownValues(body: InducedBody, known: KnownValues): InducedBody {
  if (known.size === 0 || !body.slots.some((s) => s.queryForm === KNOWN_VALUE_FORM)) return body;
  const slots = body.slots.map((slot) => {
    if (slot.queryForm !== KNOWN_VALUE_FORM) return slot;
    const pooled = new Map<string, number>();
    for (const step of body.steps) {
      for (const p of step.params) {
        if (p.kind !== 'SLOT' || p.slotName !== slot.name) continue;
        for (const [v, n] of known.get(paramKey(step.toolName, p.path)) ?? []) pooled.set(v, (pooled.get(v) ?? 0) + n);
      }
    }
    // the template's own values first when the bound cuts
    const own = new Set(slot.examplesJson.map((e) => JSON.parse(e) as string));
    for (const v of own) pooled.set(v, Number.POSITIVE_INFINITY);
    return { ...slot, examplesJson: knownExamples(pooled) };
  });
  return { ...body, slots };
}
