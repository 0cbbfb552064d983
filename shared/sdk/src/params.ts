// Resolution of a step's call arguments from its template params: constants, slot values,
// and fields of earlier steps' results (dot paths, or the element a rule chooses).
import { applyValueTransform, withSlotDurations, getPath, joinPath, schemaProblems, SELECTED_ELEMENT, selectElement, SelectionError, selectorWord, setPath, slotConstraint, splitPath, TransformError, withSelectorWord } from '@praxis/core';
import type { Slot, TemplateStep } from '@praxis/schemas';

/** A parameter that could not be resolved: the step fails before its tool is called. */
export class ParameterError extends Error {
  override name = 'ParameterError';
  constructor(readonly stepIndex: number, readonly path: string, message: string) {
    super(`step ${stepIndex}, parameter ${path || '(all)'}: ${message}`);
  }
}

/** The value as the tool takes it: the parameter's transform applied (the slot holds the value as read from the query). */
function transformed(stepIndex: number, path: string, transform: string | null | undefined, value: unknown, bindings: Record<string, unknown>): unknown {
  try {
    // a step that moves a date-time by a slot's duration reads the slot here (add_duration:<slot>)
    return applyValueTransform(withSlotDurations(transform, bindings), value);
  } catch (error) {
    if (error instanceof TransformError) throw new ParameterError(stepIndex, path, `transform ${transform}: ${error.message}`);
    throw error;
  }
}

/**
 * The value at `resultPath` of the element `select` chooses: the path's * segment stands for
 * the chosen element of the array before it (`*.id`: the id of the chosen element of the result).
 */
function selectedValue(stepIndex: number, path: string, source: number, result: unknown, resultPath: string, select: string): unknown {
  const segments = splitPath(resultPath);
  const at = segments.indexOf(SELECTED_ELEMENT);
  if (at < 0) throw new ParameterError(stepIndex, path, `selects ${select}, but the result path ${resultPath} has no ${SELECTED_ELEMENT} segment`);
  const arrayPath = joinPath(segments.slice(0, at));
  try {
    const element = selectElement(getPath(result, arrayPath), select);
    return getPath(element, joinPath(segments.slice(at + 1)));
  } catch (error) {
    if (error instanceof SelectionError) throw new ParameterError(stepIndex, path, `step ${source}'s result${arrayPath ? ` at ${arrayPath}` : ''} ${error.message}, so no element is ${select}`);
    throw error;
  }
}

/** A rule that filters the elements by a word names the slot that holds it (`first@from~sender_word`): the rule with the slot's value. */
function withSlotWord(stepIndex: number, path: string, select: string, bindings: Record<string, unknown>): string {
  const slot = selectorWord(select);
  if (slot === null) return select;
  const word = bindings[slot];
  if (typeof word !== 'string' || word.trim() === '') throw new ParameterError(stepIndex, path, `selects by the word of slot "${slot}", which has no value`);
  return withSelectorWord(select, word.trim());
}

/** What resolution reads of a step: its index and parameters. */
export type ResolvableStep = Pick<TemplateStep, 'index' | 'params'>;

/**
 * The call arguments of a step, or a ParameterError naming the first parameter that cannot
 * be resolved. `item` is the current element of the step's loop (LOOP_ITEM parameters).
 */
export function resolveParams(step: ResolvableStep, slots: Slot[], bindings: Record<string, unknown>, results: unknown[], source: 'LEARNED' | 'USER' = 'USER', item?: { value: unknown }): Record<string, unknown> {
  let params: Record<string, unknown> = {};
  for (const p of step.params) {
    let value: unknown;
    if (p.kind === 'CONSTANT') {
      value = JSON.parse(p.valueJson ?? 'null');
    } else if (p.kind === 'SLOT') {
      const slot = slots.find((s) => s.name === p.slotName);
      if (!slot) throw new ParameterError(step.index, p.path, `names no slot ("${p.slotName}")`);
      value = bindings[slot.name];
      // a slot its schema gives a default takes it unbound, as the router binds it: a filter left out would widen a search the step acts on
      if (value === undefined) value = (JSON.parse(slot.schemaJson) as { default?: unknown }).default;
      if (value === undefined) {
        if (slot.required) throw new ParameterError(step.index, p.path, `slot "${slot.name}" has no value`);
        continue;
      }
      const problem = schemaProblems(slotConstraint(JSON.parse(slot.schemaJson) as Record<string, unknown>, source), value);
      if (problem) throw new ParameterError(step.index, p.path, `slot "${slot.name}": ${problem}`);
    } else if (p.kind === 'LOOP_ITEM') {
      if (!item) throw new ParameterError(step.index, p.path, 'takes a loop element, but the step has no loop');
      value = p.resultPath ? getPath(item.value, p.resultPath) : item.value;
      if (value === undefined) throw new ParameterError(step.index, p.path, `the loop element has no ${p.resultPath}`);
    } else {
      const source = p.stepIndex ?? -1;
      if (source < 0 || source >= step.index) throw new ParameterError(step.index, p.path, `refers to step ${source}, which has not run`);
      if (results[source] === undefined) throw new ParameterError(step.index, p.path, `step ${source} was skipped`);
      value = p.select ? selectedValue(step.index, p.path, source, results[source], p.resultPath ?? '', withSlotWord(step.index, p.path, p.select, bindings)) : getPath(results[source], p.resultPath ?? '');
      if (value === undefined) throw new ParameterError(step.index, p.path, `step ${source}'s result has no ${p.resultPath || 'value'}`);
    }
    value = transformed(step.index, p.path, p.transform, value, bindings);
    if (p.path === '') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ParameterError(step.index, p.path, 'the whole arguments must be an object');
      params = { ...(value as Record<string, unknown>), ...params };
    } else {
      setPath(params, p.path, structuredClone(value));
    }
  }
  return params;
}
