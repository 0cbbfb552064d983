// Which tasks an inducer member owns and whether each has caught up with its input since it
// was taken over. A task is one partition number of the co-partitioned input (trajectories,
// feedback) and holds whole tenants: task = murmur2(tenant) mod T (docs/scaling.md).
import { partitionOf, tp } from '@praxis/kafka';

/** End and committed offset of one input partition of a task, when it was taken over. */
export interface TakeoverOffsets {
  topic: string;
  partition: number;
  /** High watermark: the replay must reach it before the task publishes. */
  high: number;
  /** The group's committed offset (-1: none); the member resumes there. */
  committed: number;
}

/** The tasks one member owns; catch-up targets are set per task at every takeover, never once at start. */
export class TaskTable {
  private readonly owned = new Map<number, string[]>();
  private readonly targets = new Map<string, number>();
  private readonly applied = new Map<string, number>();

  constructor(readonly tasks: number) {}

  /** The task that owns a tenant's records on every co-partitioned topic. */
  taskOfTenant(tenantId: string): number {
    return partitionOf(tenantId, this.tasks);
  }

  /** The task of an agent key ("tenant/agent"). */
  taskOfAgent(agentKey: string): number {
    return this.taskOfTenant(agentKey.slice(0, agentKey.indexOf('/')));
  }

  /** Whether a record read from `partition` belongs to the task of its tenant (false: written before tenant partitioning). */
  inPlace(tenantId: string, partition: number): boolean {
    return partition % this.tasks === this.taskOfTenant(tenantId);
  }

  owns(task: number): boolean {
    return this.owned.has(task);
  }

  /** Takes a task over, with the offsets its replay starts from and must reach. */
  take(task: number, inputs: readonly TakeoverOffsets[]): void {
    const keys: string[] = [];
    for (const i of inputs) {
      const key = tp(i.topic, i.partition);
      keys.push(key);
      this.targets.set(key, i.high);
      this.applied.set(key, i.committed >= 0 ? i.committed - 1 : -1);
    }
    this.owned.set(task, keys);
  }

  /** Gives a task up. */
  drop(task: number): void {
    for (const key of this.owned.get(task) ?? []) {
      this.targets.delete(key);
      this.applied.delete(key);
    }
    this.owned.delete(task);
  }

  /** Records that the member applied `topic`/`partition` up to `offset`. */
  advance(topic: string, partition: number, offset: number): void {
    const key = tp(topic, partition);
    this.applied.set(key, Math.max(this.applied.get(key) ?? -1, offset));
  }

  /** Whether every input partition of an owned task has been applied up to its takeover end. */
  caughtUp(task: number): boolean {
    const keys = this.owned.get(task);
    if (!keys) return false;
    return keys.every((k) => (this.applied.get(k) ?? -1) >= (this.targets.get(k) ?? 0) - 1);
  }

  /** Input partitions of owned tasks that have not reached their takeover end yet. */
  pendingInputs(): { topic: string; partition: number }[] {
    const out: { topic: string; partition: number }[] = [];
    for (const keys of this.owned.values()) {
      for (const k of keys) {
        if ((this.applied.get(k) ?? -1) >= (this.targets.get(k) ?? 0) - 1) continue;
        const at = k.lastIndexOf(':');
        out.push({ topic: k.slice(0, at), partition: Number(k.slice(at + 1)) });
      }
    }
    return out;
  }

  /** Owned tasks, in order. */
  ownedTasks(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  /** Owned tasks that have not caught up yet. */
  restoring(): number {
    return this.ownedTasks().filter((t) => !this.caughtUp(t)).length;
  }

  /** The last offset applied per partition of `topic`. */
  appliedOf(topic: string): Map<number, number> {
    const out = new Map<number, number>();
    for (const [key, offset] of this.applied) if (key.startsWith(`${topic}:`)) out.set(Number(key.slice(topic.length + 1)), offset);
    return out;
  }
}
