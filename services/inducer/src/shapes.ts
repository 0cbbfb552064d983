// A tool's current structures (docs/learning.md, "Lifecycle"): which result shapes of its
// successful calls still describe the tool. A tool that changed its interface stops producing
// the old shape once the new one appears; a tool whose results simply vary keeps producing
// all of them side by side. Judged per call form (the parameters' shape): calls with other
// optional parameters are other forms, not a change.
import { shapeHash } from '@praxis/core';
import type { TrajectorySummary } from './summary.js';

/** "<paramShapeHash>/<resultShapeHash>" of a call. */
export const shapeKey = (s: { paramShapeHash: string; resultShapeHash: string | null }) => `${s.paramShapeHash}/${s.resultShapeHash ?? '-'}`;

// An empty list, null or no result says nothing about the result's structure: it fits any list.
const UNINFORMATIVE = new Set([shapeHash([]), shapeHash(null), '-']);

/** Per tool, the current shape keys, and the call forms (parameter shapes) seen with an informative result. */
export interface CurrentShapes {
  current: Map<string, Set<string>>;
}

/**
 * The current shapes over a horizon (oldest first). Among a tool's successful calls of one
 * form, a result shape is stale when a newer one (first seen after the stale one's last call)
 * exists and the calls of that form since its last use would, at the rate the shape was used
 * while it was in use, have used it at least `expectedUses` times. So a result that gains a
 * field makes the old shape stale after a few calls with the new one, while a shape one call
 * in five gets stays current until some fifteen calls went by without it.
 */
export function currentShapes(ring: readonly TrajectorySummary[], expectedUses = 3): CurrentShapes {
  const forms = new Map<string, { tool: string; calls: number; shapes: Map<string, { first: number; last: number; count: number }> }>();
  for (const run of ring) {
    for (const s of run.steps) {
      if (s.status !== 'OK' || UNINFORMATIVE.has(s.resultShapeHash ?? '-')) continue;
      const formKey = `${s.toolName}\u0000${s.paramShapeHash}`;
      const form = forms.get(formKey) ?? { tool: s.toolName, calls: 0, shapes: new Map() };
      const k = shapeKey(s);
      const e = form.shapes.get(k) ?? { first: form.calls, last: form.calls, count: 0 };
      e.last = form.calls;
      e.count++;
      form.shapes.set(k, e);
      form.calls++;
      forms.set(formKey, form);
    }
  }
  const current = new Map<string, Set<string>>();
  for (const form of forms.values()) {
    const entries = [...form.shapes.values()];
    const set = current.get(form.tool) ?? new Set<string>();
    for (const [k, e] of form.shapes) {
      const newer = entries.some((o) => o.first > e.last);
      const missed = (form.calls - 1 - e.last) * (e.count / (e.last - e.first + 1));
      if (!newer || missed < expectedUses) set.add(k);
    }
    current.set(form.tool, set);
  }
  return { current };
}

/** Whether a call's shape is current: uninformative results always are; a form never seen with an informative result too. */
export function isCurrentShape(shapes: CurrentShapes, tool: string, step: { paramShapeHash: string; resultShapeHash: string | null }): boolean {
  if (UNINFORMATIVE.has(step.resultShapeHash ?? '-')) return true;
  const set = shapes.current.get(tool);
  return set?.has(shapeKey(step)) ?? false;
}
