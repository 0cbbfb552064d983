// Reads the compacted templates topic from the beginning into the catalog, and keeps
// reading. The router's state lives in memory only, so it never commits offsets: every start
// is a full rebuild, whatever the group remembers. Each instance has its own group
// (praxis-router-<instanceId>), so every instance reads every partition.
//
// Invalid records are logged and counted, not dead-lettered: N router instances would
// write N copies, and whoever wrote the record (inducer, router) validated it already.
import { InvalidRecordError, validateRecord, withRetry, type AvroSerde, type Logger } from '@praxis/kafka';
import type { Template, TopicSpec } from '@praxis/schemas';
import type { Consumer, Kafka } from 'kafkajs';
import { feedInvalidTotal, indexLag } from './metrics.js';

/** One record of the topic: a template version, or a tombstone (value null). */
export interface FeedRecord {
  key: string;
  value: Template | null;
  partition: number;
  offset: string;
}

export interface TemplateFeedOptions {
  kafka: Kafka;
  serde: AvroSerde;
  spec: TopicSpec;
  groupId: string;
  logger: Logger;
  /** Applies a batch of records (already decoded and validated), in order. */
  apply: (records: FeedRecord[]) => Promise<void>;
  /**
   * A partition that has not reached its start high watermark, and delivered nothing for
   * this long, counts as caught up: its last records were compacted away (tombstones).
   */
  idleCatchUpMs?: number;
}

export interface FeedProgress {
  caughtUp: boolean;
  /** Records still to read, per partition (against the latest high watermark seen). */
  lag: Record<string, number>;
}

export class TemplateFeed {
  private consumer: Consumer | null = null;
  private readonly target = new Map<number, bigint>();
  private readonly next = new Map<number, bigint>();
  private readonly high = new Map<number, bigint>();
  private readonly lastProgressMs = new Map<number, number>();
  private caughtUpAt: number | null = null;
  private startedAt = 0;

  constructor(private readonly options: TemplateFeedOptions) {}

  /** Captures the high watermarks to catch up to, then starts consuming from the beginning. */
  async start(): Promise<void> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      // Right after topics are created, a partition may still be without a leader: retry.
      const offsets = await withRetry(() => admin.fetchTopicOffsets(this.options.spec.name), { attempts: 10, initialMs: 100, maxMs: 2_000, factor: 2, jitter: 0.2 }, {
        onRetry: (error, attempt) => this.options.logger.warn({ event: 'feed_offsets_retry', attempt, err: error }, 'could not read the high watermarks yet; retrying'),
      });
      for (const p of offsets) {
        this.target.set(p.partition, BigInt(p.high));
        this.high.set(p.partition, BigInt(p.high));
        this.next.set(p.partition, BigInt(p.low));
      }
    } finally {
      await admin.disconnect();
    }
    this.startedAt = Date.now();
    const consumer = this.options.kafka.consumer({ groupId: this.options.groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000, allowAutoTopicCreation: false, retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 } });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => this.options.logger.error({ event: 'feed_crash', err: event.payload.error, restart: event.payload.restart }, 'template feed crashed'));
    await consumer.connect();
    await consumer.subscribe({ topics: [this.options.spec.name], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale()) return;
        const records: FeedRecord[] = [];
        for (const message of batch.messages) {
          const key = message.key?.toString() ?? '';
          if (message.value === null) {
            records.push({ key, value: null, partition: batch.partition, offset: message.offset });
            continue;
          }
          try {
            const value = validateRecord(this.options.spec, key, await this.options.serde.decode(this.options.spec, message.value)) as Template;
            records.push({ key, value, partition: batch.partition, offset: message.offset });
          } catch (error) {
            if (!(error instanceof InvalidRecordError)) throw error; // registry down: the batch is fetched again
            feedInvalidTotal.inc({ step: error.step });
            this.options.logger.warn({ event: 'template_record_skipped', partition: batch.partition, offset: message.offset, reason: error.message }, 'skipped an invalid template record');
          }
        }
        await this.options.apply(records);
        this.next.set(batch.partition, BigInt(batch.lastOffset()) + 1n);
        this.high.set(batch.partition, BigInt(batch.highWatermark));
        this.lastProgressMs.set(batch.partition, Date.now());
        indexLag.set({ partition: String(batch.partition) }, Number(BigInt(batch.highWatermark) - (BigInt(batch.lastOffset()) + 1n)));
        await heartbeat();
      },
    });
  }

  /** Whether the index holds everything that was on the topic when the feed started, and the lag now. */
  progress(now = Date.now()): FeedProgress {
    const lag: Record<string, number> = {};
    let caughtUp = this.consumer !== null;
    for (const [partition, target] of this.target) {
      const next = this.next.get(partition) ?? 0n;
      const high = this.high.get(partition) ?? target;
      lag[String(partition)] = Number(high > next ? high - next : 0n);
      if (next >= target) continue;
      const quietSince = this.lastProgressMs.get(partition) ?? this.startedAt;
      if (now - quietSince < (this.options.idleCatchUpMs ?? 10_000)) caughtUp = false;
    }
    if (caughtUp && this.caughtUpAt === null) {
      this.caughtUpAt = now;
      this.options.logger.info({ event: 'index_caught_up', ms: now - this.startedAt }, 'template index caught up');
    }
    return { caughtUp: this.caughtUpAt !== null, lag };
  }

  /** Stops consuming (no offsets to commit: the next start rebuilds from the beginning). */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.disconnect();
  }
}
