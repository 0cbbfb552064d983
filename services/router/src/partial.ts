// Partial answers (docs/router.md, "Partial answers"): a template that is reliable only in
// its first steps (a learned sub-workflow, `partialSteps`) is served as those steps, and the
// answer says where the agent's planning takes over.
import type { PartialAnswer } from '@praxis/contracts';
import { selectorWord } from '@praxis/core';
import { loopWhere, StepConditionSchema, type Template } from '@praxis/schemas';

/** The part of a template the router serves (the whole template when it has no `partialSteps`), with the partial answer it makes. */
export function servedPart(t: Template): { template: Template; partial: PartialAnswer | null } {
  const n = t.partialSteps;
  if (n === null || n <= 0) return { template: t, partial: null };
  const steps = t.steps.slice(0, n);
  const used = new Set<string>();
  for (const s of steps) {
    for (const p of s.params) {
      if (p.kind === 'SLOT' && p.slotName) used.add(p.slotName);
      // an element chosen by the word a slot holds (first@<field>~<slot>)
      const word = p.select ? selectorWord(p.select) : null;
      if (word !== null) used.add(word);
    }
    if (s.loop?.overSlot) used.add(s.loop.overSlot);
    const where = loopWhere(s.loop);
    if (where) used.add(where.slot);
    if (s.conditionJson) {
      const c = StepConditionSchema.safeParse(JSON.parse(s.conditionJson));
      if (c.success && 'whenSlot' in c.data) used.add(c.data.whenSlot);
      if (c.success && 'whenValue' in c.data) used.add(c.data.whenValue.slot);
    }
  }
  const reason =
    n === t.steps.length
      ? `"${t.name}" recurs in tasks that go on in different ways: reuse its ${n} step(s), then plan the rest from their results`
      : `only the first ${n} of ${t.steps.length} steps of "${t.name}" are reliable: reuse them, then plan the rest from their results`;
  return {
    template: { ...t, steps, signature: t.signature.slice(0, n), slots: t.slots.filter((s) => used.has(s.name)) },
    partial: { reuseSteps: n, planFrom: n, reason },
  };
}
