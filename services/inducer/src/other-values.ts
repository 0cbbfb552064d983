// Failed runs that passed other values than a template fixes (docs/learning.md, "Evidence
// counted by task"): the template is what its successful runs agree on, so a failed run of its
// calls that passed another value where the template has a constant is not a run the template
// would make. Its failure says the value was wrong, not that the template fails: it is no
// evidence for or against the template. A failed run that agrees with every constant still
// counts (the template would have made its calls with its values, as far as the runs show).
import type { TemplateStep } from '@praxis/schemas';
import type { Instance } from './induce.js';

/** Whether the run passed, at some call of the template's steps (every call of a loop), a value other than the template's constant for that parameter (absent counts as other). */
export function passedOtherConstant(instance: Instance, steps: readonly TemplateStep[]): boolean {
  return steps.some((step, k) => {
    const constants = step.params.filter((p) => p.kind === 'CONSTANT' && p.valueJson !== null);
    // a step the run skipped (optional, or a loop over nothing) passed no value
    return (instance.iters[k] ?? []).some((at) => {
      const values = instance.summary.steps[at]!.values;
      return constants.some((p) => (values.has(p.path) ? JSON.stringify(values.get(p.path)) !== p.valueJson : true));
    });
  });
}

/** The instances that are evidence about a template with these steps: every successful one, and the failed ones that passed its constants. */
export function evidenceOfSteps(instances: readonly Instance[], steps: readonly TemplateStep[]): Instance[] {
  return instances.filter((i) => i.summary.success || !passedOtherConstant(i, steps));
}
