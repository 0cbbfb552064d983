// A loop learned from one run that went over a whole result and runs that met one element
// each: "move all of X's tasks in review" updated the only task its search found in most
// runs, and every task of the search in one. Each one-call run is a loop over a result of one
// element as much as it is a call on "the" element, and the one run that called the step
// once per element says which; without the loop an empty result stops the step (no element to
// take) and a result of several elements gets one call (docs/learning.md, "Structures", rule 6).
import { splitPath } from '@praxis/core';
import type { Instance } from './induce.js';
import type { StructureStep } from './kinds.js';
import type { InstanceStep } from './summary.js';

interface ElementLink {
  /** The earlier trajectory step the value came from and the array's path in its result. */
  array: string;
  index: number;
  select: readonly string[];
}

/** The links of a call's parameter `path` to an element of an earlier result's array (the deepest index of the link's path). */
function elementLinks(step: InstanceStep, path: string): ElementLink[] {
  const out: ElementLink[] = [];
  for (const d of step.dataflow) {
    if (d.paramPath !== path || d.origin !== 'STEP_RESULT' || d.stepIndex === null || d.path === null) continue;
    const segments = splitPath(d.path);
    for (let q = segments.length - 1; q >= 0; q--) {
      if (!/^\d+$/.test(segments[q]!)) continue;
      out.push({ array: `${d.stepIndex}|${segments.slice(0, q).join('.')}|${segments.slice(q + 1).join('.')}`, index: Number(segments[q]), select: d.select ?? [] });
      break;
    }
  }
  return out;
}

/** The parameters whose calls, in order, took elements 0, 1, ..., n-1 of one earlier result of n elements (the first call's element was the first, the last call's the last). */
function enumeratedParams(inst: Instance, k: number): Set<string> {
  const calls = inst.iters[k]!.map((t) => inst.summary.steps[t]!);
  const out = new Set<string>();
  for (const path of calls[0]!.values.keys()) {
    for (const first of elementLinks(calls[0]!, path)) {
      if (first.index !== 0 || !first.select.includes('first')) continue;
      const all = calls.every((c, j) => elementLinks(c, path).some((l) => l.array === first.array && l.index === j && (j < calls.length - 1 || l.select.includes('last'))));
      if (all) out.add(path);
    }
  }
  return out;
}

/** Whether a single call took, for one of `params`, the only element of an earlier result (it was both the first and the last). */
const tookOnlyElement = (step: InstanceStep, params: ReadonlySet<string>) => [...params].some((p) => elementLinks(step, p).some((l) => l.select.includes('first') && l.select.includes('last')));

/**
 * `structure` with a required step made a loop candidate when exactly one successful run
 * called it once per element of an earlier result (every element, in order) and every other
 * successful run that made it called it once, on the only element of a result, for the same
 * parameter. `instancesFor` aligns the successful runs to a structure. A step that two
 * successful runs repeat is a candidate already (chooseStructure).
 */
export function withOnlyElementLoops(structure: readonly StructureStep[], instancesFor: (structure: readonly StructureStep[]) => Instance[], repeatedTools: ReadonlySet<string>): StructureStep[] {
  let out = [...structure];
  for (let k = 0; k < out.length; k++) {
    if (out[k]!.repeated || out[k]!.optional || !repeatedTools.has(out[k]!.tool)) continue;
    const trial = out.map((s, i) => (i === k ? { ...s, repeated: true } : s));
    const making = instancesFor(trial).filter((inst) => inst.summary.success && inst.iters[k]!.length > 0);
    const repeating = making.filter((inst) => inst.iters[k]!.length >= 2);
    if (repeating.length !== 1 || making.length < 2) continue;
    const params = enumeratedParams(repeating[0]!, k);
    if (params.size === 0) continue;
    if (making.every((inst) => inst === repeating[0] || tookOnlyElement(inst.summary.steps[inst.iters[k]![0]!]!, params))) out = trial;
  }
  return out;
}
