// Conflicting evidence (docs/learning.md, "Evidence counted by task"): a task every run of a
// structure failed at, which the labels say other calls got right. Such a task speaks against
// the structure only when those other calls are no workflow the agent learned: when they are,
// the task is another workflow's (its query is that workflow's trigger example and the router
// routes it there), and holding this structure back for it only hides it from its own tasks.
// Unless that workflow makes this one's calls and more: then this structure is where agents
// stopped short (a look-up without the action), and the task stays evidence against it.
// A run that made this structure's calls with a repeated step run zero times (a loop over a
// result's elements that had none to act on) is this structure's own run, not other calls.
// A structure with a value condition (conditions.ts) is never served a query that writes no
// comparison (its comparison slot stays unbound), so such a task says nothing against it.
// A run that made only the unconditioned steps of a conditional workflow (its condition was
// false) is that workflow's own run (the task says nothing against it even when the kind's
// runs of it are others': a pooled condition, conditions.ts), but it clears no other
// structure's task: it shows the
// look-up, not what the task asked to do when the condition holds (candidate.ts reads trigger
// examples by the same rule).
import { comparisonSpans } from '@praxis/core';
import type { ConditionalStep } from './conditions.js';
import { isSubsequence, matchRun, type StructureStep } from './kinds.js';
import { collapsedRun } from './learn.js';
import type { InducerPolicy } from './policy.js';
import type { TrajectorySummary } from './summary.js';

/** A learned kind as conflicting evidence sees it: its template id and structure. */
export interface KindRef {
  id: string;
  structure: readonly (StructureStep & Pick<ConditionalStep, 'condition'>)[];
}

/**
 * Whether the labels contradict the structure of template `id` for a task it failed at: some
 * run of the task succeeded, and no successful run of it has the structure of another learned
 * whole workflow that does not extend this one (its calls with this structure's required calls
 * among them, in order), and none is this structure with its repeated steps run zero times.
 * The learned workflows are the kinds that pass the evidence gates when every
 * task done right with other calls counts against them (`passes` with the strict rule), so a
 * workflow clears another's evidence only when it stands on its own. Deterministic.
 */
export function conflictingEvidence<K extends KindRef>(
  ring: readonly TrajectorySummary[],
  kinds: readonly K[],
  passes: (kind: K, strict: (task: string) => boolean) => boolean,
  policy: Pick<InducerPolicy, 'maxMinedSteps'>,
): (id: string, task: string) => boolean {
  const right = new Map<string, TrajectorySummary[]>();
  for (const t of ring) if (t.success) right.set(t.taskKey, [...(right.get(t.taskKey) ?? []), t]);
  const strict = (task: string) => right.has(task);
  const learned = kinds.filter((k) => passes(k, strict)).map((k) => ({
    id: k.id,
    tools: k.structure.map((s) => s.tool),
    steps: k.structure.map((s) => ({ tool: s.tool, optional: s.optional, loop: s.repeated })),
    conditioned: k.structure.flatMap((s, i) => (s.condition ? [i] : [])),
  }));
  const required = new Map(kinds.map((k) => [k.id, k.structure.filter((s) => !s.optional).map((s) => s.tool)]));
  const extendsIt = (other: string, id: string) => {
    const mine = required.get(id);
    const theirs = learned.find((k) => k.id === other)!.tools;
    return mine !== undefined && isSubsequence(mine, theirs);
  };
  // each kind with its repeated steps allowed to run zero times, when a required single step
  // remains to produce what the loop iterates over (a structure of loops alone has no such run)
  const emptyLoops = new Map(
    kinds
      .filter((k) => k.structure.some((s) => s.repeated) && k.structure.some((s) => !s.optional && !s.repeated))
      .map((k) => [k.id, k.structure.map((s) => ({ tool: s.tool, optional: s.optional || s.repeated, loop: s.repeated }))]),
  );
  const ownEmptyLoop = (id: string, task: string) => {
    const steps = emptyLoops.get(id);
    return steps !== undefined && (right.get(task) ?? []).some((run) => matchRun(steps, collapsedRun(run, policy)) !== null);
  };
  // each kind with a conditioned tail, as the runs whose condition was false made it: the tail skipped
  const conditionFalse = new Map(
    kinds
      .filter((k) => k.structure.some((s) => s.condition))
      .map((k) => [k.id, k.structure.filter((s) => !s.condition).map((s) => ({ tool: s.tool, optional: s.optional, loop: s.repeated }))]),
  );
  const ownConditionFalse = (id: string, task: string) => {
    const steps = conditionFalse.get(id);
    return steps !== undefined && steps.length > 0 && (right.get(task) ?? []).some((run) => matchRun(steps, collapsedRun(run, policy)) !== null);
  };
  const acceptedBy = new Map<string, Set<string>>();
  const workflowsOf = (task: string): Set<string> => {
    let ids = acceptedBy.get(task);
    if (!ids) {
      ids = new Set();
      for (const run of right.get(task) ?? []) {
        const calls = collapsedRun(run, policy);
        for (const k of learned) {
          const at = matchRun(k.steps, calls);
          // a run that made none of a workflow's conditioned steps shows its condition was false, not what the task asked for
          if (at !== null && (k.conditioned.length === 0 || k.conditioned.some((i) => at[i]! >= 0))) ids.add(k.id);
        }
      }
      acceptedBy.set(task, ids);
    }
    return ids;
  };
  const comparing = new Set(kinds.filter((k) => k.structure.some((s) => s.condition && 'whenValue' in s.condition)).map((k) => k.id));
  const queryOf = new Map(ring.map((t) => [t.taskKey, t.query]));
  const comparesNothing = (id: string, task: string) => comparing.has(id) && comparisonSpans(queryOf.get(task) ?? '').length === 0;
  return (id, task) => right.has(task) && !ownEmptyLoop(id, task) && !ownConditionFalse(id, task) && !comparesNothing(id, task) && ![...workflowsOf(task)].some((other) => other !== id && !extendsIt(other, id));
}
