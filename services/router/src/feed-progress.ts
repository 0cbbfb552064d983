// Where the template feed stands, as a pure state machine (the kafkajs adapter in
// template-feed.ts feeds it events). The index is "caught up" when every assigned partition
// has been read up to the high watermark captured at the last group join: a (re)join resets
// the flag until the new targets are reached, so the state stays true across a rebalance or a
// broker restart instead of being decided once. Positions survive a rejoin (the adapter seeks
// back to them), so a rejoin reads only what is new.
//
// A compacted partition can end in a gap (its last records, tombstones, were removed), so its
// high watermark is never reached by a record. Such a partition counts as caught up after
// QUIET_ROUNDS fetch rounds in a row that the broker answered with nothing at all: a fetch
// returns data when there is any at the position, so two empty answers prove the gap. Time
// without progress proves nothing (a slow join or a slow embedder looks the same).

/** Empty fetch rounds in a row after which a partition short of its target counts as caught up. */
export const QUIET_ROUNDS = 2;

export interface PartitionState {
  /** Next offset to read. */
  next: bigint;
  /** High watermark captured at the last join (null: not captured yet). */
  target: bigint | null;
  /** Latest high watermark seen. */
  high: bigint;
  quietRounds: number;
}

export interface FeedSnapshot {
  caughtUp: boolean;
  /** Records still to read, per assigned partition, against the latest high watermark seen. */
  lag: Record<string, number>;
  /** Group joins seen (1 after the first join). */
  joins: number;
  /** Batches and records handed to the index since start. */
  batches: number;
  records: number;
  /** Why the feed is not caught up, when it is not. */
  waiting: string | null;
}

/** The feed's progress: positions, targets, joins, counts. */
export class FeedProgress {
  private readonly partitions = new Map<number, PartitionState>();
  private assigned = new Set<number>();
  private generation = 0;
  private targetsGeneration = -1;
  private stopped: string | null = 'not started';
  private batches = 0;
  private records = 0;

  /** Called on a group join with the partitions assigned; returns the positions to seek back to. */
  joined(assigned: number[]): { partition: number; offset: bigint }[] {
    this.generation++;
    this.stopped = null;
    this.assigned = new Set(assigned);
    const seeks: { partition: number; offset: bigint }[] = [];
    for (const p of assigned) {
      const s = this.partitions.get(p);
      if (s) {
        s.target = null;
        s.quietRounds = 0;
        seeks.push({ partition: p, offset: s.next });
      }
    }
    return seeks;
  }

  /** Batches applied so far (cheap: read at every fetch round). */
  get appliedBatches(): number {
    return this.batches;
  }

  /** The current join generation (targets captured for an older one are ignored). */
  get joinGeneration(): number {
    return this.generation;
  }

  /** The high watermarks (and log start offsets) read after join `generation`. */
  targets(generation: number, offsets: { partition: number; low: bigint; high: bigint }[]): void {
    if (generation !== this.generation) return;
    for (const o of offsets) {
      const s = this.partitions.get(o.partition);
      if (s) {
        s.target = o.high;
        if (o.high > s.high) s.high = o.high;
        // the log start moved past our position (retention, a recreated topic): nothing to read below it
        if (s.next < o.low) s.next = o.low;
      } else this.partitions.set(o.partition, { next: o.low, target: o.high, high: o.high, quietRounds: 0 });
    }
    this.targetsGeneration = generation;
  }

  /** A batch was applied: `lastOffset` read, `highWatermark` as the broker reported it. */
  batch(partition: number, lastOffset: bigint, highWatermark: bigint, count: number): void {
    this.batches++;
    this.records += count;
    const s = this.partitions.get(partition) ?? { next: 0n, target: null, high: 0n, quietRounds: 0 };
    if (lastOffset + 1n > s.next) s.next = lastOffset + 1n;
    if (highWatermark > s.high) s.high = highWatermark;
    s.quietRounds = 0;
    this.partitions.set(partition, s);
  }

  /** A fetch round the broker answered with no records for any partition. */
  quietRound(): void {
    for (const p of this.assigned) {
      const s = this.partitions.get(p);
      if (s) s.quietRounds++;
    }
  }

  /** A fetch round that delivered something (the adapter calls batch() for each record batch). */
  busyRound(): void {
    for (const s of this.partitions.values()) s.quietRounds = 0;
  }

  /** The consumer stopped or crashed for good: the index no longer follows the topic. */
  halted(reason: string): void {
    this.stopped = reason;
    this.assigned = new Set();
  }

  /** Whether every assigned partition reached its target, and the lag now. */
  snapshot(): FeedSnapshot {
    const lag: Record<string, number> = {};
    let waiting: string | null = this.stopped;
    if (waiting === null && this.targetsGeneration !== this.generation) waiting = 'reading the high watermarks after joining the group';
    for (const p of [...this.assigned].sort((a, b) => a - b)) {
      const s = this.partitions.get(p);
      lag[String(p)] = s ? Number(s.high > s.next ? s.high - s.next : 0n) : 0;
      if (waiting !== null || !s || s.target === null) continue;
      if (s.next < s.target && s.quietRounds < QUIET_ROUNDS) waiting = `partition ${p} at ${s.next}, target ${s.target}`;
    }
    if (waiting === null && this.assigned.size === 0) waiting = 'no partition assigned';
    return { caughtUp: waiting === null, lag, joins: this.generation, batches: this.batches, records: this.records, waiting };
  }
}
