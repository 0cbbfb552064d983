// From an agent's horizon to the structures worth a template (docs/learning.md,
// "Structures"): task kinds with their chosen structure and aligned instances, then the
// sub-workflows that recur inside tasks that go on differently.
import type { TemplateStep } from '@praxis/schemas';
import { mergeConditionalKinds, type ConditionalStep } from './conditions.js';
import type { Instance } from './induce.js';
import { chooseStructure, collapse, kindsOf, locate, matchRun, type Element, type StructureStep } from './kinds.js';
import type { InducerPolicy } from './policy.js';
import { partitionKind } from './partition.js';
import { withOnlyElementLoops } from './only-element-loops.js';
import { findSegments } from './segments.js';
import type { TrajectorySummary } from './summary.js';

export interface LearnedKind {
  /** Optional steps may carry a condition learned from an earlier result (conditions.ts). */
  structure: ConditionalStep[];
  instances: Instance[];
  /** The parameter values that define the sub-kind (partition.ts), null when the kind was not split. */
  variant: string | null;
}

export interface LearnedSegment {
  structure: StructureStep[];
  instances: Instance[];
  /** As for kinds: the values that define the sub-kind, null when the segment was not split. */
  variant: string | null;
}

const asMatchable = (steps: readonly Pick<TemplateStep, 'toolName' | 'optional' | 'loop'>[]) => steps.map((s) => ({ tool: s.toolName, optional: s.optional, loop: s.loop !== null }));

/** The collapsed mined sequence of a run (what structures are matched against). */
export function collapsedRun(summary: TrajectorySummary, policy: Pick<InducerPolicy, 'maxMinedSteps'>): Element[] {
  return collapse(summary.sequence.slice(0, policy.maxMinedSteps));
}

/** Whether a run's calls are exactly the steps' structure (loops repeat, optional steps may be absent). */
export function runHasStructure(summary: TrajectorySummary, steps: readonly Pick<TemplateStep, 'toolName' | 'optional' | 'loop'>[], policy: Pick<InducerPolicy, 'maxMinedSteps'>): boolean {
  return matchRun(asMatchable(steps), collapsedRun(summary, policy)) !== null;
}

/** Whether some consecutive calls of a run are exactly the steps' structure (sub-workflows). */
export function runContainsStructure(summary: TrajectorySummary, steps: readonly Pick<TemplateStep, 'toolName' | 'optional' | 'loop'>[], policy: Pick<InducerPolicy, 'maxMinedSteps'>): boolean {
  const run = collapsedRun(summary, policy);
  const matchable = asMatchable(steps);
  for (let a = 0; a < run.length; a++) for (let b = a + 1; b <= run.length; b++) if (matchRun(matchable, run.slice(a, b))) return true;
  return false;
}

/** An instance from the element each structure step matched (-1: absent). Plain steps take their latest call. */
function instanceOf(summary: TrajectorySummary, run: readonly Element[], positions: readonly number[], structure: readonly StructureStep[]): Instance {
  const iters = positions.map((p, k) => {
    if (p < 0) return [];
    const e = run[p]!;
    const calls = Array.from({ length: e.count }, (_, c) => summary.mined[e.from + c]!);
    return structure[k]!.repeated ? calls : [calls[calls.length - 1]!];
  });
  return { summary, at: iters.map((calls) => calls[0] ?? -1), iters };
}

/**
 * The task kinds of the horizon with their structures and instances (all runs of the kind,
 * failed ones included); a kind whose runs do several tasks differently comes as its
 * sub-kinds (partition.ts), each with the structure its own successful runs choose.
 */
export function learnKinds(ring: readonly TrajectorySummary[], policy: InducerPolicy): LearnedKind[] {
  // a merge of sub-kinds (partition.ts) is a sub-kind of both: its variant names both, so its id differs from either's
  return mergeConditionalKinds(callSequenceKinds(ring, policy), (a, b, merged) => ({ ...merged, variant: a.variant === null && b.variant === null ? null : `${a.variant ?? '*'}|${b.variant ?? '*'}` }));
}

/** The kinds by call sequence alone, before conditional tails join them (conditions.ts). */
export function callSequenceKinds(ring: readonly TrajectorySummary[], policy: InducerPolicy): LearnedKind[] {
  const collapsed = ring.map((t) => collapsedRun(t, policy));
  const toolCount = new Set(ring.flatMap((t) => t.sequence)).size;
  const kinds = kindsOf(collapsed, { minSupport: policy.minSupport, minSteps: policy.minStepsToLearn, maxSteps: policy.maxPatternLength });
  const aligned = (core: readonly string[], members: readonly number[]) => {
    const successful = members.filter((m) => ring[m]!.success).map((m) => collapsed[m]!);
    const repeatedTools = new Set(successful.flatMap((run) => run.filter((e) => e.count > 1).map((e) => e.tool)));
    const alignSuccessful = (s: readonly StructureStep[]) => members.filter((m) => ring[m]!.success).map((m) => instanceOf(ring[m]!, collapsed[m]!, locate(s, collapsed[m]!, s.map((x) => x.repeated)), s));
    const structure = withOnlyElementLoops(chooseStructure(core, successful, toolCount, policy.minSupport), alignSuccessful, repeatedTools);
    const loops = structure.map((s) => s.repeated);
    return { structure, instances: members.map((m) => instanceOf(ring[m]!, collapsed[m]!, locate(structure, collapsed[m]!, loops), structure)) };
  };
  return kinds.flatMap((kind) => {
    const whole = aligned(kind.core, kind.members);
    const parts = partitionKind(whole.structure, whole.instances, { minSupport: policy.minSupport, toolCount, timeZone: policy.timeZone ?? null });
    if (parts.length === 1) return [{ ...whole, variant: null }];
    const memberOf = new Map(whole.instances.map((inst, i) => [inst, kind.members[i]!]));
    return parts.map((part) => ({ ...aligned(kind.core, part.instances.map((i) => memberOf.get(i)!)), variant: part.variant }));
  });
}

/**
 * Sub-workflows of the horizon (segments.ts): shared by whole workflows (`wholes`: their
 * steps, optional ones null), or recurring in the runs none of them explains while the rest varies.
 */
export function learnSegments(ring: readonly TrajectorySummary[], policy: InducerPolicy, wholes: readonly (string | null)[][], explained: ReadonlySet<string>): LearnedSegment[] {
  const collapsed = ring.map((t) => collapsedRun(t, policy));
  const unexplained = new Set(ring.map((t, i) => (explained.has(t.trajectoryId) ? -1 : i)).filter((i) => i >= 0));
  const toolCount = new Set(ring.flatMap((t) => t.sequence)).size;
  const segments = findSegments(collapsed, wholes, unexplained, { minSupport: policy.minSupport, minSteps: Math.max(2, policy.minStepsToLearn), maxSteps: policy.maxPatternLength, minVariation: policy.minExtensionRatio });
  return segments.flatMap((segment) => {
    const repeats = segment.tools.map((_, k) => segment.occurrences.filter((o) => ring[o.run]!.success && collapsed[o.run]![o.start + k]!.count > 1).length);
    const structure: StructureStep[] = segment.tools.map((tool, k) => ({ tool, optional: false, repeated: repeats[k]! >= 2 }));
    const instances = segment.occurrences.map((o) =>
      instanceOf(
        ring[o.run]!,
        collapsed[o.run]!,
        segment.tools.map((_, k) => o.start + k),
        structure,
      ),
    );
    return partitionKind(structure, instances, { minSupport: policy.minSupport, toolCount, timeZone: policy.timeZone ?? null }).map((part) => ({ structure, instances: part.instances, variant: part.variant }));
  });
}
