// Induction without Kafka, for `praxis import` and the benchmark: the same processor over a
// list of trajectories (lineage names partition 0 and the trajectory's position in the list).
import type { Feedback, Template, Trajectory } from '@praxis/schemas';
import type { InducerPolicy } from './policy.js';
import { Inducer } from './processor.js';

/** The live templates (latest version of each, tombstoned ones removed) induced from these trajectories and feedback. */
export function induceTemplates(trajectories: Iterable<Trajectory>, policyFor: (tenantId: string, agentId: string) => InducerPolicy, feedback: Iterable<Feedback> = []): Template[] {
  const inducer = new Inducer(policyFor);
  const touched = new Set<string>();
  let offset = 0;
  for (const t of trajectories) {
    const key = inducer.applyTrajectory(t, 0, offset++);
    if (key) touched.add(key);
  }
  let fbOffset = 0;
  for (const f of feedback) {
    const applied = inducer.applyFeedback(f, 0, fbOffset++);
    if (applied) touched.add(applied.agentKey);
  }
  const live = new Map<string, Template>();
  for (const key of [...touched].sort()) {
    for (const out of inducer.publish(key)) {
      if (out.value === null) live.delete(out.key);
      else live.set(out.key, out.value);
    }
  }
  return [...live.values()].sort((a, b) => (a.templateId < b.templateId ? -1 : 1));
}
