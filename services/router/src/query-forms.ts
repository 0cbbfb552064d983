// Slots learned with a query form (docs/learning.md, "Binding by transformation") are read
// from a new query the way the inducer read past ones: dates in words or relative to the
// request's time ("next Tuesday"), full names, tokens with their punctuation. The slot
// holds the value as read; the template's parameter transform gives the tool its form.
import { querySpans, schemaProblem, slotConstraint, type QueryForm, type QuerySpan, type TaskTime } from '@praxis/core';
import type { Slot } from '@praxis/schemas';

/** Character ranges of the query already bound to a slot. */
export type UsedRanges = [number, number][];

const overlaps = (used: UsedRanges, s: QuerySpan) => used.some(([a, b]) => s.start < b && s.end > a);

/**
 * The first unused span of the slot's form that satisfies its schema (a learned enum is
 * what was seen, not what is allowed: left out), marked used; undefined when none does.
 * Tokens and names bind only with a schema that tells them apart from any other word (a
 * pattern or format), since every word of a query is a token and many pairs look like names.
 */
export function formValue(slot: Slot, query: string, time: TaskTime, used: UsedRanges, source: 'LEARNED' | 'USER'): string | undefined {
  const form = slot.queryForm as QueryForm | null | undefined;
  if (!form) return undefined;
  let schema: Record<string, unknown>;
  try {
    schema = JSON.parse(slot.schemaJson) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (form === 'token' && !schema.pattern && !schema.format && !Array.isArray(schema.enum)) return undefined;
  const constraint = slotConstraint(schema, source);
  let spans = querySpans(query, form, time).filter((s) => !overlaps(used, s));
  if (form === 'name') {
    // names as long as the ones seen first ("Carlos Rodriguez" before "Meet Carlos Rodriguez")
    const lengths = new Set(slot.examplesJson.map((e) => (typeof e === 'string' ? (JSON.parse(e) as unknown) : null)).filter((e): e is string => typeof e === 'string').map((e) => e.trim().split(/\s+/).length));
    spans = [...spans].sort((a, b) => Number(!lengths.has(a.value.split(/\s+/).length)) - Number(!lengths.has(b.value.split(/\s+/).length)));
  }
  for (const span of spans) {
    if (Array.isArray(schema.enum) && source === 'LEARNED' && form === 'token' && !schema.enum.some((e) => String(e).toLowerCase() === span.value.toLowerCase())) continue;
    if (schemaProblem(constraint, span.value) !== null) continue;
    used.push([span.start, span.end]);
    return span.value;
  }
  return undefined;
}
