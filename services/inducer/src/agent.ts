// The sliding horizon of one agent: its most recent trajectories, bounded in event time and
// in count, kept in (endedAt, id) order so that what is kept never depends on arrival order.
import type { InducerPolicy } from './policy.js';
import type { TrajectorySummary } from './summary.js';

const before = (a: TrajectorySummary, b: TrajectorySummary) => a.endedAtMs < b.endedAtMs || (a.endedAtMs === b.endedAtMs && a.trajectoryId < b.trajectoryId);

/** One agent's kept trajectories. */
export class AgentHorizon {
  /** Oldest first. */
  ring: TrajectorySummary[] = [];
  private readonly ids = new Set<string>();
  /** Latest event time seen through trajectories (never decreases, even when they leave the ring). */
  maxEndedAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly tenantId: string,
    readonly agentId: string,
    /** Partition of praxis.trajectories.v1 the agent's trajectories arrive on. */
    readonly partition: number,
  ) {}

  get key(): string {
    return `${this.tenantId}/${this.agentId}`;
  }

  has(trajectoryId: string): boolean {
    return this.ids.has(trajectoryId);
  }

  /**
   * Adds a trajectory unless it is a repeat; then forgets what falls out of the horizon.
   * Its end time moves the agent's clock at most to `maxClockMs` (broker time plus skew).
   * Returns whether the ring changed.
   */
  add(t: TrajectorySummary, clockMs: number, policy: InducerPolicy, maxClockMs = Number.POSITIVE_INFINITY): boolean {
    if (this.ids.has(t.trajectoryId)) return false;
    this.maxEndedAtMs = Math.max(this.maxEndedAtMs, Math.min(t.endedAtMs, maxClockMs));
    let i = this.ring.length;
    while (i > 0 && before(t, this.ring[i - 1]!)) i--;
    this.ring.splice(i, 0, t);
    this.ids.add(t.trajectoryId);
    const evicted = this.evict(Math.max(clockMs, this.maxEndedAtMs), policy);
    return !evicted.includes(t.trajectoryId) || evicted.length > 1;
  }

  /** Drops trajectories older than the horizon, and the oldest beyond the count bound. Returns their ids. */
  evict(clockMs: number, policy: InducerPolicy): string[] {
    let drop = 0;
    while (drop < this.ring.length && this.ring[drop]!.endedAtMs < clockMs - policy.horizonMs) drop++;
    drop = Math.max(drop, this.ring.length - policy.horizonTrajectories);
    if (drop <= 0) return [];
    const gone = this.ring.slice(0, drop).map((t) => t.trajectoryId);
    this.ring = this.ring.slice(drop);
    for (const id of gone) this.ids.delete(id);
    return gone;
  }

  /** Lowest offset of a kept trajectory (where a replay must start to rebuild the ring), or null. */
  minOffset(): number | null {
    let min: number | null = null;
    for (const t of this.ring) if (min === null || t.offset < min) min = t.offset;
    return min;
  }
}
