// One learned template, as the current state says it should be: induced steps and slots,
// statistics, confidence (instances and executions), error knowledge, lineage, and the
// DRAFT/ACTIVE decision. Statuses that compare templates are decided in lifecycle.ts.
import { confidenceOf, decayTo, deterministicId, keyedId, taskEvidence, type DecayedEvidence } from '@praxis/core';
import type { Template } from '@praxis/schemas';
import { executionEvidence, type TemplateControl } from './control.js';
import type { ErrorKnowledge } from './errors.js';
import { selectTriggerExamples } from './examples.js';
import { induceBody, type Instance } from './induce.js';
import { withKnownValues, type KnownValues } from './named-values.js';
import type { StructureStep } from './kinds.js';
import type { InducerPolicy } from './policy.js';
import { evidenceOfTemplate } from './other-values.js';
import { isCurrentShape, shapeKey, type CurrentShapes } from './shapes.js';

/** A template without what depends on publication history (version, creation and update times). */
export type TemplateContent = Omit<Template, 'version' | 'createdAtMs' | 'updatedAtMs'>;

export interface Candidate {
  content: TemplateContent;
  /** Decayed evidence (tasks and executions) behind the confidence. */
  trials: number;
  /** Decayed executions alone: what retirement waits for (the instances already passed the success-rate gate). */
  executionTrials: number;
}

/** The id of a learned template: tenant, agent and signature, keyed with the deployment's secret when it has one (docs/security.md). */
export function learnedTemplateId(tenantId: string, agentId: string, signature: readonly string[], key?: string): string {
  return key ? keyedId('tpl', key, tenantId, agentId, signature.join('>')) : deterministicId('tpl', tenantId, agentId, signature.join('>'));
}

/** The id of a learned sub-workflow: its own namespace, so a task that is just the segment keeps its id. */
export function segmentTemplateId(tenantId: string, agentId: string, signature: readonly string[], key?: string): string {
  return key ? keyedId('tpl', key, tenantId, agentId, 'segment', signature.join('>')) : deterministicId('tpl', tenantId, agentId, 'segment', signature.join('>'));
}

/**
 * Confidence of instances and executions together, as of `now` (see docs/learning.md,
 * "Confidence"): the instances count by distinct task (one observation per task, a success
 * when some run of it succeeded), each execution as one run.
 */
export function combinedEvidence(instances: readonly Instance[], control: TemplateControl | undefined, now: number, policy: InducerPolicy): DecayedEvidence {
  const { evidence } = taskEvidence(
    instances.map((i) => ({ task: i.summary.taskKey, success: i.summary.success, atMs: i.summary.endedAtMs })),
    policy.confidence,
  );
  const a = decayTo(evidence, now, policy.confidence);
  const b = decayTo(executionEvidence(control), now, policy.confidence);
  return { successes: a.successes + b.successes, trials: a.trials + b.trials, asOfMs: now };
}

export interface CandidateContext {
  tenantId: string;
  agentId: string;
  now: number;
  policy: InducerPolicy;
  knowledge: ErrorKnowledge;
  /** The agent's values of each tool parameter that their queries named (named-values.ts); none when unset. */
  knownValues?: KnownValues;
  control: TemplateControl | undefined;
  /** The template's id when the caller derived it (keyed ids); else learnedTemplateId without a key. */
  templateId?: string;
  /** The tools' current parameter/result shapes (shapes.ts). */
  currentShapes: CurrentShapes;
  /**
   * Whether the labels contradict this structure for a task it failed at (conflicting
   * evidence): some run of the task succeeded with calls that no other learned workflow of the
   * agent has, unless that workflow extends this one (conflicts.ts). Unset: no task is conflicting.
   */
  contradicts?: (task: string) => boolean;
}

/** The evidence of a structure's instances counted by task, and whether it is enough for a template (docs/learning.md, "Evidence counted by task"). */
export function evidenceGate(instances: readonly Instance[], policy: InducerPolicy, contradicts?: (task: string) => boolean, support = instances.length): { passes: boolean; succeeded: string[]; conflicts: string[] } {
  // The success rate is a share of tasks: several agents' runs of one task are one task, and
  // a run that failed where another run of the same task succeeded failed on a value.
  const tasks = taskEvidence(instances.map((i) => ({ task: i.summary.taskKey, success: i.summary.success, atMs: i.summary.endedAtMs })));
  // Conflicting evidence: tasks every run of this structure failed, which the labels say other
  // calls got right. When they outnumber the tasks this structure succeeded at, the kind's
  // tasks are done differently: not a workflow (a look-up an agent stopped after, the branch
  // of a conditional task that was not the right one).
  const conflicts = contradicts ? tasks.failed.filter(contradicts) : [];
  const passes =
    support >= policy.minSupport &&
    tasks.succeeded.length > 0 &&
    tasks.succeeded.length / (tasks.succeeded.length + tasks.failed.length) >= policy.minSuccessRate &&
    // A workflow recurs across tasks: what one task's runs share is that task's values, and a
    // template of one task could only replay it (every value would look constant).
    tasks.succeeded.length >= 2 &&
    conflicts.length <= tasks.succeeded.length;
  return { passes, succeeded: tasks.succeeded, conflicts };
}

const byRecency = (a: Instance, b: Instance) => b.summary.endedAtMs - a.summary.endedAtMs || (a.summary.trajectoryId < b.summary.trajectoryId ? -1 : 1);
const round = (n: number) => Math.round(n * 1000) / 1000;


/** What a candidate is built from besides its instances: its structure, and whether it is a sub-workflow. */
export interface CandidateShape {
  structure: readonly StructureStep[];
  /** A sub-workflow learned once: served as a partial answer; trigger examples only from these trajectories (runs no whole template explains). */
  segment?: { triggerFrom: ReadonlySet<string> };
  /** Whether an instance's calls have the induced steps' structure (structureFit). */
  accepts: (instance: Instance, steps: readonly TemplateContent['steps'][number][]) => boolean;
}

/** The name of a structure: loops marked *, optional steps in brackets. */
export function structureName(steps: readonly { toolName: string; loop: unknown; optional: boolean }[]): string {
  return steps.map((s) => `${s.optional ? '[' : ''}${s.toolName}${s.loop ? '*' : ''}${s.optional ? ']' : ''}`).join(' > ');
}

/** Builds the template of a structure from its instances, or null when too few succeeded. */
export function buildCandidate(shape: CandidateShape, instances: readonly Instance[], ctx: CandidateContext): Candidate | null {
  const { policy } = ctx;
  const signature = shape.structure.map((s) => s.tool);
  const all = [...instances].sort(byRecency);
  const successes = all.filter((i) => i.summary.success);
  // A tool whose parameter or result structure changed since an instance ran makes that instance stale.
  const stepShape = (i: Instance, k: number) => (i.at[k]! >= 0 ? shapeKey(i.summary.steps[i.at[k]!]!) : undefined);
  const isCurrent = (i: Instance, k: number) => i.at[k]! < 0 || isCurrentShape(ctx.currentShapes, signature[k]!, i.summary.steps[i.at[k]!]!);
  const confirmed = successes.filter((i) => signature.every((_, k) => isCurrent(i, k)));
  const basis = confirmed.length >= 2 ? confirmed : successes;
  let gate = evidenceGate(all, policy, ctx.contradicts);
  let body: ReturnType<typeof induceBody> | undefined;
  let counted: readonly Instance[] = all;
  // a kind whose failed runs passed other values than its successful runs agree on: those runs
  // are no evidence about the template (other-values.ts); induced only when the plain gate fails
  if (!gate.passes && new Set(successes.map((i) => i.summary.taskKey)).size >= 2 && all.length >= policy.minSupport) {
    body = induceBody(shape.structure, basis, policy);
    const kept = evidenceOfTemplate(all, body, policy.timeZone ?? null);
    if (kept.length < all.length) {
      gate = evidenceGate(kept, policy, ctx.contradicts, all.length);
      counted = kept;
    }
  }
  if (!gate.passes) return null;
  const conflicts = gate.conflicts;
  body = withKnownValues(body ?? induceBody(shape.structure, basis, policy), ctx.knownValues ?? new Map());

  const evidence = combinedEvidence(counted, ctx.control, ctx.now, policy);
  const confidence = confidenceOf(evidence, ctx.now, policy.confidence);
  const tools = [...new Set(signature)].sort();
  const knownErrors = tools.flatMap((t) => ctx.knowledge.knownErrors.get(t) ?? []).sort((a, b) => b.occurrences - a.occurrences || (a.toolName < b.toolName ? -1 : a.toolName > b.toolName ? 1 : 0)).slice(0, 20);
  const avoidanceHints = tools.flatMap((t) => ctx.knowledge.hints.get(t) ?? []).sort((a, b) => b.occurrences - a.occurrences || (a.toolName < b.toolName ? -1 : a.toolName > b.toolName ? 1 : 0)).slice(0, 20);
  const toolSchemaHashes: Record<string, string> = {};
  signature.forEach((tool, k) => {
    const seen = basis.map((i) => stepShape(i, k)).find((x) => x !== undefined);
    if (seen !== undefined) toolSchemaHashes[tool] ??= seen;
  });
  const control = ctx.control;
  const durations = successes.map((i) => i.summary.endedAtMs - i.summary.startedAtMs);
  const stale = confirmed.length < successes.length;
  // Promotion counts distinct tasks (runs of one task by several agents are one piece of
  // evidence) and is refused while the labels conflict: a task every run of this structure
  // failed, which some other run of the horizon did succeed at (another structure was right).
  const confirmedTasks = new Set(confirmed.map((i) => i.summary.taskKey)).size;
  const promoted = confirmedTasks >= policy.promoteAfterSuccesses && conflicts.length === 0;
  const changedTools = signature.filter((_, k) => successes.some((i) => !isCurrent(i, k)));
  const runsWord = (n: number) => (n === confirmed.length ? `${n} successful runs` : `${n} tasks (${confirmed.length} successful runs)`);
  const statusReason = promoted
    ? `promoted after ${runsWord(confirmedTasks)}`
    : conflicts.length > 0
      ? `conflicting evidence: ${conflicts.length} task${conflicts.length === 1 ? '' : 's'} failed in every run of this structure but succeeded with other calls`
      : stale
        ? `${[...new Set(changedTools)].join(', ')} changed its parameter or result structure; ${confirmedTasks} of ${policy.promoteAfterSuccesses} confirming runs so far`
        : `${confirmedTasks} of ${policy.promoteAfterSuccesses} successful runs needed for promotion`;
  const lineage = all.slice(0, policy.lineageCap);
  const structureFit = round(lineage.filter((i) => shape.accepts(i, body.steps)).length / lineage.length);
  const segment = shape.segment;
  // a query is an example of the template only when its run had the template's structure
  const candidates = segment ? successes.filter((i) => segment.triggerFrom.has(i.summary.trajectoryId)) : successes;
  const fitting = candidates.filter((i) => shape.accepts(i, body.steps));
  // a value condition's runs that made none of its conditioned steps show the look-up and the
  // comparison, not what the template does when it holds: the examples come from the acting runs
  const conditioned = body.steps.filter((s) => s.conditionJson?.includes('"whenValue"')).map((s) => s.index);
  const fitted = fitting.length > 0 ? fitting : candidates;
  const acting = conditioned.length > 0 ? fitted.filter((i) => conditioned.some((k) => (i.at[k] ?? -1) >= 0)) : fitted;
  const examplesFrom = acting.length > 0 ? acting : fitted;

  const content: TemplateContent = {
    templateId: ctx.templateId ?? (segment ? segmentTemplateId(ctx.tenantId, ctx.agentId, signature) : learnedTemplateId(ctx.tenantId, ctx.agentId, signature)),
    tenantId: ctx.tenantId,
    agentId: ctx.agentId,
    source: 'LEARNED',
    status: promoted ? 'ACTIVE' : 'DRAFT',
    name: segment ? `sub-workflow: ${structureName(body.steps)}` : structureName(body.steps),
    description: segment
      ? `Sub-workflow learned from ${all.length} runs of ${ctx.agentId} that go on in different ways: ${signature.join(' -> ')}, then planning takes over`
      : `Learned from ${all.length} runs of ${ctx.agentId}: ${signature.join(' -> ')}`,
    signature: [...signature],
    steps: body.steps,
    slots: body.slots,
    triggerExamples: selectTriggerExamples(examplesFrom, policy.triggerExamples),
    stats: {
      support: all.length,
      successes: successes.length,
      executions: control?.executions ?? 0,
      executionSuccesses: control?.executionSuccessCount ?? 0,
      meanDurationMs: round(durations.reduce((a, b) => a + b, 0) / durations.length),
      meanTokens: round(successes.reduce((a, i) => a + i.summary.tokens, 0) / successes.length),
      firstSeenMs: Math.min(...all.map((i) => i.summary.startedAtMs)),
      lastSeenMs: Math.max(...all.map((i) => i.summary.endedAtMs), control?.lastExecutionMs ?? 0),
    },
    confidence,
    belowThreshold: confidence < policy.confidenceThreshold,
    knownErrors,
    avoidanceHints,
    toolSchemaHashes,
    lineage: lineage.map((i) => ({ trajectoryId: i.summary.trajectoryId, partition: i.summary.partition, offset: i.summary.offset })),
    supersededBy: null,
    structureFit,
    partialSteps: segment ? body.steps.length : null,
    statusReason,
    conflictingTasks: conflicts.length,
  };
  return { content, trials: evidence.trials, executionTrials: decayTo(executionEvidence(control), ctx.now, policy.confidence).trials };
}
