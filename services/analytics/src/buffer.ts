// The sink's batch across partitions, bounded by rows, bytes and age, and the offset
// bookkeeping that makes "commit only after ClickHouse acknowledged" hold. Pure: no I/O.
import type { TableRow } from './rows.js';

/** When a batch must be written. */
export interface BatchLimits {
  maxRows: number;
  maxBytes: number;
  /** Age of the oldest buffered row that forces a flush. */
  maxAgeMs: number;
}

/** Where a buffered row came from, enough to commit past it or dead-letter it. */
export interface RowSource {
  topic: string;
  partition: number;
  offset: string;
}

/** One buffered row: its JSONEachRow line and its source. */
export interface BufferedRow<S extends RowSource = RowSource> {
  row: TableRow;
  line: string;
  source: S;
}

/** A commit a flush made possible. */
export interface OffsetCommit {
  topic: string;
  partition: number;
  offset: string;
}

const key = (topic: string, partition: number) => `${topic}:${partition}`;
const next = (offset: string) => (BigInt(offset) + 1n).toString();

/** The JSONEachRow line of a row. */
export const lineOf = (row: TableRow) => `${JSON.stringify(row.row)}\n`;

/**
 * Rows waiting for ClickHouse. Offsets: while a partition has buffered rows, its commits are
 * held at its first buffered offset; after a flush, it may commit up to the next offset after
 * the last record the sink received from it.
 */
export class RowBuffer<S extends RowSource = RowSource> {
  private entries: BufferedRow<S>[] = [];
  private bytesHeld = 0;
  private oldestAt: number | null = null;
  /** Per partition: first buffered offset. */
  private readonly firstHeld = new Map<string, string>();
  /** Per partition: next offset after the last record received. */
  private readonly received = new Map<string, OffsetCommit>();
  /** Commits released by flushes and not yet handed out. */
  private readonly released = new Map<string, OffsetCommit>();
  /** The batch being written, while new rows gather (beginFlush .. flushed / flushFailed). */
  private inFlight: { entries: BufferedRow<S>[]; firstHeld: Map<string, string>; received: Map<string, OffsetCommit> } | null = null;

  constructor(readonly limits: BatchLimits) {}

  get rows(): number {
    return this.entries.length;
  }

  get bytes(): number {
    return this.bytesHeld;
  }

  /** The buffered rows, oldest first. */
  contents(): readonly BufferedRow<S>[] {
    return this.entries;
  }

  /** Whether `rows` more rows of `bytes` fit without passing a limit (an empty buffer takes anything). */
  hasRoomFor(rows: number, bytes: number): boolean {
    return this.entries.length === 0 || (this.entries.length + rows <= this.limits.maxRows && this.bytesHeld + bytes <= this.limits.maxBytes);
  }

  isFull(): boolean {
    return this.entries.length >= this.limits.maxRows || this.bytesHeld >= this.limits.maxBytes;
  }

  /** Full, or holding a row older than maxAgeMs. */
  isDue(now: number): boolean {
    return this.isFull() || (this.oldestAt !== null && now - this.oldestAt >= this.limits.maxAgeMs);
  }

  /** Adds rows, and records that everything up to `lastOffset` of the partition was received. */
  add(rows: BufferedRow<S>[], received: { topic: string; partition: number; lastOffset: string }, now: number): void {
    for (const r of rows) {
      this.entries.push(r);
      this.bytesHeld += r.line.length;
      const k = key(r.source.topic, r.source.partition);
      if (!this.firstHeld.has(k)) this.firstHeld.set(k, r.source.offset);
    }
    if (rows.length > 0 && this.oldestAt === null) this.oldestAt = now;
    this.received.set(key(received.topic, received.partition), { topic: received.topic, partition: received.partition, offset: next(received.lastOffset) });
  }

  /** The offset a partition's commits must not pass: its first buffered or in-flight one, if any. */
  holdFor(topic: string, partition: number): string | undefined {
    const k = key(topic, partition);
    return this.inFlight?.firstHeld.get(k) ?? this.firstHeld.get(k);
  }

  /** Rows of the batch being written. */
  get inFlightRows(): number {
    return this.inFlight?.entries.length ?? 0;
  }

  /** Age of the oldest buffered row (0 when empty). */
  ageMs(now: number): number {
    return this.oldestAt === null ? 0 : now - this.oldestAt;
  }

  /**
   * Takes the buffered rows as the batch to write; rows added meanwhile form the next batch.
   * One batch at a time: call flushed() or flushFailed() before the next beginFlush().
   */
  beginFlush(): readonly BufferedRow<S>[] {
    if (this.inFlight) throw new Error('a batch is already being written');
    const received = new Map<string, OffsetCommit>();
    for (const k of this.firstHeld.keys()) {
      const r = this.received.get(k);
      if (r) received.set(k, r);
    }
    this.inFlight = { entries: this.entries, firstHeld: new Map(this.firstHeld), received };
    this.entries = [];
    this.bytesHeld = 0;
    this.oldestAt = null;
    this.firstHeld.clear();
    return this.inFlight.entries;
  }

  /** The batch being written failed: its rows go back in front of the newer ones, to be written first. */
  flushFailed(now: number): void {
    const batch = this.inFlight;
    if (!batch) return;
    this.inFlight = null;
    // Rows of partitions revoked meanwhile are not put back: their new owner reads them again.
    this.entries = [...batch.entries.filter((e) => batch.firstHeld.has(key(e.source.topic, e.source.partition))), ...this.entries];
    this.bytesHeld = this.entries.reduce((sum, e) => sum + e.line.length, 0);
    if (this.entries.length > 0) this.oldestAt = Math.min(this.oldestAt ?? now, now);
    for (const [k, first] of batch.firstHeld) this.firstHeld.set(k, first);
  }

  /**
   * Marks the batch being written as written (or, without one, everything buffered): releases
   * the commits of its partitions up to what had been received when it was taken.
   */
  flushed(): void {
    if (this.inFlight) {
      for (const [k, r] of this.inFlight.received) this.released.set(k, r);
      this.inFlight = null;
      return;
    }
    for (const k of this.firstHeld.keys()) {
      const r = this.received.get(k);
      if (r) this.released.set(k, r);
    }
    this.entries = [];
    this.bytesHeld = 0;
    this.oldestAt = null;
    this.firstHeld.clear();
  }

  /** Whether a flush released commits that were not handed out yet. */
  hasReleasedCommits(): boolean {
    return this.released.size > 0;
  }

  /** Hands out the released commits once. */
  takeCommits(): OffsetCommit[] {
    const commits = [...this.released.values()];
    this.released.clear();
    return commits;
  }

  /** Forgets the rows and offsets of partitions this member lost; their new owner reads them again. */
  revoke(lost: { topic: string; partition: number }[]): number {
    const gone = new Set(lost.map((a) => key(a.topic, a.partition)));
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => !gone.has(key(e.source.topic, e.source.partition)));
    this.bytesHeld = this.entries.reduce((sum, e) => sum + e.line.length, 0);
    if (this.entries.length === 0) this.oldestAt = null;
    for (const k of gone) {
      // Rows of a batch already sent cannot be recalled; their commits are not released.
      this.inFlight?.firstHeld.delete(k);
      this.inFlight?.received.delete(k);
      this.firstHeld.delete(k);
      this.received.delete(k);
      this.released.delete(k);
    }
    return before - this.entries.length;
  }
}
