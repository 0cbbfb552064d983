// Loop induction (docs/learning.md, "Structures"): a step that successful runs call several
// times in a row is a loop when its iterations go over a collection: the elements of an
// array in an earlier step's result (a value taken from items.0.id, items.1.id, ...; an earlier
// loop's iterations' results, one per iteration, are such an array), or,
// failing that, a list of values that differ from call to call (a list slot, from the query
// when every value was written there).
import { EACH_WITH_WORD, selectorWordFilter, type JsonPrimitive } from '@praxis/core';
import type { Instance } from './induce.js';
import type { InstanceStep } from './summary.js';

export type LoopDecision =
  | { over: 'step'; stepIndex: number; path: string; items: Map<string, string> }
  | { over: 'list'; param: string; fromQuery: boolean; values: JsonPrimitive[][] };

const stepAt = (inst: Instance, index: number): InstanceStep => inst.summary.steps[index]!;

/** The structure step (and loop iteration) a trajectory step was matched to, or null. */
export function structureStepOf(inst: Instance, trajectoryIndex: number): { step: number; iteration: number } | null {
  for (let m = 0; m < inst.iters.length; m++) {
    const j = inst.iters[m]!.indexOf(trajectoryIndex);
    if (j >= 0) return { step: m, iteration: j };
  }
  return null;
}

/**
 * For every way a parameter's value can come from the element of an earlier result array,
 * the key "step|arrayPath|elementPath" and the element index, per iteration.
 */
function elementSources(inst: Instance, k: number, path: string, isLoop: (m: number) => boolean): Map<string, number[]> {
  const perKey = new Map<string, number[]>();
  inst.iters[k]!.forEach((t, j) => {
    const mine = new Map<string, number>();
    for (const d of stepAt(inst, t).dataflow) {
      if (d.paramPath !== path || d.origin !== 'STEP_RESULT' || d.stepIndex === null || d.path === null) continue;
      const from = structureStepOf(inst, d.stepIndex);
      if (!from || from.step >= k) continue;
      // an earlier loop's result is the array of its iterations' results: iteration i's value is element i
      if (isLoop(from.step)) {
        const key = `${from.step}||${d.path}`;
        if (!mine.has(key)) mine.set(key, from.iteration);
        continue;
      }
      const segments = d.path.split('.');
      segments.forEach((s, q) => {
        if (!/^\d+$/.test(s)) return;
        const key = `${from.step}|${segments.slice(0, q).join('.')}|${segments.slice(q + 1).join('.')}`;
        if (!mine.has(key)) mine.set(key, Number(s));
      });
    }
    for (const [key, n] of mine) {
      const list = perKey.get(key) ?? [];
      list[j] = n;
      perKey.set(key, list);
    }
  });
  return perKey;
}

/**
 * Decides how a repeated step loops, from the instances that repeated it, or null when its
 * iterations go over nothing (identical calls). `paths` are the step's parameter paths,
 * `agreement` the share of instances that must agree.
 */
export function induceLoop(instances: readonly Instance[], k: number, paths: readonly string[], agreement: number, isLoop: (m: number) => boolean): LoopDecision | null {
  const repeated = instances.filter((i) => i.iters[k]!.length >= 2);
  if (repeated.length === 0) return null;
  // 1. elements of an earlier result array: every iteration's value at a distinct index
  const votes = new Map<string, { count: number; param: string }>();
  for (const path of paths) {
    for (const inst of repeated) {
      for (const [key, ns] of elementSources(inst, k, path, isLoop)) {
        const complete = ns.length === inst.iters[k]!.length && ns.every((n) => n !== undefined) && new Set(ns).size === ns.length;
        if (!complete) continue;
        const vote = votes.get(`${path}\u0000${key}`) ?? { count: 0, param: path };
        vote.count++;
        votes.set(`${path}\u0000${key}`, vote);
      }
    }
  }
  const ranked = [...votes.entries()].filter(([, v]) => v.count >= agreement * repeated.length).sort(([a, va], [b, vb]) => vb.count - va.count || (a < b ? -1 : 1));
  if (ranked[0]) {
    const [, key] = ranked[0][0].split('\u0000') as [string, string];
    const [step, arrayPath] = key.split('|') as [string, string, string];
    // every parameter taken from the same array's element is a loop item
    const items = new Map<string, string>();
    for (const [k2, v] of ranked) {
      const [param, key2] = k2.split('\u0000') as [string, string];
      const [s2, a2, elementPath] = key2.split('|') as [string, string, string];
      if (s2 === step && a2 === arrayPath && !items.has(param) && v.count >= agreement * repeated.length) items.set(param, elementPath);
    }
    return { over: 'step', stepIndex: Number(step), path: arrayPath, items };
  }
  // 2. a list of values that differ between the calls
  for (const path of paths) {
    const differs = repeated.filter((inst) => new Set(inst.iters[k]!.map((t) => JSON.stringify(stepAt(inst, t).values.get(path)))).size > 1);
    if (differs.length < agreement * repeated.length) continue;
    const fromQuery = instances.every((inst) => inst.iters[k]!.every((t) => stepAt(inst, t).dataflow.some((d) => d.paramPath === path && d.origin === 'QUERY')));
    const values = instances.map((inst) => inst.iters[k]!.map((t) => stepAt(inst, t).values.get(path)).filter((v): v is JsonPrimitive => v !== undefined));
    return { over: 'list', param: path, fromQuery, values };
  }
  return null;
}

/**
 * The identifier field whose word the query names in every element a loop over an earlier
 * result went over ("forward all the mails from kofi": each forwarded mail's sender has the
 * word kofi), in enough of the runs that made the step, with each run's word; null when none.
 * Read from the `each@<field>~<word>` markers the segmenter keeps on a link when its query
 * names the word (element-select). The executor then loops over those elements only, so a
 * search that also finds other senders' mails does not forward them.
 */
export function loopWordFilter(instances: readonly Instance[], k: number, decision: { stepIndex: number; path: string; items: ReadonlyMap<string, string> }, agreement: number): { field: string; words: (string | undefined)[] } | null {
  const prefix = decision.path ? `${decision.path}.` : '';
  const perInstance = instances.map((inst): Map<string, string> | null => {
    if (inst.at[k]! < 0 || inst.iters[k]!.length === 0) return null;
    const perIteration = inst.iters[k]!.map((t) => {
      const mine = new Map<string, string>();
      for (const d of stepAt(inst, t).dataflow) {
        if (!decision.items.has(d.paramPath) || d.origin !== 'STEP_RESULT' || d.stepIndex === null || d.path === null) continue;
        if (structureStepOf(inst, d.stepIndex)?.step !== decision.stepIndex || !d.path.startsWith(prefix) || !/^\d+(\.|$)/.test(d.path.slice(prefix.length))) continue;
        for (const rule of d.select ?? []) {
          const filter = rule.startsWith(EACH_WITH_WORD) ? selectorWordFilter(rule) : null;
          if (filter && filter.word !== '' && !mine.has(filter.field)) mine.set(filter.field, filter.word);
        }
      }
      return mine;
    });
    // the fields whose word every iteration's element had, the same word each time
    return perIteration.reduce((common, mine) => new Map([...common.entries()].filter(([f, w]) => mine.get(f) === w)));
  });
  const making = perInstance.filter((m) => m !== null).length;
  const counts = new Map<string, number>();
  for (const m of perInstance) for (const f of m?.keys() ?? []) counts.set(f, (counts.get(f) ?? 0) + 1);
  const best = [...counts.entries()].filter(([, n]) => making > 0 && n >= agreement * making).sort(([fa, a], [fb, b]) => b - a || (fa < fb ? -1 : 1))[0];
  if (!best) return null;
  return { field: best[0], words: perInstance.map((m) => m?.get(best[0])) };
}
