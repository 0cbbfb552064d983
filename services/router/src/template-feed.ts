// Reads the compacted templates topic from the beginning into the catalog, and keeps
// reading. The router's state lives in memory only, so it never commits offsets: every start
// is a full rebuild, whatever the group remembers. Each instance has its own group
// (praxis-router-<instanceId>), so every instance reads every partition.
//
// Offsets are resolved after each applied batch (in memory; nothing is committed), so the
// next fetch continues where the last one ended: without it kafkajs fetches the first MiB of
// each partition again and again, and never sees what lies beyond. On a group (re)join the
// feed seeks back to its own positions (a rejoin reads only what is new) and captures new
// targets; FeedProgress decides when the index has caught up.
//
// Invalid records are logged and counted, not dead-lettered: N router instances would
// write N copies, and whoever wrote the record (inducer, router) validated it already.
import { InvalidRecordError, startRecordSpans, validateRecord, withRetry, type AvroSerde, type Logger } from '@praxis/kafka';
import type { Template, TopicSpec } from '@praxis/schemas';
import type { Consumer, Kafka } from 'kafkajs';
import { FeedProgress, type FeedSnapshot } from './feed-progress.js';
import { feedBatchesTotal, feedInvalidTotal, feedRecordsTotal, indexLag } from './metrics.js';

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
  /** How long the broker may hold an empty fetch (kafkajs maxWaitTimeInMs): an idle feed asks this often. */
  maxWaitMs?: number;
  /** Called (once per group join, outside the fetch loop) when the index has caught up. */
  onCaughtUp?: () => void;
}

const OFFSETS_RETRY = { attempts: 10, initialMs: 100, maxMs: 2_000, factor: 2, jitter: 0.2 };

export class TemplateFeed {
  private consumer: Consumer | null = null;
  private readonly progressState = new FeedProgress();
  private caughtUpLogged = -1;
  private startedAt = 0;

  constructor(private readonly options: TemplateFeedOptions) {}

  /** Starts consuming from the beginning; targets are captured at each group join. */
  async start(): Promise<void> {
    const { spec, logger } = this.options;
    const maxWaitMs = this.options.maxWaitMs ?? 5_000;
    this.startedAt = Date.now();
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      // one member per group: after a broker restart the rejoin waits for the old session to
      // expire, so a short session is a short outage (Kafka's minimum is 6 s)
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: maxWaitMs,
      allowAutoTopicCreation: false,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    this.consumer = consumer;
    const progress = this.progressState;

    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const seeks = progress.joined(event.payload.memberAssignment[spec.name] ?? []);
      for (const s of seeks) consumer.seek({ topic: spec.name, partition: s.partition, offset: s.offset.toString() });
      logger.info({ event: 'feed_joined', joins: progress.joinGeneration, seeks: seeks.length }, 'template feed joined its group');
      void this.captureTargets(progress.joinGeneration);
    });
    // A fetch round the broker held for (about) maxWait and answered with nothing proves the
    // partitions short of their target end in a compaction gap. Errors come back early.
    const rounds = new Map<number, { batchesAtStart: number; quiet: boolean }>();
    consumer.on(consumer.events.FETCH_START, (event) => {
      const node = event.payload.nodeId;
      const previous = rounds.get(node);
      const batches = progress.appliedBatches;
      if (previous?.quiet && previous.batchesAtStart === batches) {
        progress.quietRound();
        this.progress();
      } else if (previous) progress.busyRound();
      rounds.set(node, { batchesAtStart: batches, quiet: false });
    });
    consumer.on(consumer.events.FETCH, (event) => {
      const r = rounds.get(event.payload.nodeId);
      if (r) r.quiet = event.payload.duration >= maxWaitMs / 2;
    });
    // batches kafkajs resolves itself (only compacted or control records) move the position too
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      if (event.payload.batchSize === 0) progress.batch(event.payload.partition, BigInt(event.payload.lastOffset), BigInt(event.payload.highWatermark), 0);
    });
    consumer.on(consumer.events.CRASH, (event) => {
      logger.error({ event: 'feed_crash', err: event.payload.error, restart: event.payload.restart }, 'template feed crashed');
      if (!event.payload.restart) progress.halted(`the feed stopped: ${event.payload.error.message}`);
    });

    await consumer.connect();
    await consumer.subscribe({ topics: [spec.name], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (!isRunning() || isStale()) return;
        const records: FeedRecord[] = [];
        for (const message of batch.messages) {
          const key = message.key?.toString() ?? '';
          if (message.value === null) {
            records.push({ key, value: null, partition: batch.partition, offset: message.offset });
            continue;
          }
          try {
            const value = validateRecord(spec, key, await this.options.serde.decode(spec, message.value)) as Template;
            records.push({ key, value, partition: batch.partition, offset: message.offset });
          } catch (error) {
            if (!(error instanceof InvalidRecordError)) throw error; // registry down: the batch is fetched again
            feedInvalidTotal.inc({ step: error.step });
            logger.warn({ event: 'template_record_skipped', partition: batch.partition, offset: message.offset, reason: error.message }, 'skipped an invalid template record');
          }
        }
        // each template version continues the trace it carries (docs/observability.md)
        const endSpans = startRecordSpans('router', 'apply template', batch.messages.map((m) => m.headers), { 'messaging.destination.name': spec.name, 'messaging.destination.partition.id': String(batch.partition) });
        try {
          await this.options.apply(records);
        } catch (error) {
          endSpans(error);
          throw error;
        }
        endSpans();
        // in memory only (autoCommit is off): the next fetch starts after this batch
        resolveOffset(batch.lastOffset());
        progress.batch(batch.partition, BigInt(batch.lastOffset()), BigInt(batch.highWatermark), batch.messages.length);
        feedBatchesTotal.inc();
        feedRecordsTotal.inc(batch.messages.length);
        indexLag.set({ partition: String(batch.partition) }, Number(BigInt(batch.highWatermark) - (BigInt(batch.lastOffset()) + 1n)));
        this.progress(); // tells onCaughtUp as soon as the last target is reached
        await heartbeat();
      },
    });
  }

  /** Reads the high watermarks for join `generation` (retried: right after a restart a partition may have no leader yet). */
  private async captureTargets(generation: number): Promise<void> {
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      const offsets = await withRetry(() => admin.fetchTopicOffsets(this.options.spec.name), OFFSETS_RETRY, {
        onRetry: (error, attempt) => this.options.logger.warn({ event: 'feed_offsets_retry', attempt, err: error }, 'could not read the high watermarks yet; retrying'),
      });
      this.progressState.targets(generation, offsets.map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) })));
      this.progress();
    } catch (error) {
      // the next join tries again; until then the feed reports it is not caught up
      this.options.logger.error({ event: 'feed_offsets_failed', err: error }, 'could not read the high watermarks');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Whether the index holds everything up to the targets of the last join, the lag, and the counts. */
  progress(): FeedSnapshot {
    const snapshot = this.progressState.snapshot();
    if (snapshot.caughtUp && this.caughtUpLogged !== snapshot.joins) {
      this.caughtUpLogged = snapshot.joins;
      this.options.logger.info({ event: 'index_caught_up', ms: Date.now() - this.startedAt, joins: snapshot.joins }, 'template index caught up');
      const onCaughtUp = this.options.onCaughtUp;
      if (onCaughtUp) setImmediate(onCaughtUp);
    }
    return snapshot;
  }

  /** Stops consuming (no offsets to commit: the next start rebuilds from the beginning). */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    this.progressState.halted('stopped');
    await consumer?.disconnect();
  }
}
