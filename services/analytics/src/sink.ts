// The sink's adapter between the consumer runtime and ClickHouse: buffers rows across
// partitions, writes them when the batch is full or old enough, dead-letters the rows
// ClickHouse refuses, and releases offsets only after ClickHouse acknowledged the batch.
import type { ClickHouse } from '@praxis/clickhouse';
import { classifyFailure } from '@praxis/clickhouse';
import {
  backoffDelay,
  dlqHeaders,
  dlqTotal,
  sleep,
  type AvroSerde,
  type BackoffPolicy,
  type BatchHandler,
  type HandlerOutcome,
  type Logger,
  type PraxisProducer,
  type RawRecord,
  type RecordResult,
  type TickOutcome,
} from '@praxis/kafka';
import type { TopicSpec } from '@praxis/schemas';
import { lineOf, RowBuffer, type BatchLimits, type BufferedRow, type RowSource } from './buffer.js';
import { DuplicateFilter } from './dedup.js';
import { RollupReconciler } from './rollups.js';
import { bufferedRows, flushDuration, flushes, flushFailures, rollupRefills, rowsDuplicate, rowsInserted, rowsRejected } from './metrics.js';
import { rowOf } from './rows.js';
import { writeBatch, WriteUnavailableError, type Rejection } from './writer.js';

/** What a buffered row keeps of its record, to dead-letter it if ClickHouse refuses it. */
export interface SinkSource extends RowSource {
  spec: TopicSpec;
  key: string | null;
  value: unknown;
  timestamp: number;
  headers: Record<string, string>;
  /** The source record's bytes: a refused row is dead-lettered as it arrived. */
  raw: { key: Buffer | null; value: Buffer | null };
}

type Entry = BufferedRow<SinkSource>;
type FlushTrigger = 'size' | 'age' | 'caught_up' | 'drain';

export interface SinkOptions {
  clickhouse: ClickHouse;
  producer: PraxisProducer;
  logger: Logger;
  service: string;
  limits: BatchLimits;
  /** Backoff between attempts while ClickHouse is unavailable (attempts are unbounded). */
  backoff: Omit<BackoffPolicy, 'attempts'>;
  /** Whether the member has read everything its partitions hold (no lag): then a batch need not wait for its age bound. */
  caughtUp?: () => boolean;
}

/** Counters for tests, the bench and /readyz. */
export interface SinkStats {
  bufferedRows: number;
  insertedRows: number;
  rejectedRows: number;
  /** Rows not inserted because ClickHouse already held them (redeliveries). */
  duplicateRows: number;
  /** Derived-table days refilled from the raw rows after an insert was cut short (rollups.ts). */
  refills: number;
  flushes: number;
  consecutiveFailures: number;
  lastError: string | null;
}

/** Buffers, writes and dead-letters; `handler` and `tick` plug into a ConsumerRunner. */
export class AnalyticsSink {
  private readonly buffer: RowBuffer<SinkSource>;
  private failures = 0;
  private nextAttemptAt = 0;
  private lastError: string | null = null;
  private draining = false;
  private ticks = 0;
  private stopping = false;
  private readonly totals = { insertedRows: 0, rejectedRows: 0, duplicateRows: 0, refills: 0, flushes: 0 };
  private readonly duplicates: DuplicateFilter;
  private readonly rollups: RollupReconciler;
  /** The batch being written, if any. */
  private writing: Promise<boolean> | null = null;
  /** Partitions this member has handled records of since it owns them. */
  private readonly owned = new Set<string>();

  constructor(private readonly options: SinkOptions) {
    this.buffer = new RowBuffer(options.limits);
    this.duplicates = new DuplicateFilter(options.clickhouse);
    this.rollups = new RollupReconciler(options.clickhouse);
  }

  /** The ConsumerRunner handler: records to rows, into the batch; commits held at the first unwritten offset. */
  readonly handler: BatchHandler = async (records, ctx) => {
    const now = Date.now();
    const results: (RecordResult | undefined)[] = [];
    const rows: Entry[] = [];
    for (const r of records) {
      try {
        const row = rowOf(r.spec.id, r.key, r.value, { partition: r.partition, offset: r.offset, timestamp: r.timestamp }, now);
        rows.push({ row, line: lineOf(row), source: { topic: r.topic, partition: r.partition, offset: r.offset, spec: r.spec, key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers, raw: r.raw } });
        results.push(undefined);
      } catch (error) {
        results.push({ type: 'dlq', reason: `mapping: ${(error as Error).message}`, step: 'map' });
      }
    }
    const owned = `${ctx.topic}:${ctx.partition}`;
    if (!this.owned.has(owned)) {
      // A partition new to this member: its previous owner may have written it since the
      // watermarks were read, so read them again.
      this.owned.add(owned);
      this.duplicates.forget();
    }
    const bytes = rows.reduce((sum, r) => sum + r.line.length, 0);
    // Backpressure: the batch is full while the previous one is still being written (or
    // ClickHouse is down): wait here, heartbeating.
    if (!this.buffer.hasRoomFor(rows.length, bytes)) await this.makeRoom(rows.length, bytes, ctx.heartbeat);
    this.buffer.add(rows, { topic: ctx.topic, partition: ctx.partition, lastOffset: records[records.length - 1]!.offset }, now);
    if (this.buffer.isFull()) this.startFlush('size');
    bufferedRows.set(this.buffer.rows + this.buffer.inFlightRows);
    const outcome: HandlerOutcome = { results };
    const hold = this.buffer.holdFor(ctx.topic, ctx.partition);
    if (hold !== undefined) outcome.commitOffset = hold;
    return outcome;
  };

  /**
   * The ConsumerRunner tick: starts writing a batch that is old enough, drained, or complete
   * because the member has caught up with its partitions; hands out the commits that written
   * batches released.
   */
  readonly tick = async (now: number): Promise<TickOutcome> => {
    this.ticks++;
    if (this.buffer.rows > 0 && !this.writing) {
      const caughtUp = this.options.caughtUp?.() === true && this.buffer.ageMs(now) >= this.options.limits.maxAgeMs / 4;
      const trigger: FlushTrigger | null = this.draining ? 'drain' : this.buffer.isFull() ? 'size' : this.buffer.isDue(now) ? 'age' : caughtUp ? 'caught_up' : null;
      if (trigger) this.startFlush(trigger);
    }
    return { commits: this.buffer.takeCommits() };
  };

  /** After a rebalance: lets the batch in flight finish, then forgets what the lost partitions buffered; their new owner reads it again. */
  readonly onRevoked = async (lost: { topic: string; partition: number }[]): Promise<void> => {
    if (this.writing) await this.writing;
    const dropped = this.buffer.revoke(lost);
    for (const a of lost) this.owned.delete(`${a.topic}:${a.partition}`);
    // Another member may write these partitions now; their watermarks must be read again.
    this.duplicates.forget();
    if (dropped > 0) this.options.logger.info({ event: 'partitions_revoked', dropped, partitions: lost.length }, 'dropped buffered rows of lost partitions');
    bufferedRows.set(this.buffer.rows + this.buffer.inFlightRows);
  };

  /**
   * Asks the next ticks to write everything and hand out its commits; resolves true once
   * done, false after `timeoutMs` (then the rest is read again after a restart).
   */
  async drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    try {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (this.buffer.rows === 0 && !this.writing && !this.buffer.hasReleasedCommits()) {
          // The runner commits what a tick handed out before it starts the next tick, so
          // once one more tick began, those commits are done.
          const seen = this.ticks;
          while (this.ticks === seen && Date.now() < deadline) await sleep(10);
          return this.ticks !== seen;
        }
        await sleep(20);
      }
      return false;
    } finally {
      this.draining = false;
    }
  }

  /** Ends every wait; called when the service stops. */
  stop(): void {
    this.stopping = true;
  }

  stats(): SinkStats {
    return { bufferedRows: this.buffer.rows + this.buffer.inFlightRows, ...this.totals, consecutiveFailures: this.failures, lastError: this.lastError };
  }

  /**
   * Starts writing the buffered rows unless a batch is being written or the backoff says wait.
   * The write runs while the consumer decodes the next records; batches are written one at a
   * time, in order, so each partition reaches ClickHouse in offset order (rollups.ts relies on it).
   */
  private startFlush(trigger: FlushTrigger): void {
    if (this.writing || this.buffer.rows === 0 || Date.now() < this.nextAttemptAt) return;
    const entries = this.buffer.beginFlush();
    this.writing = this.write(entries, trigger).finally(() => {
      this.writing = null;
    });
  }

  /** Writes one batch; on failure puts it back in front of the buffer and schedules the retry. True when written. */
  private async write(entries: readonly Entry[], trigger: FlushTrigger): Promise<boolean> {
    try {
      await this.flush(entries, trigger);
      this.buffer.flushed();
      if (this.failures > 0) this.options.logger.info({ event: 'clickhouse_recovered', failures: this.failures }, 'ClickHouse writes work again');
      this.failures = 0;
      this.lastError = null;
      return true;
    } catch (error) {
      this.buffer.flushFailed(Date.now());
      const kind = error instanceof WriteUnavailableError ? error.kind : classifyFailure(error);
      flushFailures.inc({ kind });
      const delayMs = backoffDelay(this.failures, { ...this.options.backoff, attempts: Number.MAX_SAFE_INTEGER });
      this.failures++;
      this.nextAttemptAt = Date.now() + delayMs;
      this.lastError = error instanceof Error ? error.message : String(error);
      const log = this.failures === 1 || this.failures % 10 === 0 ? this.options.logger.warn.bind(this.options.logger) : this.options.logger.debug.bind(this.options.logger);
      log({ event: 'flush_failed', kind, failures: this.failures, retryInMs: delayMs, bufferedRows: this.buffer.rows, err: this.lastError }, 'could not write the batch; keeping it and its offsets');
      return false;
    }
  }

  /** Waits, heartbeating, until `rows` more rows of `bytes` fit: the batch in flight written, or the buffer written once ClickHouse answers. */
  private async makeRoom(rows: number, bytes: number, heartbeat: () => Promise<void>): Promise<void> {
    while (!this.buffer.hasRoomFor(rows, bytes)) {
      if (this.stopping) throw new Error('analytics sink is stopping; the batch stays unwritten and uncommitted');
      const writing = this.writing;
      if (writing) {
        while (!(await Promise.race([writing.then(() => true), sleep(1_000).then(() => false)]))) await heartbeat();
        continue;
      }
      if (Date.now() < this.nextAttemptAt) {
        await sleep(Math.min(1_000, Math.max(1, this.nextAttemptAt - Date.now())));
        await heartbeat();
        continue;
      }
      this.startFlush('size');
    }
  }

  /** Writes a batch, table by table; refused rows go to the DLQ. */
  private async flush(entries: readonly Entry[], trigger: FlushTrigger): Promise<void> {
    const endTimer = flushDuration.startTimer();
    const { written, rejected, duplicates } = await writeBatch(this.options.clickhouse, entries, {
      duplicates: this.duplicates,
      rollups: this.rollups,
      onRefill: (table, refill) => {
        this.totals.refills++;
        rollupRefills.inc({ view: refill.view });
        this.options.logger.warn({ event: 'rollup_refilled', table, ...refill }, "rows ClickHouse already held lie above a view's mark (an insert cut short, or rows outside the view's filter); summed the raw rows above the mark into the view");
      },
      onUnknownTombstone: (templateId) => this.options.logger.warn({ event: 'tombstone_tenant_unknown', templateId }, 'tombstone of a template never seen; stored with tenant ""'),
    });
    if (duplicates > 0) rowsDuplicate.inc(duplicates);
    if (rejected.length > 0) await this.deadLetter(rejected);
    for (const [table, n] of Object.entries(written)) rowsInserted.inc({ table }, n);
    this.totals.insertedRows += entries.length - rejected.length - duplicates;
    this.totals.duplicateRows += duplicates;
    this.totals.rejectedRows += rejected.length;
    this.totals.flushes++;
    flushes.inc({ trigger });
    bufferedRows.set(this.buffer.rows);
    endTimer();
  }

  /** Dead-letters refused rows: the record's key and value, with ClickHouse's error as the reason. */
  private async deadLetter(rejected: Rejection<Entry>[]): Promise<void> {
    const { producer, service, logger } = this.options;
    const now = Date.now();
    const records: RawRecord[] = rejected.map(({ entry, reason }) => {
        const s = entry.source;
        return {
          topic: s.spec.dlq,
          key: s.raw.key,
          value: s.raw.value,
          headers: dlqHeaders(
            { topic: s.topic, partition: s.partition, offset: s.offset, timestamp: String(s.timestamp) },
            { reason: `clickhouse_rejected: ${reason}`, step: 'insert', service },
            now,
            s.headers,
          ),
        };
      });
    await producer.sendRaw(records);
    for (const { entry, reason } of rejected) {
      rowsRejected.inc({ table: entry.row.table });
      dlqTotal.inc({ service, topic: entry.source.topic, reason: 'clickhouse_rejected' });
      logger.warn({ event: 'row_rejected', table: entry.row.table, id: entry.row.id, topic: entry.source.topic, partition: entry.source.partition, offset: entry.source.offset, reason }, 'ClickHouse refused a row; dead-lettered');
    }
  }
}

