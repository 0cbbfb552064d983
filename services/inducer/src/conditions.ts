// Conditional steps (docs/learning.md, "Conditional steps"): two task kinds that are one
// structure with and without a tail of calls (or with one tail or another), where what an
// earlier call returned decides which. Agents that found nothing went on to act ("if X has not
// written, book a meeting"), agents that found something stopped, or did something else
// ("otherwise e-mail them"). Each kind alone has the support of its branch only, and a template
// of one branch always (or never) acts; the merged structure has the tail as optional steps
// with a condition on the earlier result that the executor checks.
import { hasElements } from '@praxis/core';
import type { StepCondition } from '@praxis/schemas';
import type { Instance } from './induce.js';
import type { StructureStep } from './kinds.js';
import type { InstanceStep } from './summary.js';

/** A structure step that may carry a learned condition (optional steps only). */
export interface ConditionalStep extends StructureStep {
  condition?: StepCondition | null;
}

/** A kind's structure and instances, as learnKinds gives them. */
export interface KindForConditions {
  structure: ConditionalStep[];
  instances: Instance[];
}

/**
 * Share of the successful runs of both kinds whose branch the condition predicts, below which
 * no condition is learned: the property must separate the runs, not merely lean one way.
 */
export const CONDITION_AGREEMENT = 0.9;
/**
 * Distinct tasks each branch needs among its successful runs that agree with the condition:
 * several agents' runs of one task are one piece of evidence (docs/learning.md, "Evidence
 * counted by task"), and one task is no pattern.
 */
export const MIN_BRANCH_TASKS = 2;
/**
 * Share of the successful runs of both kinds whose query writes a comparison (and whose result
 * has numbers), below which no value condition is learned. Only those runs can agree or
 * disagree with a value condition: a run of a task that compares nothing is of another task
 * type, which the template's comparison slot will not bind for (its queries stop unbound).
 */
export const VALUE_EVIDENCE_SHARE = 0.5;

/** A learned condition: the branch-B tail runs when step `step`'s result at `path` has elements (`has`). */
export interface LearnedCondition {
  step: number;
  path: string;
  has: 'elements' | 'none';
  /** A value condition: `has` "elements" then means some (all) numbers there satisfy the query's first comparison, "none" that they do not. */
  quantifier?: 'some' | 'all';
  /** Successful runs whose branch the condition predicts, of all the successful runs of both kinds. */
  agreeing: number;
  runs: number;
  /** Learned with the runs of kinds in the same role (pooledValueCondition): only B's tail gets it, A stays its own kind. */
  pooled?: boolean;
}

/**
 * The "has elements" property of a structure step's result in an instance, by result path ("" the
 * whole result, else a top-level field), read from the recorded result shape (values are not
 * kept; hasElements reads a shape as it reads the value). Empty when the step was not made or has
 * no recorded result.
 */
export function resultFeatures(inst: Instance, k: number): ReadonlyMap<string, boolean> {
  const calls = inst.iters[k] ?? [];
  const at = calls[calls.length - 1];
  const step = at === undefined || at < 0 ? undefined : inst.summary.steps[at];
  if (!step) return NO_FEATURES;
  let out = featuresByStep.get(step);
  if (!out) {
    out = shapeFeatures(step);
    featuresByStep.set(step, out);
  }
  return out;
}

const NO_FEATURES: ReadonlyMap<string, boolean> = new Map();
/** The slot a value condition reads its comparison from (the query's first, read as the `comparison` query form). */
export const COMPARISON_SLOT = 'comparison';
// a value feature's key: quantifier and path after a mark no result path starts with
const VALUE_MARK = '\u0001';
const valueKey = (quantifier: 'some' | 'all', path: string) => `${VALUE_MARK}${quantifier}${VALUE_MARK}${path}`;
const readValueKey = (key: string): { quantifier: 'some' | 'all'; path: string } | null => {
  if (!key.startsWith(VALUE_MARK)) return null;
  const [, quantifier, path] = key.split(VALUE_MARK) as [string, 'some' | 'all', string];
  return { quantifier, path };
};
// a step's features are read for every pair of kinds it may join: parsed once per step
const featuresByStep = new WeakMap<InstanceStep, ReadonlyMap<string, boolean>>();

function shapeFeatures(step: InstanceStep): ReadonlyMap<string, boolean> {
  const out = new Map<string, boolean>();
  if (step.status !== 'OK') return out;
  valueFeatures(step, out);
  if (!step.resultShapeJson) return out;
  let shape: unknown;
  try {
    shape = JSON.parse(step.resultShapeJson);
  } catch {
    return out;
  }
  out.set('', hasElements(shape));
  if (shape !== null && typeof shape === 'object' && !Array.isArray(shape)) {
    for (const [key, sub] of Object.entries(shape as Record<string, unknown>)) if (!key.includes('.')) out.set(key, hasElements(sub));
  }
  return out;
}

/** Whether some / all of the result's numbers satisfy the query's first comparison, by path (recorded by the segmenter: resultComparisonsJson). */
function valueFeatures(step: InstanceStep, out: Map<string, boolean>): void {
  if (!step.resultComparisonsJson) return;
  let facts: unknown;
  try {
    facts = JSON.parse(step.resultComparisonsJson);
  } catch {
    return;
  }
  if (!Array.isArray(facts)) return;
  for (const f of facts as { comparison?: unknown; path?: unknown; some?: unknown; all?: unknown }[]) {
    if (f.comparison !== 0 || typeof f.path !== 'string' || typeof f.some !== 'boolean' || typeof f.all !== 'boolean') continue;
    out.set(valueKey('some', f.path), f.some);
    out.set(valueKey('all', f.path), f.all);
  }
}

/**
 * The condition on a result of the first `prefix` structure steps that separates the successful
 * runs of branch A (`a`) from those of branch B (`b`): B's tail runs when the result has (or has
 * not) elements. Null unless at least CONDITION_AGREEMENT of all those runs agree and each
 * branch's agreeing runs come from MIN_BRANCH_TASKS distinct tasks. Among those that qualify:
 * the most agreeing, then the earliest step, the whole result before a field.
 */
export function learnCondition(prefix: number, a: readonly Instance[], b: readonly Instance[]): LearnedCondition | null {
  const okA = a.filter((i) => i.summary.success);
  const okB = b.filter((i) => i.summary.success);
  const runs = okA.length + okB.length;
  if (okA.length < MIN_BRANCH_TASKS || okB.length < MIN_BRANCH_TASKS) return null;
  const tasks = (xs: readonly Instance[]) => new Set(xs.map((i) => i.summary.taskKey)).size;
  const featuresA = okA.map((i) => Array.from({ length: prefix }, (_, k) => resultFeatures(i, k)));
  const featuresB = okB.map((i) => Array.from({ length: prefix }, (_, k) => resultFeatures(i, k)));
  const keys = new Set<string>();
  for (const f of [...featuresA, ...featuresB]) f.forEach((m, k) => m.forEach((_, path) => keys.add(`${k}\u0000${path}`)));
  let best: LearnedCondition | null = null;
  for (const key of [...keys].sort()) {
    const [k, feature] = key.split('\u0000') as [string, string];
    const step = Number(k);
    const value = readValueKey(feature);
    const path = value ? value.path : feature;
    for (const has of ['elements', 'none'] as const) {
      const want = has === 'elements';
      // a run without the value (the step not made, no shape) agrees with neither branch
      const agreeB = okB.filter((_, r) => featuresB[r]![step]!.get(feature) === want);
      const agreeA = okA.filter((_, r) => featuresA[r]![step]!.get(feature) === !want);
      const agreeing = agreeA.length + agreeB.length;
      // a value condition is judged on the runs that read a comparison (VALUE_EVIDENCE_SHARE); one on elements on every run
      const judged = value ? okA.filter((_, r) => featuresA[r]![step]!.has(feature)).length + okB.filter((_, r) => featuresB[r]![step]!.has(feature)).length : runs;
      if (judged < VALUE_EVIDENCE_SHARE * runs || agreeing < CONDITION_AGREEMENT * judged || tasks(agreeA) < MIN_BRANCH_TASKS || tasks(agreeB) < MIN_BRANCH_TASKS) continue;
      const candidate: LearnedCondition = { step, path, has, agreeing, runs: judged, ...(value ? { quantifier: value.quantifier } : {}) };
      if (!best || candidate.agreeing > best.agreeing || (candidate.agreeing === best.agreeing && lexicallyBefore(rank(candidate), rank(best)))) best = candidate;
    }
  }
  return best;
}

// on a tie: the earliest step, then whether the result has elements before its values, the shorter path, "some" before "all"
const rank = (c: LearnedCondition) => [c.step, c.quantifier ? 1 : 0, c.path.length, c.quantifier === 'all' ? 1 : 0];
function lexicallyBefore(x: readonly number[], y: readonly number[]): boolean {
  const i = x.findIndex((v, j) => v !== y[j]);
  return i >= 0 && x[i]! < y[i]!;
}

// read for every pair a kind may join: once per kind and step
const shapesByKind = new WeakMap<KindForConditions, Map<number, Set<string>>>();

/** The parameter shapes a structure step was called with in the kind's successful runs. */
function paramShapes(kind: KindForConditions, k: number): Set<string> {
  let row = shapesByKind.get(kind);
  if (!row) shapesByKind.set(kind, (row = new Map()));
  const known = row.get(k);
  if (known) return known;
  const out = new Set<string>();
  row.set(k, out);
  for (const inst of kind.instances) {
    if (!inst.summary.success) continue;
    const calls = inst.iters[k] ?? [];
    const at = calls[calls.length - 1];
    const step = at === undefined || at < 0 ? undefined : inst.summary.steps[at];
    if (step) out.add(step.paramShapeHash);
  }
  return out;
}

/**
 * Whether kind `y` plays kind `x`'s part in a conditional pair branching after `prefix` steps:
 * the same number of steps, the same tools after the branch point, and before it each step
 * either the same tool or one called with the same parameter shape (a look-up of another
 * measure, by the same arguments).
 */
export function sameRole(x: KindForConditions, y: KindForConditions, prefix: number): boolean {
  if (x === y || x.structure.length !== y.structure.length) return false;
  return x.structure.every((s, k) => {
    const t = y.structure[k]!;
    if (s.tool === t.tool) return true;
    if (k >= prefix) return false;
    const theirs = paramShapes(y, k);
    return [...paramShapes(x, k)].some((h) => theirs.has(h));
  });
}

/**
 * A value condition for a pair whose own runs are too few to learn it (learnCondition), learned
 * over the pair and every kind in the same role on each side (sameRole: the look-up of another
 * measure by the same arguments, then the same tail): whether agents acted depends on the
 * comparison the query wrote, not on which measure they looked up. Kept only when the pair's
 * own runs agree with it as learnCondition asks of any condition (CONDITION_AGREEMENT of the
 * runs that read a comparison, those at least VALUE_EVIDENCE_SHARE of its successful runs) and
 * the acting branch's agreeing runs are MIN_BRANCH_TASKS tasks of its own; the other branch's
 * tasks may be the peers'. Only for a tail or none (A is the shared steps alone): which of two
 * tails agents chose is no evidence another pair can give. `agreeing` and `runs` are the pair's own.
 */
export function pooledValueCondition(prefix: number, a: KindForConditions, b: KindForConditions, kinds: readonly KindForConditions[]): LearnedCondition | null {
  // the peers tell whether agents acted at all; which of two actions they chose is the pair's own evidence
  if (prefix !== a.structure.length) return null;
  const peersA = kinds.filter((k) => k !== b && sameRole(a, k, prefix));
  const peersB = kinds.filter((k) => k !== a && sameRole(b, k, prefix));
  if (peersA.length === 0 && peersB.length === 0) return null;
  const pooled = learnCondition(prefix, [...a.instances, ...peersA.flatMap((k) => k.instances)], [...b.instances, ...peersB.flatMap((k) => k.instances)]);
  if (!pooled?.quantifier) return null;
  const feature = valueKey(pooled.quantifier, pooled.path);
  const okA = a.instances.filter((i) => i.summary.success);
  const okB = b.instances.filter((i) => i.summary.success);
  const want = pooled.has === 'elements';
  const read = (i: Instance) => resultFeatures(i, pooled.step).get(feature);
  const judged = [...okA, ...okB].filter((i) => read(i) !== undefined).length;
  const agreeA = okA.filter((i) => read(i) === !want);
  const agreeB = okB.filter((i) => read(i) === want);
  const agreeing = agreeA.length + agreeB.length;
  const runs = okA.length + okB.length;
  if (judged === 0 || judged < VALUE_EVIDENCE_SHARE * runs || agreeing < CONDITION_AGREEMENT * judged) return null;
  if (new Set(agreeB.map((i) => i.summary.taskKey)).size < MIN_BRANCH_TASKS) return null;
  return { ...pooled, agreeing, runs: judged, pooled: true };
}

const opposite = (has: 'elements' | 'none') => (has === 'elements' ? 'none' : 'elements');

/** How two kinds' structures could be one: the shared first steps and each kind's tail (one tail may be empty). */
function branchPoint(a: readonly StructureStep[], b: readonly StructureStep[]): number {
  let c = 0;
  while (c < a.length && c < b.length && a[c]!.tool === b[c]!.tool) c++;
  return c;
}

/** The step condition under which a branch runs: B's when `has` is the learned condition's, A's when it is the opposite. */
function stepCondition(condition: LearnedCondition, has: 'elements' | 'none'): StepCondition {
  return condition.quantifier
    ? { whenValue: { step: condition.step, path: condition.path, quantifier: condition.quantifier, slot: COMPARISON_SLOT, holds: has === 'elements' } }
    : { whenResult: { step: condition.step, path: condition.path, has } };
}

/** B's structure with its tail after `prefix` optional under the condition (a pooled condition: no A merged in). */
function conditionedTail(structure: readonly ConditionalStep[], prefix: number, condition: LearnedCondition): ConditionalStep[] {
  const when = stepCondition(condition, condition.has);
  return structure.map((s, k) => (k < prefix ? s : { ...s, optional: true, condition: when }));
}

/** The merged kind: shared steps, then A's tail when the condition is false, then B's when it is true. */
function merge(a: KindForConditions, b: KindForConditions, prefix: number, condition: LearnedCondition): KindForConditions {
  const when = (has: 'elements' | 'none'): StepCondition => stepCondition(condition, has);
  const whenB = when(condition.has);
  const whenA = when(opposite(condition.has));
  const shared = a.structure.slice(0, prefix).map((s, k) => ({ ...s, optional: s.optional || b.structure[k]!.optional, repeated: s.repeated || b.structure[k]!.repeated }));
  const tailA = a.structure.slice(prefix).map((s) => ({ ...s, optional: true, condition: whenA }));
  const tailB = b.structure.slice(prefix).map((s) => ({ ...s, optional: true, condition: whenB }));
  const remap = (inst: Instance, mine: 'a' | 'b'): Instance => {
    const own = (mine === 'a' ? a : b).structure.length - prefix;
    const other = (mine === 'a' ? b : a).structure.length - prefix;
    const pick = <T>(xs: readonly T[], none: T): T[] => {
      const tail = xs.slice(prefix, prefix + own);
      const gap = new Array<T>(other).fill(none);
      return [...xs.slice(0, prefix), ...(mine === 'a' ? [...tail, ...gap] : [...gap, ...tail])];
    };
    return { summary: inst.summary, at: pick(inst.at, -1), iters: pick(inst.iters, []) };
  };
  return { structure: [...shared, ...tailA, ...tailB], instances: [...a.instances.map((i) => remap(i, 'a')), ...b.instances.map((i) => remap(i, 'b'))] };
}

/**
 * Merges the kinds that are one structure with and without a conditional tail, or with one of
 * two tails, when a property of an earlier step's result separates their successful runs
 * (learnCondition). Greedy: the best-agreeing pair first; a kind joins one merge at most. The
 * merged kind takes the place of the first of the two; the others stay as they were. `join`
 * makes the caller's kind of the merged structure and instances from the two it joins.
 */
export function mergeConditionalKinds<K extends KindForConditions>(kinds: readonly K[], join: (a: K, b: K, merged: KindForConditions) => K): K[] {
  const out: K[] = [...kinds];
  const merged = new Set<KindForConditions>();
  // a pair's condition does not change when other kinds merge: learned once per pair
  const learned = new Map<KindForConditions, Map<KindForConditions, LearnedCondition | null>>();
  const conditionOf = (a: KindForConditions, b: KindForConditions, prefix: number) => {
    const row = learned.get(a) ?? new Map<KindForConditions, LearnedCondition | null>();
    learned.set(a, row);
    if (!row.has(b)) row.set(b, learnCondition(prefix, a.instances, b.instances) ?? pooledValueCondition(prefix, a, b, kinds));
    return row.get(b)!;
  };
  for (;;) {
    let best: { i: number; j: number; prefix: number; condition: LearnedCondition } | null = null;
    for (let i = 0; i < out.length; i++) {
      for (let j = 0; j < out.length; j++) {
        const a = out[i]!;
        const b = out[j]!;
        if (i === j || merged.has(a) || merged.has(b)) continue;
        const prefix = branchPoint(a.structure, b.structure);
        if (prefix === 0 || prefix === b.structure.length) continue;
        // either/or (both have a tail) is looked at once, in kind order
        if (prefix < a.structure.length && j < i) continue;
        const condition = conditionOf(a, b, prefix);
        if (!condition) continue;
        if (!best || condition.agreeing / condition.runs > best.condition.agreeing / best.condition.runs || (condition.agreeing / condition.runs === best.condition.agreeing / best.condition.runs && condition.runs > best.condition.runs)) best = { i, j, prefix, condition };
      }
    }
    if (!best) return out;
    if (best.condition.pooled) {
      // B alone gets the conditioned tail; A's runs (most of them other tasks') stay A's
      const b = out[best.j]!;
      const conditional = { ...b, structure: conditionedTail(b.structure, best.prefix, best.condition) };
      merged.add(conditional);
      out[best.j] = conditional;
      continue;
    }
    const joined = join(out[best.i]!, out[best.j]!, merge(out[best.i]!, out[best.j]!, best.prefix, best.condition));
    merged.add(joined);
    const [first, second] = best.i < best.j ? [best.i, best.j] : [best.j, best.i];
    out[first] = joined;
    out.splice(second, 1);
  }
}
