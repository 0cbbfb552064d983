// Failed runs that passed other values than a template would (docs/learning.md, "Evidence
// counted by task"): the template is what its successful runs agree on, so a failed run of its
// calls that passed another value where the template has a constant, or a value its own query
// does not give where the template reads the query, is not a run the template would make. Its
// failure says the value was wrong, not that the template fails: it is no evidence for or
// against the template. A failed run that agrees with every such parameter still counts (the
// template would have made its calls with its values, as far as the runs show).
import type { JsonPrimitive } from '@praxis/core';
import type { Slot, TemplateStep } from '@praxis/schemas';
import { derivations } from './binding.js';
import type { Instance } from './induce.js';

/** A query slot the template fills from the query alone: no default, not the task's day, not a comparison. */
const readFromQuery = (slot: Slot | undefined) => slot !== undefined && slot.source === 'QUERY' && !('default' in (JSON.parse(slot.schemaJson) as object)) && slot.queryForm !== 'today' && slot.queryForm !== 'comparison';

/**
 * Whether the run passed, at some call of the template's steps (every call of a loop), a value
 * other than the template's constant for that parameter (absent counts as other), or a value
 * that neither the dataflow nor a reading of its own query links to the query where the
 * template takes a query slot.
 */
export function passedOtherValue(instance: Instance, steps: readonly TemplateStep[], slots: readonly Slot[], timeZone: string | null): boolean {
  const slotOf = new Map(slots.map((s) => [s.name, s]));
  const query = instance.summary.query;
  return steps.some((step, k) => {
    const constants = step.params.filter((p) => p.kind === 'CONSTANT' && p.valueJson !== null);
    const queried = query === null ? [] : step.params.filter((p) => p.kind === 'SLOT' && p.slotName !== null && readFromQuery(slotOf.get(p.slotName)));
    // a step the run skipped (optional, or a loop over nothing) passed no value
    return (instance.iters[k] ?? []).some((at) => {
      const call = instance.summary.steps[at]!;
      if (constants.some((p) => (call.values.has(p.path) ? JSON.stringify(call.values.get(p.path)) !== p.valueJson : true))) return true;
      return queried.some((p) => {
        const value = call.values.get(p.path);
        if (value === undefined || call.dataflow.some((d) => d.paramPath === p.path && d.origin === 'QUERY')) return false;
        return derivations(value as JsonPrimitive, query!, { nowMs: instance.summary.referenceTimeMs, timeZone }).size === 0;
      });
    });
  });
}

/** The instances that are evidence about a template of these steps and slots: every successful one, and the failed ones that passed its values. */
export function evidenceOfTemplate(instances: readonly Instance[], body: { steps: readonly TemplateStep[]; slots: readonly Slot[] }, timeZone: string | null): Instance[] {
  return instances.filter((i) => i.summary.success || !passedOtherValue(i, body.steps, body.slots, timeZone));
}
