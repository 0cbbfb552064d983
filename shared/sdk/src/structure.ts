// The structures a step may have beyond one call (docs/learning.md, "Structures"): whether
// an optional step runs, and the elements a loop step iterates over.
import { boundsSatisfy, getPath, hasElements, hasIdentifierWords, numericBounds, parseComparison } from '@praxis/core';
import { loopWhere, StepConditionSchema, type StepCondition, type TemplateStep } from '@praxis/schemas';
import { ParameterError } from './params.js';

/** What the executor reads of a step's structure; every field is optional for workflows written before structures existed. */
export type StructuredStep = Pick<TemplateStep, 'index'> & Partial<Pick<TemplateStep, 'loop' | 'optional' | 'conditionJson'>>;

/** The condition of an optional step, or null when it has none (or one this SDK does not read: then its inputs decide). */
export function conditionOf(step: StructuredStep): StepCondition | null {
  if (!step.optional || !step.conditionJson) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(step.conditionJson);
  } catch {
    return null;
  }
  const condition = StepConditionSchema.safeParse(parsed);
  return condition.success ? condition.data : null;
}

/**
 * Whether an optional step's learned condition holds (true when it has none). `results` are
 * the earlier steps' results by index; a step that was skipped has none, so its result "has none".
 */
export function conditionHolds(step: StructuredStep, bindings: Record<string, unknown>, results: readonly unknown[] = []): boolean {
  const condition = conditionOf(step);
  if (!condition) return true;
  if ('whenSlot' in condition) {
    const value = bindings[condition.whenSlot];
    return value !== undefined && value !== null && value !== '';
  }
  if ('whenValue' in condition) {
    // the comparison the query wrote (">21"), on the live result's numbers; no comparison or no numbers: it does not hold
    const { step: source, path, quantifier, slot, holds } = condition.whenValue;
    const comparison = parseComparison(bindings[slot]);
    const result = results[source];
    const bounds = result === undefined ? null : numericBounds(path === '' ? result : getPath(result, path));
    if (!comparison || !bounds) return false;
    return boundsSatisfy(bounds, comparison, quantifier) === holds;
  }
  const { step: source, path, has } = condition.whenResult;
  const result = results[source];
  const value = result === undefined || path === '' ? result : getPath(result, path);
  return hasElements(value) === (has === 'elements');
}

/** A condition in words, for a skipped step's reason (`firstStep`: the number of the first step, 0 as in `index`). */
export function describeCondition(condition: StepCondition, firstStep = 0): string {
  if ('whenSlot' in condition) return `slot "${condition.whenSlot}" has a value`;
  if ('whenValue' in condition) {
    const { step, path, quantifier, slot, holds } = condition.whenValue;
    return `${holds ? '' : 'not '}${quantifier} numbers of step ${step + firstStep}'s result${path ? ` at ${path}` : ''} satisfy slot "${slot}"`;
  }
  const { step, path, has } = condition.whenResult;
  return `step ${step + firstStep}'s result${path ? ` at ${path}` : ''} has ${has === 'elements' ? 'elements' : 'no elements'}`;
}

/**
 * The elements a loop step iterates over, or a ParameterError when the collection is missing,
 * is a non-empty object rather than an array, or is longer than the loop allows. A result that
 * has no elements (null, a scalar such as "No events found.") is a loop over none: nothing to
 * do, as `hasElements` reads it for a condition, and as induction counted a run whose loop ran
 * zero times.
 */
export function loopElements(step: StructuredStep, bindings: Record<string, unknown>, results: readonly unknown[]): unknown[] {
  const loop = step.loop;
  if (!loop) throw new ParameterError(step.index, '', 'the step has no loop');
  let collection: unknown;
  let where: string;
  if (loop.overSlot !== null) {
    collection = bindings[loop.overSlot];
    where = `slot "${loop.overSlot}"`;
  } else {
    const source = loop.overStepIndex ?? -1;
    if (source < 0 || source >= step.index) throw new ParameterError(step.index, '', `loops over step ${source}, which has not run`);
    collection = results[source] === undefined ? undefined : getPath(results[source], loop.overPath ?? '');
    where = `step ${source}'s result${loop.overPath ? ` at ${loop.overPath}` : ''}`;
  }
  if (collection === undefined) throw new ParameterError(step.index, '', `nothing to loop over: ${where} has no value`);
  if (!Array.isArray(collection)) {
    if (!hasElements(collection)) return [];
    throw new ParameterError(step.index, '', `${where} is not a list`);
  }
  const filter = loopWhere(loop);
  if (filter) {
    // only the elements whose field has the word the slot holds ("all the mails from kofi" among a search's mails)
    const { field, slot } = filter;
    const word = bindings[slot];
    if (typeof word !== 'string' || word.trim() === '') throw new ParameterError(step.index, '', `loops over the elements whose ${field} has the word of slot "${slot}", which has no value`);
    collection = collection.filter((e) => e !== null && typeof e === 'object' && hasIdentifierWords((e as Record<string, unknown>)[field], word));
  }
  if ((collection as unknown[]).length > loop.maxIterations) throw new ParameterError(step.index, '', `${where} has ${(collection as unknown[]).length} elements, more than the loop's ${loop.maxIterations}`);
  return collection as unknown[];
}

/** The slots an optional step takes that have no value (a step with missing inputs is skipped, not called with fewer arguments). */
export function missingInputs(step: StructuredStep & Pick<TemplateStep, 'params'>, bindings: Record<string, unknown>): string[] {
  if (!step.optional) return [];
  return [...new Set(step.params.filter((p) => p.kind === 'SLOT' && p.slotName !== null && bindings[p.slotName] === undefined).map((p) => p.slotName!))];
}
