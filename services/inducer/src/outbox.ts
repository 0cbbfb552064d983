// What the inducer still owes the topics: agents whose templates may have changed and
// control changes not yet in the changelog. Output before state: an agent leaves the outbox,
// and its plan becomes the published state, only when the runner reports its records
// acknowledged. A failed send leaves everything here, so the next batch or tick plans again
// from the state and sends the same versions, with no new input. See docs/learning.md.
import type { TemplateControl } from './control.js';
import type { Inducer, PublishPlan, TemplateOutput } from './processor.js';

/** Records to send and what to do once the broker has acknowledged them. */
export interface OutboxDelivery {
  templates: TemplateOutput[];
  controls: TemplateControl[];
  /** Agents planned (induced again) for this delivery. */
  planned: number;
  /** Call only after every record of this delivery is acknowledged. */
  acknowledged: () => void;
}

/** The inducer's unacknowledged work; deliveries are planned and acknowledged one at a time (the runner's turn). */
export class Outbox {
  private readonly dirty = new Set<string>();
  private readonly controls = new Map<string, TemplateControl>();

  constructor(private readonly inducer: Inducer) {}

  /** Marks an agent's templates for re-induction. */
  touch(agentKey: string): void {
    this.dirty.add(agentKey);
  }

  /** Queues a control change for the changelog. */
  control(c: TemplateControl): void {
    this.controls.set(c.templateId, c);
  }

  /** Drops what is owed for the tenants `drop` names (their task moved: the new owner re-plans from its restored state). */
  forget(drop: (tenantId: string) => boolean): void {
    for (const key of [...this.dirty]) if (drop(key.slice(0, key.indexOf('/')))) this.dirty.delete(key);
    for (const [id, c] of [...this.controls]) if (drop(c.tenantId)) this.controls.delete(id);
  }

  /** Agents to re-induce and control changes not yet acknowledged. */
  get size(): number {
    return this.dirty.size + this.controls.size;
  }

  /**
   * Plans every dirty agent that `ready` admits (its horizon is rebuilt), in key order,
   * plus the pending control changes. Templates come before the changelog records, so a
   * crash between them re-applies feedback idempotently rather than losing a version.
   */
  deliver(ready: (agentKey: string) => boolean): OutboxDelivery {
    const plans: PublishPlan[] = [];
    const done: string[] = [];
    for (const key of [...this.dirty].sort()) {
      if (!this.inducer.agents.has(key) || !ready(key)) continue;
      plans.push(this.inducer.plan(key));
      done.push(key);
    }
    const controls = [...this.controls.values()];
    return {
      templates: plans.flatMap((p) => p.outputs),
      controls,
      planned: plans.length,
      acknowledged: () => {
        for (const p of plans) this.inducer.acknowledge(p);
        for (const key of done) this.dirty.delete(key);
        // a newer change of the same template queued meanwhile stays
        for (const c of controls) if (this.controls.get(c.templateId) === c) this.controls.delete(c.templateId);
      },
    };
  }
}
