// Templates per task kind (docs/learning.md, "Sub-kinds: one template per way of doing a
// kind"). One agent does several tasks with the same calls: a kind then pools tasks whose
// constants, bindings and element rules disagree, no value reaches the agreement induction
// needs, and the template stops on unbound slots. Within a kind, the successful runs are split
// into sub-kinds by a parameter no source binds that takes a few recurring values (or by where
// a parameter's value comes from), when the split describes the runs' parameters in fewer
// bits than the pooled kind does, the extra templates and the choice between them included.
// Pure and deterministic.
import { deterministicId, elementRules, keyedId, stableStringify, withSelectorWord } from '@praxis/core';
import { readingsFromOwnQuery } from './binding.js';
import { oneValuePerSession, type Instance } from './induce.js';
import type { StructureStep } from './kinds.js';

/** A parameter of a structure step: where a value sits in the calls of every instance. */
interface Feature {
  step: number;
  path: string;
}

/** One instance as the partition sees it: per feature, its value (ABSENT when not passed) and the sources the dataflow gives it. */
interface Row {
  inst: Instance;
  values: string[];
  sources: Set<string>[];
  /** Per feature: how the value is read from a span of the run's own query through a transform (binding.ts), null when it is not. */
  read: (string | null)[];
  /** Per structure step: its calls in this run (loop iterations). */
  calls: number[];
  /** Per structure step: its one call took one element of several of an earlier result (an element rule, but not `last`). */
  oneOfMany: boolean[];
}

/** A sub-kind: its instances (failed ones included) and the parameter values that define it (null: the kind was not split). */
export interface SubKind {
  instances: Instance[];
  variant: string | null;
}

export interface PartitionOptions {
  /** Successful runs each value of a splitting parameter needs (the kinds' minSupport). */
  minSupport: number;
  /** Distinct tools of the horizon (the cost of naming a step, as in chooseStructure). */
  toolCount: number;
  /** How many nested splits at most. */
  maxDepth?: number;
  /** The zone the runs' relative dates were meant in (the policy's timeZone; UTC when null or unset). */
  timeZone?: string | null;
}

const ABSENT = '\u0000absent';
/** Bits to write a value verbatim (8 per character of its JSON); an absent parameter costs its one presence bit. */
const literalBits = (v: string) => (v === ABSENT ? 1 : 8 * v.length);

const featuresOf = (structure: readonly StructureStep[], instances: readonly Instance[]): Feature[] => {
  const out = new Map<string, Feature>();
  structure.forEach((_, k) => {
    for (const inst of instances) {
      if (inst.at[k]! < 0) continue;
      for (const path of inst.summary.steps[inst.at[k]!]!.values.keys()) out.set(`${k}\u0000${path}`, { step: k, path });
    }
  });
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => f);
};

/**
 * Source keys of a parameter in one call, as the dataflow recorded them: the query, or an
 * earlier step's result by tool and path (and by element rule). Readings through a transform
 * (binding.ts) are not counted: measured on real traffic, counting them hid the splits that
 * separate tasks whose dates are read differently (docs/learning.md, "Sub-kinds").
 */
function sourceKeys(inst: Instance, k: number, path: string): Set<string> {
  const out = new Set<string>();
  const step = inst.summary.steps[inst.at[k]!]!;
  for (const s of step.dataflow) {
    if (s.paramPath !== path) continue;
    if (s.origin === 'QUERY') out.add(`Q\u0000${s.transform ?? ''}`);
    else if (s.stepIndex !== null && s.path !== null) {
      const tool = inst.summary.steps[s.stepIndex]?.toolName ?? '?';
      out.add(`S\u0000${tool}\u0000${s.path}\u0000${s.transform ?? ''}`);
      // a rule that filters by a word keys as the rule, not as the run's word (every run names its own)
      for (const rule of elementRules(s.select)) out.add(`R\u0000${tool}\u0000${withSelectorWord(rule, '')}\u0000${s.transform ?? ''}`);
    }
  }
  return out;
}

function rowOf(inst: Instance, features: readonly Feature[], timeZone: string | null): Row {
  const values: string[] = [];
  const sources: Set<string>[] = [];
  const read: (string | null)[] = [];
  for (const f of features) {
    const present = inst.at[f.step]! >= 0 ? inst.summary.steps[inst.at[f.step]!]!.values.get(f.path) : undefined;
    values.push(present === undefined ? ABSENT : stableStringify(present));
    sources.push(present === undefined ? new Set() : sourceKeys(inst, f.step, f.path));
    // only a value with no source can key a split by value (splitBy): the others need no reading
    read.push(present !== undefined && sources.at(-1)!.size === 0 && (typeof present === 'string' || typeof present === 'number') ? readingsFromOwnQuery(inst, present, timeZone) : null);
  }
  const calls = inst.at.map((p, k) => (p < 0 ? 0 : inst.iters[k]!.length));
  const oneOfMany = inst.at.map((p, k) => p >= 0 && inst.iters[k]!.length === 1 && inst.summary.steps[p]!.dataflow.some((d) => elementRules(d.select).length > 0 && !d.select!.includes('last')));
  return { inst, values, sources, read, calls, oneOfMany };
}

/**
 * The bits a parameter's values cost in a set of runs under the cheapest of: a constant (the
 * value once, the other runs' values verbatim), a source (which of the sources its runs
 * have, verbatim where that source does not give the value), or a slot filled per run
 * (every value verbatim).
 */
function parameterBits(rows: readonly Row[], f: number): number {
  const counts = new Map<string, number>();
  const byValue = new Map<string, number>();
  let free = 0;
  for (const r of rows) {
    const v = r.values[f]!;
    free += literalBits(v);
    byValue.set(v, (byValue.get(v) ?? 0) + 1);
    for (const s of r.sources[f]!) counts.set(s, (counts.get(s) ?? 0) + literalBits(v));
  }
  let best = free;
  for (const [v, n] of byValue) best = Math.min(best, literalBits(v) + free - n * literalBits(v));
  // naming a source: which of the sources this parameter's runs have (the path is the result's own)
  const sourceBits = 1 + Math.log2(1 + counts.size);
  for (const saved of counts.values()) best = Math.min(best, sourceBits + free - saved);
  return best;
}

/**
 * The bits of the calls a loop does not predict: a group whose runs call a repeated step
 * more than once keeps the loop, which calls it for every element of the result it goes
 * over; a run whose one call took one element of several ("delete my last email" among "delete
 * all my emails from ...") is then an exception, its values written out. A group none of whose
 * runs repeats the step has no loop there, and no exception.
 */
function loopExceptionBits(rows: readonly Row[], loopSteps: readonly number[], features: readonly Feature[]): number {
  let bits = 0;
  for (const k of loopSteps) {
    if (!rows.some((r) => r.calls[k]! > 1)) continue;
    for (const r of rows) {
      if (!r.oneOfMany[k]) continue;
      for (let f = 0; f < features.length; f++) if (features[f]!.step === k) bits += literalBits(r.values[f]!);
    }
  }
  return bits;
}

const groupBits = (rows: readonly Row[], features: readonly Feature[], loopSteps: readonly number[]) => {
  let bits = loopExceptionBits(rows, loopSteps, features);
  for (let f = 0; f < features.length; f++) bits += parameterBits(rows, f);
  return bits;
};

/** Bits to say which group each run is in: n times the entropy of the group sizes. */
const labelBits = (sizes: readonly number[]) => {
  const n = sizes.reduce((a, b) => a + b, 0);
  return sizes.reduce((bits, s) => (s === 0 ? bits : bits - s * Math.log2(s / n)), 0);
};

/** What a split groups runs by: a parameter's value, or where its value came from (the set of its sources). */
type SplitMode = 'value' | 'source';
const SPLIT_MODES: readonly SplitMode[] = ['value', 'source'];

interface Split {
  feature: number;
  mode: SplitMode;
  /** The defining keys (values or source sets), one group each, in a fixed order. */
  values: string[];
  groups: Row[][];
  bits: number;
}

const NO_SOURCE = '\u0000none';
/**
 * A value split's key for a value read from the run's own query: how it is read, not the
 * value. Two tasks about the same day pass the same date, and split by it the runs grouped by
 * day, not by what they do (a rename and a postponement of events on December 4 in one
 * sub-kind); the end of the day a query names and the time it states are two ways.
 */
const QUERY_READ = '\u0000query:';
/**
 * A source split's key for a value with no recorded source that its run's own query gives
 * through a transform: the query, as for a value written verbatim. "30 minute" passed as `30`
 * is in the query; "1.5 hour" passed as `90` is read from it; both runs take the length from
 * the query, and split by that difference they made two sub-kinds of one task type (the one of
 * "30 minute" pooled with another task's runs, its bindings then agreeing on nothing).
 */
const QUERY_SOURCE = 'Q\u0000';
/**
 * Whether a value's readings (readingsFromOwnQuery: `form:transform` keys joined by `|`) read
 * the text alone (`duration`, `name`, `token`). A date's form also needs the task's day, and
 * "the date the query names" vs "today" is what source splits of dates separate.
 */
const readFromTextAlone = (read: string | null) => read !== null && !/(^|\|)(date|date_past|date_daytime|today|date_or_today):/.test(read);
const sourceKeyOf = (r: Row, f: number) => (r.sources[f]!.size > 0 ? [...r.sources[f]!].sort().join('\u0001') : readFromTextAlone(r.read[f] ?? null) ? QUERY_SOURCE : NO_SOURCE);
/** A run's key for a split: the parameter's value (how it is read when read from its query), or its sources (sorted; the query when read from it, NO_SOURCE when it has none, ABSENT when not passed). */
const keyOf = (r: Row, f: number, mode: SplitMode) => (mode === 'value' && r.read[f] !== null ? QUERY_READ + r.read[f] : mode === 'value' || r.values[f] === ABSENT ? r.values[f]! : sourceKeyOf(r, f));

/** How many parameters two runs pass the same value for. */
const agreement = (a: Row, b: Row) => a.values.reduce((n, v, f) => n + (v === b.values[f] ? 1 : 0), 0);

/**
 * Which group a run that defines none of them joins (a failed run, or a successful run with a
 * key too rare to make a group): the one with its key of the split, else the one holding a
 * successful run of its task, else the one whose runs pass most of its values (per run),
 * then the larger, then the first.
 */
function homeOf(row: Row, split: Pick<Split, 'feature' | 'mode' | 'values'>, groups: readonly Row[][]): number {
  const byKey = split.values.indexOf(keyOf(row, split.feature, split.mode));
  if (byKey >= 0) return byKey;
  const byTask = groups.findIndex((g) => g.some((r) => r.inst.summary.success && r.inst.summary.taskKey === row.inst.summary.taskKey));
  if (byTask >= 0) return byTask;
  let best = 0;
  let bestScore = -1;
  groups.forEach((g, i) => {
    const score = g.reduce((n, r) => n + agreement(row, r), 0) / g.length;
    if (score > bestScore || (score === bestScore && g.length > groups[best]!.length)) [best, bestScore] = [i, score];
  });
  return best;
}

/** Whether a parameter's values are the caller's (induce.ts): a user who signs their actions is no task type. */
const perSession = (rows: readonly Row[], f: number) =>
  oneValuePerSession(
    rows.map((r) => r.inst),
    rows.map((r) => (r.values[f] === ABSENT ? undefined : r.values[f])),
  );

/**
 * The split of the successful runs by one parameter, or null when it is no candidate. By
 * value: the parameter takes at least two values that the dataflow finds in no source (not
 * in the query, not in an earlier result, in most runs carrying them; "absent" counts as a
 * value), and they are not a caller's (perSession). By source: at least two different sets
 * of sources (a binding that holds within groups but not across). Each group's key in at
 * least minSupport runs of at least two tasks.
 */
function splitBy(rows: readonly Row[], f: number, mode: SplitMode, minSupport: number): Omit<Split, 'bits'> | null {
  const carriers = new Map<string, Row[]>();
  for (const r of rows) {
    const k = keyOf(r, f, mode);
    carriers.set(k, [...(carriers.get(k) ?? []), r]);
  }
  const unsourced = (v: string, rs: readonly Row[]) => mode === 'source' || v === ABSENT || v.startsWith(QUERY_READ) || rs.filter((r) => r.sources[f]!.size === 0).length * 2 > rs.length;
  const values = [...carriers.entries()]
    .filter(([v, rs]) => rs.length >= minSupport && new Set(rs.map((r) => r.inst.summary.taskKey)).size >= 2 && unsourced(v, rs))
    .sort(([va, a], [vb, b]) => b.length - a.length || (va < vb ? -1 : 1))
    .map(([v]) => v);
  if (values.length < 2) return null;
  if (mode === 'value' && perSession(rows, f)) return null;
  if (mode === 'source' && values.every((v) => v === ABSENT || v === NO_SOURCE)) return null;
  const groups: Row[][] = values.map((v) => [...carriers.get(v)!]);
  for (const r of rows) if (!values.includes(keyOf(r, f, mode))) groups[homeOf(r, { feature: f, mode, values }, groups)]!.push(r);
  return { feature: f, mode, values, groups };
}

const describe = (feature: Feature, mode: SplitMode, key: string) =>
  `${feature.step}.${feature.path}${mode === 'source' ? '<-' : '='}${key === ABSENT ? 'absent' : key.startsWith(QUERY_READ) ? `query(${key.slice(QUERY_READ.length)})` : key === NO_SOURCE ? 'none' : key.replace(/\u0000/g, ':').replace(/\u0001/g, '|')}`;

/**
 * The sub-kinds of a kind: its successful runs split, level by level, by the candidate
 * parameter whose split saves the most bits,
 *   sum over groups of L(parameters | group) + (groups - 1) * L(template) + n * H(groups)
 *     <  L(parameters | kind),
 * where L(template) = steps * log2(tools + 1) + one bit per parameter (the extra template's
 * structure and parameter kinds). Failed runs join a sub-kind as homeOf says. A kind no split
 * explains better comes back whole (variant null).
 */
export function partitionKind(structure: readonly StructureStep[], instances: readonly Instance[], options: PartitionOptions): SubKind[] {
  const features = featuresOf(structure, instances);
  const rows = instances.map((inst) => rowOf(inst, features, options.timeZone ?? null));
  const successful = rows.filter((r) => r.inst.summary.success);
  const failed = rows.filter((r) => !r.inst.summary.success);
  const templateBits = structure.length * Math.log2(options.toolCount + 1) + features.length;
  const maxDepth = options.maxDepth ?? 3;
  const loopSteps = structure.flatMap((step, k) => (step.repeated ? [k] : []));

  interface Node {
    rows: Row[];
    variant: string[];
    split?: Split;
    children?: Node[];
  }
  const grow = (node: Node, depth: number): void => {
    if (depth >= maxDepth) return;
    const pooled = groupBits(node.rows, features, loopSteps);
    let best: Split | null = null;
    for (let f = 0; f < features.length; f++) {
      for (const mode of SPLIT_MODES) {
        const s = splitBy(node.rows, f, mode, options.minSupport);
        if (!s) continue;
        const bits = s.groups.reduce((b, g) => b + groupBits(g, features, loopSteps), 0) + (s.groups.length - 1) * templateBits + labelBits(s.groups.map((g) => g.length));
        if (bits < pooled && (!best || bits < best.bits)) best = { ...s, bits };
      }
    }
    if (!best) return;
    node.split = best;
    node.children = best.groups.map((g, i) => ({ rows: g, variant: [...node.variant, describe(features[best.feature]!, best.mode, best.values[i]!)] }));
    for (const c of node.children) grow(c, depth + 1);
  };
  const root: Node = { rows: successful, variant: [] };
  grow(root, 0);
  if (!root.children) return [{ instances: [...instances], variant: null }];

  // failed runs go down the same splits
  const place = (row: Row, node: Node) => {
    if (!node.split || !node.children) {
      node.rows.push(row);
      return;
    }
    const i = homeOf(
      row,
      node.split,
      node.children.map((c) => c.rows),
    );
    place(row, node.children[i]!);
  };
  const leaves: Node[] = [];
  const collect = (node: Node) => (node.children ? node.children.forEach(collect) : leaves.push(node));
  collect(root);
  for (const r of failed) place(r, root);
  const order = new Map(instances.map((inst, i) => [inst, i]));
  return leaves.map((leaf) => ({
    instances: leaf.rows.map((r) => r.inst).sort((a, b) => order.get(a)! - order.get(b)!),
    variant: leaf.variant.join('&'),
  }));
}

/** The id of a sub-kind's template: the kind's tenant, agent and signature with the values that define it (keyed like learnedTemplateId). */
export function subKindTemplateId(tenantId: string, agentId: string, signature: readonly string[], variant: string, key?: string): string {
  return key ? keyedId('tpl', key, tenantId, agentId, signature.join('>'), 'variant', variant) : deterministicId('tpl', tenantId, agentId, signature.join('>'), 'variant', variant);
}
