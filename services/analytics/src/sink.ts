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
import { bufferedRows, flushDuration, flushes, flushFailures, rowsDuplicate, rowsInserted, rowsRejected } from './metrics.js';
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
type FlushTrigger = 'size' | 'age' | 'drain';

export interface SinkOptions {
  clickhouse: ClickHouse;
  producer: PraxisProducer;
  logger: Logger;
  service: string;
  limits: BatchLimits;
  /** Backoff between attempts while ClickHouse is unavailable (attempts are unbounded). */
  backoff: Omit<BackoffPolicy, 'attempts'>;
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
    const bytes = rows.reduce((sum, r) => sum + r.line.length, 0);
    // Backpressure: while the batch is full and ClickHouse is down, wait here (heartbeating).
    if (!this.buffer.hasRoomFor(rows.length, bytes)) await this.flushUntilWritten('size', ctx.heartbeat);
    this.buffer.add(rows, { topic: ctx.topic, partition: ctx.partition, lastOffset: records[records.length - 1]!.offset }, now);
    if (this.buffer.isFull()) await this.tryFlush('size');
    bufferedRows.set(this.buffer.rows);
    const outcome: HandlerOutcome = { results };
    const hold = this.buffer.holdFor(ctx.topic, ctx.partition);
    if (hold !== undefined) outcome.commitOffset = hold;
    return outcome;
  };

  /** The ConsumerRunner tick: writes an old (or drained) batch, hands out the commits flushes released. */
  readonly tick = async (now: number): Promise<TickOutcome> => {
    this.ticks++;
    if (this.buffer.rows > 0 && (this.draining || this.buffer.isDue(now))) {
      await this.tryFlush(this.draining ? 'drain' : this.buffer.isFull() ? 'size' : 'age');
    }
    return { commits: this.buffer.takeCommits() };
  };

  /** After a rebalance: forget what the lost partitions buffered; their new owner reads it again. */
  readonly onRevoked = (lost: { topic: string; partition: number }[]): void => {
    const dropped = this.buffer.revoke(lost);
    // Another member may write these partitions now; their watermarks must be read again.
    this.duplicates.forget();
    if (dropped > 0) this.options.logger.info({ event: 'partitions_revoked', dropped, partitions: lost.length }, 'dropped buffered rows of lost partitions');
    bufferedRows.set(this.buffer.rows);
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
        if (this.buffer.rows === 0 && !this.buffer.hasReleasedCommits()) {
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
    return { bufferedRows: this.buffer.rows, ...this.totals, consecutiveFailures: this.failures, lastError: this.lastError };
  }

  /** One attempt, unless the backoff says wait; true when the batch was written. */
  private async tryFlush(trigger: FlushTrigger): Promise<boolean> {
    if (Date.now() < this.nextAttemptAt) return false;
    try {
      await this.flush(trigger);
      if (this.failures > 0) this.options.logger.info({ event: 'clickhouse_recovered', failures: this.failures }, 'ClickHouse writes work again');
      this.failures = 0;
      this.lastError = null;
      return true;
    } catch (error) {
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

  /** Retries until the batch is written, heartbeating the consumer meanwhile. */
  private async flushUntilWritten(trigger: FlushTrigger, heartbeat: () => Promise<void>): Promise<void> {
    while (!(await this.tryFlush(trigger))) {
      if (this.stopping) throw new Error('analytics sink is stopping; the batch stays unwritten and uncommitted');
      while (Date.now() < this.nextAttemptAt && !this.stopping) {
        await sleep(Math.min(1_000, Math.max(1, this.nextAttemptAt - Date.now())));
        await heartbeat();
      }
    }
  }

  /** Writes the whole buffer, table by table; refused rows go to the DLQ; then releases commits. */
  private async flush(trigger: FlushTrigger): Promise<void> {
    if (this.buffer.rows === 0) return;
    const endTimer = flushDuration.startTimer();
    const entries = this.buffer.contents();
    const { written, rejected, duplicates } = await writeBatch(this.options.clickhouse, entries, {
      duplicates: this.duplicates,
      rollups: this.rollups,
      onRefill: (table, refill) => {
        this.totals.refills++;
        this.options.logger.warn({ event: 'rollup_refilled', table, ...refill }, 'rows ClickHouse already held lie above a view'"'"'s mark (an insert cut short, or rows outside the view'"'"'s filter); summed the raw rows above the mark into the view');
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
    this.buffer.flushed();
    bufferedRows.set(0);
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

