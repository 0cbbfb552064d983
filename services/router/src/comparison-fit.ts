// A template with a value condition (docs/learning.md, "Conditional steps on a value") acts on
// a comparison the query writes ("more than 21"): its condition reads it from the `comparison`
// query form. A query that writes none is another task, however close its words: the
// candidate is refused (as a structural conflict is), not served with a slot no reading fills.
import { comparisonSpans } from '@praxis/core';
import type { Template } from '@praxis/schemas';
import type { Conflict } from './structural.js';

/** The refusal of a candidate whose required comparison slot the query cannot fill, or null. */
export function comparisonRefusal(query: string, t: Pick<Template, 'slots'>): Conflict | null {
  const slot = t.slots.find((s) => s.required && s.source === 'QUERY' && s.queryForm === 'comparison');
  if (!slot || comparisonSpans(query).length > 0) return null;
  return { kind: 'entity', blocks: 'candidate', detail: `the template acts on a comparison with a number (slot ${slot.name}); the query writes none` };
}
