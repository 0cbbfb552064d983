import type { TopicSpec } from '@praxis/schemas';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { coPartitionedAssigner } from './assignment.js';
import { inBatchSpan } from './batch-span.js';
import { dlqHeaders, reasonClass } from './dlq.js';
import type { Logger } from './logger.js';
import { batchDuration, batchFill, consumerLag, dlqTotal, droppedTotal, failedTotal, handlerRetriesTotal, loopBusySeconds, loopStalled, memberLag, processedTotal } from './metrics.js';
import { commitOffsetFor, lagOf, nextOffset, tp } from './offsets.js';
import type { OutputRecord, PraxisProducer, RawRecord } from './producer.js';
import { LoopProgress, type LoopState } from './progress.js';
import { readCommitted } from './group-change.js';
import { groupChangeCause } from './kafka-errors.js';
import { DEFAULT_BACKOFF, withRetry, type BackoffPolicy } from './retry.js';
import { InvalidRecordError, validateRecord, type AvroSerde } from './serde.js';

/** Backoff of a takeover that meets transient Kafka errors (about 3 s in all: the session must outlast it). */
const TAKEOVER_BACKOFF: BackoffPolicy = { attempts: 5, initialMs: 200, maxMs: 1_600, factor: 2, jitter: 0.2 };

/** A decoded, validated record handed to a handler. `value` is null for a tombstone. */
export interface ConsumedRecord<V = unknown> {
  spec: TopicSpec;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: V | null;
  /** Broker timestamp (ms). */
  timestamp: number;
  headers: Record<string, string>;
  /** The bytes it was decoded from, so a handler that buffers records can dead-letter the originals later. */
  raw: { key: Buffer | null; value: Buffer | null };
}

/** What became of one record. Handlers return results instead of throwing for bad data. */
export type RecordResult = { type: 'ok' } | { type: 'dlq'; reason: string; step?: string } | { type: 'drop'; reason: string };

export interface HandlerOutcome {
  /** Aligned with the records; a missing entry means ok. */
  results?: (RecordResult | undefined)[];
  /** Records to write before the offsets are committed. */
  outputs?: OutputRecord[];
  /**
   * The next offset of this partition that may be committed, when the handler still holds
   * earlier records in memory (open windows, unflushed buffers). Defaults to after the batch.
   * A hold lasts for this call only: return it on every call for as long as it applies.
   */
  commitOffset?: string;
  /**
   * Called once `outputs` (and dead letters) are acknowledged, before the commit: where a
   * handler makes the state its outputs describe visible. Not called when the send fails.
   */
  onAcknowledged?: () => void;
}

export interface HandlerContext {
  topic: string;
  partition: number;
  heartbeat: () => Promise<void>;
  /**
   * Records of this partition past this chunk that the broker already held when the batch was
   * fetched (its high watermark then): more input is on its way, so a handler whose work per
   * call is costly (re-planning derived state) may hold it for the call that reaches the end.
   */
  behind: number;
}

export type BatchHandler = (records: ConsumedRecord[], ctx: HandlerContext) => Promise<HandlerOutcome>;

export interface Assignment {
  topic: string;
  partition: number;
}

/**
 * What a tick may ask of the member beyond its assignment: whether the group is rebalancing
 * (fetching stopped, so a partition looks quiet without being so), when the member last
 * joined, and which partitions have no record left that it has not applied (the broker's end
 * offsets, asked then). A tick that acts on a partition's quiet (closes what stopped
 * receiving records) must act only on a partition that is quiet in the log, not merely in
 * this member's view of it.
 */
export interface TickContext {
  rebalancing: boolean;
  /** Wall-clock time of the member's last join (its start, before the first). */
  joinedAt: number;
  /** Of these partitions, those whose every record this member has applied (dead letters included). */
  caughtUp: (partitions: readonly Assignment[]) => Promise<Assignment[]>;
}

/** Work a tick produced: outputs, and offsets that became committable meanwhile. */
export interface TickOutcome {
  outputs?: OutputRecord[];
  commits?: { topic: string; partition: number; offset: string }[];
  /** As HandlerOutcome.onAcknowledged: called once the outputs are acknowledged. */
  onAcknowledged?: () => void;
}

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  serde: AvroSerde;
  producer: PraxisProducer;
  logger: Logger;
  service: string;
  groupId: string;
  topics: TopicSpec[];
  handler: BatchHandler;
  fromBeginning?: boolean;
  /** Records per handler call. */
  maxBatchSize?: number;
  /**
   * Batches of this many partitions at once (default 1). Handlers and ticks still run one at a
   * time, in the member's turn; a batch waits for its last outputs and commits outside it, so
   * another partition is handled meanwhile. For handlers whose state is per partition.
   */
  partitionsInFlight?: number;
  /** Retries of a throwing handler before the batch fails (and is fetched again). */
  retry?: BackoffPolicy;
  sessionTimeoutMs?: number;
  /** Called in the consumer's turn, never concurrently with a batch. */
  tick?: { intervalMs: number; run: (now: number, assigned: Assignment[], ctx: TickContext) => Promise<TickOutcome> };
  /** Called after a rebalance with the partitions this member lost, before any new batch. */
  onRevoked?: (lost: Assignment[]) => void | Promise<void>;
  /**
   * Called after a rebalance (after onRevoked) with the partitions this member gained, before
   * any batch of them: where a stateful handler restores their state. It blocks the member's
   * batches and heartbeats, so it must finish within the session timeout.
   */
  onAssigned?: (gained: Assignment[]) => void | Promise<void>;
  /**
   * Assign whole tasks (partition k of every topic to the owner of task k mod T; see
   * assignment.ts) instead of kafkajs' round robin: for state keyed across several topics.
   */
  coPartitioned?: boolean;
  /**
   * The handler (or tick) changes its state as it handles records, not in onAcknowledged.
   * Then outputs that could not be written leave that state ahead of them: the runner forgets
   * the partition (onRevoked, onAssigned) and replays it from the offset it last committed,
   * as a new owner would, instead of redelivering only the failed batch to a state that has
   * already applied it (its outputs would be lost). See rewind().
   */
  replayOnFailedSend?: boolean;
  /**
   * Within a fetched batch, commit at least this often (default 2 s): the batch commits once at
   * its end, so a slow handler would otherwise leave a large batch uncommitted for long.
   */
  commitAfterMs?: number;
  /** A batch or tick running longer, or lag with no finished batch for longer, makes the member not ready (default 60 s). */
  stallAfterMs?: number;
  /** Clock of the stall check (tests). */
  now?: () => number;
}

/** A handled chunk whose outputs are being written: `sent` resolves (never rejects) with the send's error, if any. */
interface SentChunk {
  sent: Promise<Error | undefined>;
  finish: () => void;
  barrier: boolean;
}

/** Default of ConsumerRunnerOptions.commitAfterMs. */
export const DEFAULT_COMMIT_AFTER_MS = 2_000;

/** Default bound of the stalled-loop check: twice the default session timeout. */
export const DEFAULT_STALL_AFTER_MS = 60_000;

type Status = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed';

/**
 * Owns one consumer group member's loop: fetch a batch per partition, decode and validate
 * each record (failures to the DLQ with the reason), hand the rest to the handler, write its
 * outputs and dead letters, and only then commit. A batch that cannot finish is not
 * committed and is fetched again, so nothing accepted is lost.
 */
export class ConsumerRunner {
  private readonly consumer: Consumer;
  private status: Status = 'idle';
  private assigned: Assignment[] = [];
  /** Next offset not yet applied, per partition, so redelivered records are not applied twice. */
  private readonly position = new Map<string, string>();
  /** Per partition: where a replay rebuilds its state (last committed offset, else the first fetched since assignment). */
  private readonly replayFrom = new Map<string, string>();
  /**
   * Per partition: a commit that was due after applied records and failed (a rebalance fenced
   * it). If the member keeps the partition, kafkajs fetches those records again from the older
   * commit; they are applied already and are skipped, so this is committed for them instead.
   * Without it the group's offset stays behind for good once no newer record arrives.
   */
  private readonly owedCommit = new Map<string, string>();
  /** Per assigned partition: the group's committed offset as this member last knew it (read at each join, then its own commits). */
  private readonly knownCommit = new Map<string, number>();
  /** Per partition: bumped whenever its state is forgotten (lost, taken over afresh, rewound), so a batch finishing later leaves it alone. */
  private readonly tenure = new Map<string, number>();
  /** Partitions whose batch waits for its outputs outside the member's turn (partitionsInFlight > 1): no tick commits them meanwhile. */
  private readonly sending = new Set<string>();
  private turn: Promise<unknown> = Promise.resolve();
  private tickTimer: NodeJS.Timeout | null = null;
  private lastError: Error | null = null;
  private readonly now: () => number;
  private readonly progress: LoopProgress;
  private memberId: string | null = null;
  /** Set when kafkajs reports the group rebalancing, cleared at the join that ends it. */
  private rebalancing = false;
  private joinedAt = Date.now();

  constructor(private readonly options: ConsumerRunnerOptions) {
    this.now = options.now ?? Date.now;
    this.progress = new LoopProgress(this.now());
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
      // the partitions it holds go with its join, so the assignment can leave tasks where they are
      ...(options.coPartitioned ? { partitionAssigners: [coPartitionedAssigner(() => this.assigned.map((a) => a.partition))] } : {}),
    });
    const { GROUP_JOIN, CRASH, STOP, REBALANCING } = this.consumer.events;
    this.consumer.on(REBALANCING, () => {
      this.rebalancing = true;
    });
    this.consumer.on(GROUP_JOIN, (event) => {
      this.rebalancing = false;
      this.joinedAt = Date.now();
      const rejoined = this.memberId !== null && this.memberId !== event.payload.memberId;
      this.memberId = event.payload.memberId;
      return this.onJoin(event.payload.memberAssignment, rejoined);
    });
    this.consumer.on(CRASH, (event) => {
      this.lastError = event.payload.error;
      this.options.logger.error({ event: 'consumer_crash', err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
      if (!event.payload.restart) this.status = 'crashed';
    });
    this.consumer.on(STOP, () => {
      if (this.status !== 'crashed') this.status = 'stopped';
    });
  }

  /** Connects, subscribes and starts consuming; resolves once the loop runs. */
  async start(): Promise<void> {
    this.status = 'starting';
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics.map((t) => t.name), fromBeginning: this.options.fromBeginning ?? true });
    const inFlight = this.options.partitionsInFlight ?? 1;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // One partition at a time: handlers and ticks share state and never run concurrently
      // (partitionsInFlight: several, but only to overlap one's writes and commit with another's handling)
      partitionsConsumedConcurrently: inFlight,
      eachBatch: async (payload) => {
        let tail: (() => Promise<void>) | undefined;
        try {
          await this.inTurn(() => this.measured('batch', () => inBatchSpan(this.options.service, this.options.groupId, payload.batch, async () => {
            tail = await this.processBatch(payload, inFlight > 1);
          })));
          if (tail) await tail();
        } catch (error) {
          throw groupChangeCause(error) ?? error;
        }
      },
    });
    this.status = 'running';
    const tick = this.options.tick;
    if (tick) {
      this.tickTimer = setInterval(() => {
        void this.inTurn(() => this.measured('tick', () => this.runTick())).catch((error: unknown) =>
          this.options.logger.error({ event: 'tick_failed', err: error }, 'tick failed; will retry on the next one'),
        );
      }, tick.intervalMs);
    }
  }

  /** The next offset of a partition this member has not handled yet (dead letters included), or undefined before its first batch. */
  positionOf(topic: string, partition: number): number | undefined {
    const p = this.position.get(tp(topic, partition));
    return p === undefined ? undefined : Number(p);
  }

  /** Readiness: the member runs, has not crashed for good, and its loop is not stalled (see LoopProgress.check). */
  health(): { ready: boolean; status: Status; assigned: Assignment[]; memberId: string | null; loop: LoopState; lastError?: string } {
    const loop = this.progress.check(this.now(), this.options.stallAfterMs ?? DEFAULT_STALL_AFTER_MS);
    loopStalled.set(this.groupLabels, loop.stalled ? 1 : 0);
    return { ready: this.status === 'running' && !loop.stalled, status: this.status, assigned: this.assigned, memberId: this.memberId, loop, lastError: this.lastError?.message };
  }

  private get groupLabels() {
    return { service: this.options.service, group: this.options.groupId };
  }

  /** Runs one batch or tick, recording its time for the utilisation metric and the stall check. */
  private async measured(kind: 'batch' | 'tick', fn: () => Promise<void>): Promise<void> {
    this.progress.begin(kind, this.now());
    let ok = false;
    try {
      await fn();
      ok = true;
    } finally {
      const ms = this.progress.end(this.now(), ok);
      loopBusySeconds.inc({ ...this.groupLabels, kind }, ms / 1000);
    }
  }

  /** Stops fetching, lets the current batch finish and leaves the group; bounded by timeoutMs. */
  async stop(timeoutMs = 8_000): Promise<void> {
    if (this.status === 'stopped' || this.status === 'stopping') return;
    this.status = 'stopping';
    if (this.tickTimer) clearInterval(this.tickTimer);
    await this.turn; // a tick already running finishes (and commits) before we leave the group
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
    const done = await Promise.race([this.consumer.disconnect().then(() => 'ok' as const), timeout]);
    clearTimeout(timer);
    if (done === 'timeout') this.options.logger.warn({ event: 'consumer_stop_timeout', timeoutMs }, 'consumer did not stop in time');
    this.status = 'stopped';
  }

  /** Runs `fn` after everything queued before it: batches and ticks never interleave. */
  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.turn.then(fn, fn);
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async onJoin(assignment: Record<string, number[]>, rejoined: boolean): Promise<void> {
    const next: Assignment[] = Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
    const prev = this.assigned;
    this.assigned = next; // now: a batch fetched for a partition no longer assigned is skipped
    // One item in the member's turn, queued now, before kafkajs can queue a batch of the new assignment.
    const handover = this.inTurn(async () => {
      // read before deciding only under a new member id (rare); otherwise after, off the turn
      const committed = rejoined ? await this.committedOffsets(next) : null;
      // Under a new member id (fenced, or the consumer restarted after a crash) a partition it
      // held may have had another owner meanwhile: then its state is stale, and all is taken
      // over afresh. Another owner shows as a commit this member did not make.
      const nextKeys = new Set(next.map((a) => tp(a.topic, a.partition)));
      const fenced = rejoined && prev.some((a) => {
        const k = tp(a.topic, a.partition);
        return nextKeys.has(k) && (committed === null || this.knownCommit.get(k) !== committed.get(k));
      });
      const keep = fenced ? new Set<string>() : nextKeys;
      const lost = prev.filter((a) => !keep.has(tp(a.topic, a.partition)));
      const had = new Set(fenced ? [] : prev.map((a) => tp(a.topic, a.partition)));
      const gained = next.filter((a) => !had.has(tp(a.topic, a.partition)));
      for (const a of [...lost, ...gained]) this.forget(tp(a.topic, a.partition));
      this.knownCommit.clear();
      if (committed) for (const [k, offset] of committed) this.knownCommit.set(k, offset);
      else void this.learnCommitted(next);
      this.progress.retain(nextKeys);
      memberLag.set(this.groupLabels, this.progress.lag);
      this.options.logger.info({ event: 'partitions_assigned', assigned: next.length, lost: lost.length, gained: gained.length, fenced, partitions: next.map((a) => tp(a.topic, a.partition)) }, 'group joined');
      if (lost.length > 0) await this.options.onRevoked?.(lost);
      if (gained.length > 0 && this.options.onAssigned) await this.takeOver(gained);
    });
    await handover.catch((error: unknown) => {
      // State it cannot restore must not be consumed: leave the group, and /readyz says why.
      this.lastError = error as Error;
      this.status = 'crashed';
      this.options.logger.error({ event: 'assignment_failed', err: error }, 'could not take over the assigned partitions; leaving the group');
      void this.consumer.disconnect();
    });
  }

  /** Fills knownCommit for an assignment in the background; this member's own commits meanwhile are newer, and win. */
  private async learnCommitted(partitions: readonly Assignment[]): Promise<void> {
    const committed = await this.committedOffsets(partitions);
    const mine = new Set(this.assigned.map((a) => tp(a.topic, a.partition)));
    for (const [k, offset] of committed ?? []) if (mine.has(k)) this.knownCommit.set(k, Math.max(this.knownCommit.get(k) ?? -1, offset));
  }

  /** The group's committed offsets of an assignment, or null when Kafka cannot say now. */
  private committedOffsets(partitions: readonly Assignment[]): Promise<Map<string, number> | null> {
    return readCommitted(this.options.kafka, this.options.groupId, partitions, this.options.logger);
  }


  /**
   * `onAssigned`, retried while Kafka calls the error transient (a leader still moving, as on a
   * broker that has just created the topics): what the failed attempt restored is forgotten
   * first (`onRevoked`), as for a new owner. Other errors, or the last attempt's, are fatal.
   */
  private async takeOver(gained: Assignment[]): Promise<void> {
    await withRetry(async () => {
      await this.options.onAssigned!(gained);
    }, TAKEOVER_BACKOFF, {
      retryable: (error) => (error as { retriable?: boolean }).retriable === true,
      onRetry: (error, attempt) => this.options.logger.warn({ event: 'assignment_retry', attempt, err: error }, 'taking over the assigned partitions met a transient error; retrying'),
      between: async () => {
        await this.options.onRevoked?.(gained);
      },
    });
  }

  /**
   * Handles a fetched batch in the member's turn. With `defer`, the wait for its last outputs and
   * the commit are returned as a tail to run outside the turn (they take the turn again to finish
   * and commit, and leave the partition alone if the group or a rewind took it away meanwhile).
   */
  private async processBatch(payload: EachBatchPayload, defer: boolean): Promise<(() => Promise<void>) | undefined> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const { topic, partition } = batch;
    const spec = this.options.topics.find((t) => t.name === topic);
    if (!spec) throw new Error(`received a batch of unsubscribed topic ${topic}`);
    const log = this.options.logger.child({ topic, partition });
    // A batch fetched before a rebalance that took its partition away: its state was forgotten
    // (onRevoked), so handling it would start from nothing and could commit past the new owner's
    // start. The new owner reads it again from the committed offset.
    if (!this.assigned.some((a) => a.topic === topic && a.partition === partition)) {
      log.info({ event: 'stale_batch_skipped', records: batch.messages.length }, 'skipped a batch of a partition no longer assigned');
      return undefined;
    }
    const labels = { service: this.options.service, topic };
    const endTimer = batchDuration.startTimer(labels);
    const size = this.options.maxBatchSize ?? 500;
    const key = tp(topic, partition);

    const budgetMs = this.options.commitAfterMs ?? DEFAULT_COMMIT_AFTER_MS;
    // a commit that failed after its records were applied (see owedCommit): made by this batch
    const owedBefore = this.owedCommit.get(key);
    let lastCommitAt = this.now();
    // Chunks whose outputs are on their way: the next chunk is handled meanwhile (see SentChunk).
    const inflight: SentChunk[] = [];
    const settle = () => this.settle(inflight, { topic, partition }, log);
    try {
      for (let start = 0; start < batch.messages.length; start += size) {
        if (!isRunning() || isStale()) break;
        const applied = this.position.get(key);
        const slice = batch.messages.slice(start, start + size);
        // Records applied before (fetched again from an older commit) are a prefix of the slice:
        // they are resolved, so kafkajs does not fetch them in a loop, and not handed over again.
        const chunk = applied === undefined || BigInt(slice[0]!.offset) >= BigInt(applied) ? slice : slice.filter((m) => BigInt(m.offset) >= BigInt(applied));
        for (let i = 0; i < slice.length - chunk.length; i++) resolveOffset(slice[i]!.offset);
        if (chunk.length > 0) {
          const sent = await this.processChunk(spec, chunk, { topic, partition, heartbeat }, resolveOffset, labels, size, batch.highWatermark, log);
          inflight.push(sent);
          if (sent.barrier) await settle();
        }
        await heartbeat();
        if (this.now() - lastCommitAt >= budgetMs) {
          await settle();
          await this.commitOwed(key, topic, partition);
          lastCommitAt = this.now();
        }
      }
      if (defer && inflight.length > 0 && !inflight.some((c) => c.barrier)) return this.tailOf(inflight, { topic, partition }, owedBefore, endTimer, log);
      await settle();
    } catch (error) {
      // what is on its way still counts (or rewinds), so a later commit does not skip it
      if (inflight.length > 0) await settle().catch(() => undefined);
      throw error;
    }
    // One commit per fetched batch (or per time budget, above): each acknowledged chunk makes its
    // offset owed, and the newest owed offset is committed. A failure before this leaves it owed:
    // made when the records come again, or superseded by a later chunk's.
    await this.commitBatch(key, topic, partition, owedBefore, log);
    endTimer();
    return undefined;
  }

  /** The end of a batch outside the member's turn (see processBatch): wait for its outputs, then finish and commit in the turn. */
  private tailOf(inflight: SentChunk[], at: Assignment, owedBefore: string | undefined, endTimer: () => void, log: Logger): () => Promise<void> {
    const key = tp(at.topic, at.partition);
    const tenure = this.tenure.get(key);
    this.sending.add(key);
    return async () => {
      try {
        await Promise.all(inflight.map((c) => c.sent)); // other partitions are handled meanwhile
        await this.inTurn(async () => {
          if (this.tenure.get(key) !== tenure || !this.assigned.some((a) => a.topic === at.topic && a.partition === at.partition)) {
            log.info({ event: 'sent_batch_left', chunks: inflight.length }, 'the partition was forgotten while its outputs were written; not committing them');
            return;
          }
          await this.settle(inflight, at, log);
          await this.commitBatch(key, at.topic, at.partition, owedBefore, log);
        });
      } finally {
        this.sending.delete(key);
        endTimer();
      }
    };
  }

  /**
   * Waits for the chunks on their way, in order: each acknowledged one is finished (its
   * onAcknowledged, its offsets resolved and owed); the first that failed rewinds the partition
   * (replayOnFailedSend) and fails the batch, and the chunks after it are not finished.
   */
  private async settle(inflight: SentChunk[], partition: Assignment, log: Logger): Promise<void> {
    const chunks = inflight.splice(0);
    for (const [i, chunk] of chunks.entries()) {
      const error = await chunk.sent;
      if (error) {
        await Promise.all(chunks.slice(i + 1).map((c) => c.sent));
        await this.rewind([partition], log);
        throw error;
      }
      chunk.finish();
    }
  }

  /**
   * Decode, validate and hand one chunk over, and start writing its outputs and dead letters.
   * Once they are acknowledged, `finish` moves the partition's position and makes its offset owed
   * (committed by the batch). Outputs are acknowledged before any offset moves and before the
   * outcome's onAcknowledged, always; the next chunk may be handled while they are on their way,
   * unless the outcome has an onAcknowledged (`barrier`: the handler reads the state it makes visible).
   */
  private async processChunk(spec: TopicSpec, chunk: KafkaMessage[], at: Omit<HandlerContext, 'behind'>, resolveOffset: (offset: string) => void, labels: { service: string; topic: string }, size: number, highWatermark: string, log: Logger): Promise<SentChunk> {
    const { topic, partition } = at;
    const key = tp(topic, partition);
    const ctx: HandlerContext = { ...at, behind: lagOf(highWatermark, nextOffset(chunk[chunk.length - 1]!.offset)) };
    // kafkajs fetched the first batch after an assignment (or a rewind) from the committed offset
    if (!this.replayFrom.has(key)) this.replayFrom.set(key, chunk[0]!.offset);

    const records: ConsumedRecord[] = [];
    const deadLetters: RawRecord[] = [];
    const deadReasons: string[] = [];
    const bury = (message: KafkaMessage, reason: string, step: string) => {
      deadLetters.push(this.deadLetter(spec, partition, message, reason, step));
      deadReasons.push(reasonClass(reason));
    };
    // the chunk's writer schemas at once; then each record decodes without a wait
    const refusals = await this.options.serde.loadWriters(chunk.map((m) => m.value));
    for (const message of chunk) {
      try {
        records.push(this.decode(spec, partition, message, refusals));
      } catch (error) {
        if (!(error instanceof InvalidRecordError)) throw error; // registry down: fail the batch, retry later
        failedTotal.inc({ ...labels, step: error.step });
        bury(message, error.message, error.step);
      }
    }

    const outcome = records.length > 0 ? await this.callHandler(records, ctx, log) : {};
    let failed = 0;
    if (outcome.results?.some((r) => r && r.type !== 'ok')) {
      const byOffset = new Map(chunk.map((m) => [m.offset, m]));
      outcome.results.forEach((result, i) => {
        const record = records[i]!;
        if (!result || result.type === 'ok') return;
        failed++;
        if (result.type === 'drop') {
          droppedTotal.inc({ ...labels, reason: reasonClass(result.reason) });
          return;
        }
        failedTotal.inc({ ...labels, step: result.step ?? 'handler' });
        bury(byOffset.get(record.offset)!, result.reason, result.step ?? 'handler');
      });
    }

    // Outputs and dead letters are acknowledged before any offset moves (settle, finish).
    const sent = Promise.all([this.options.producer.send(outcome.outputs ?? []), this.options.producer.sendRaw(deadLetters)]).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    const finish = () => {
      outcome.onAcknowledged?.();
      for (const reason of deadReasons) dlqTotal.inc({ ...labels, reason });
      processedTotal.inc(labels, records.length - failed);
      const last = chunk[chunk.length - 1]!.offset;
      for (const m of chunk) resolveOffset(m.offset);
      this.position.set(key, nextOffset(last));
      // a hold lasts for its call only, so the latest chunk's commit supersedes an earlier one's
      this.owedCommit.set(key, commitOffsetFor(last, outcome.commitOffset));
      const lag = lagOf(highWatermark, nextOffset(last));
      consumerLag.set({ ...labels, partition: String(partition) }, lag);
      this.progress.setLag(key, lag);
      memberLag.set(this.groupLabels, this.progress.lag);
      batchFill.observe(labels, chunk.length / size);
    };
    return { sent, finish, barrier: outcome.onAcknowledged !== undefined };
  }

  /** The commit at a batch's end; says so when it made a commit owed from before the batch (`owedBefore`). */
  private async commitBatch(key: string, topic: string, partition: number, owedBefore: string | undefined, log: Logger): Promise<void> {
    const made = await this.commitOwed(key, topic, partition);
    if (owedBefore !== undefined && made !== undefined) log.info({ event: 'owed_commit_made', offset: made }, 'committed records applied before a commit failed');
  }

  /** Forgets what this member holds of a partition (lost, taken over afresh, rewound); a batch of it finishing later leaves it alone (tenure). */
  private forget(key: string): void {
    this.tenure.set(key, (this.tenure.get(key) ?? 0) + 1);
    this.position.delete(key);
    this.replayFrom.delete(key);
    this.owedCommit.delete(key);
  }

  /**
   * Commits the partition's owed offset, if any: the offset its acknowledged chunks (or records
   * applied before a commit failed) have earned. A failed commit leaves it owed.
   */
  private async commitOwed(key: string, topic: string, partition: number): Promise<string | undefined> {
    const owed = this.owedCommit.get(key);
    if (owed === undefined) return undefined;
    await this.consumer.commitOffsets([{ topic, partition, offset: owed }]);
    this.knownCommit.set(key, Number(owed));
    this.owedCommit.delete(key);
    this.replayFrom.set(key, owed);
    return owed;
  }

  private decode(spec: TopicSpec, partition: number, message: KafkaMessage, refusals: ReadonlyMap<number, InvalidRecordError>): ConsumedRecord {
    const key = message.key === null ? null : message.key.toString();
    let value: unknown = null;
    if (message.value === null) {
      if (!spec.tombstones) throw new InvalidRecordError('validate', 'validation: null value on a topic without tombstones');
    } else {
      value = validateRecord(spec, key, this.options.serde.decodeLoaded(spec, message.value, refusals));
    }
    const headers: Record<string, string> = {};
    for (const [name, v] of Object.entries(message.headers ?? {})) {
      if (v !== undefined) headers[name] = (Array.isArray(v) ? v[0] : v)?.toString() ?? '';
    }
    return { spec, topic: spec.name, partition, offset: message.offset, key, value, timestamp: Number(message.timestamp), headers, raw: { key: message.key, value: message.value } };
  }

  private async callHandler(records: ConsumedRecord[], ctx: HandlerContext, log: Logger): Promise<HandlerOutcome> {
    const labels = { service: this.options.service, topic: ctx.topic };
    return withRetry(() => this.options.handler(records, ctx), this.options.retry ?? DEFAULT_BACKOFF, {
      between: ctx.heartbeat,
      onRetry: (error, attempt, delayMs) => {
        handlerRetriesTotal.inc(labels);
        log.warn({ event: 'handler_retry', attempt, delayMs, err: error }, 'handler failed; retrying');
      },
    }).catch((error: unknown) => {
      failedTotal.inc({ ...labels, step: 'handler' }, records.length);
      log.error({ event: 'handler_failed', err: error }, 'handler failed after retries; batch will be fetched again');
      throw error;
    });
  }

  private deadLetter(spec: TopicSpec, partition: number, message: KafkaMessage, reason: string, step: string): RawRecord {
    const original: Record<string, Buffer | string> = {};
    for (const [name, v] of Object.entries(message.headers ?? {})) {
      const one = Array.isArray(v) ? v[0] : v;
      if (one !== undefined) original[name] = one;
    }
    return {
      topic: spec.dlq,
      key: message.key,
      value: message.value,
      headers: dlqHeaders(
        { topic: spec.name, partition, offset: message.offset, timestamp: message.timestamp },
        { reason, step, service: this.options.service },
        Date.now(),
        original,
      ),
    };
  }

  private async runTick(): Promise<void> {
    const tick = this.options.tick;
    if (!tick || this.status !== 'running') return;
    const assigned = this.assigned;
    const outcome = await tick.run(Date.now(), assigned, { rebalancing: this.rebalancing, joinedAt: this.joinedAt, caughtUp: (partitions) => this.caughtUp(partitions) });
    try {
      await this.options.producer.send(outcome.outputs ?? []);
    } catch (error) {
      await this.rewind(assigned, this.options.logger); // the tick does not say which partitions it changed
      throw error;
    }
    outcome.onAcknowledged?.();
    const mine = new Set(this.assigned.map((a) => tp(a.topic, a.partition)));
    // a partition whose batch is still writing commits itself once its outputs are acknowledged
    const commits = (outcome.commits ?? []).filter((c) => mine.has(tp(c.topic, c.partition)) && !this.sending.has(tp(c.topic, c.partition)));
    if (commits.length > 0) await this.consumer.commitOffsets(commits);
    for (const c of commits) {
      this.replayFrom.set(tp(c.topic, c.partition), c.offset);
      this.owedCommit.delete(tp(c.topic, c.partition)); // superseded: ticks release held offsets, later ones
      this.knownCommit.set(tp(c.topic, c.partition), Number(c.offset));
    }
  }

  /**
   * Of these partitions (assigned to this member), those with no record between its position
   * and the broker's end offset. Asked rarely (a partition that has gone quiet), so through a
   * short-lived admin, as readCommitted does at a join.
   */
  private async caughtUp(partitions: readonly Assignment[]): Promise<Assignment[]> {
    if (partitions.length === 0) return [];
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      const out: Assignment[] = [];
      for (const topic of new Set(partitions.map((a) => a.topic))) {
        const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high]));
        for (const a of partitions) {
          const position = this.position.get(tp(a.topic, a.partition));
          const end = ends.get(a.partition);
          if (a.topic === topic && position !== undefined && end !== undefined && lagOf(end, position) === 0) out.push(a);
        }
      }
      return out;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /**
   * After outputs failed to be written (replayOnFailedSend): the handler's state of these
   * partitions has applied records whose outputs are gone, and a redelivery would find them
   * applied already. Forget that state and replay from where it was last committed, so it is
   * rebuilt and its outputs are written again. Runs in the consumer's turn.
   */
  private async rewind(partitions: Assignment[], log: Logger): Promise<void> {
    if (!this.options.replayOnFailedSend || partitions.length === 0) return;
    const mine = new Set(this.assigned.map((a) => tp(a.topic, a.partition)));
    const owned = partitions.filter((a) => mine.has(tp(a.topic, a.partition)));
    const seeks = owned.flatMap((a) => {
      const from = this.replayFrom.get(tp(a.topic, a.partition));
      return from === undefined ? [] : [{ ...a, offset: from }];
    });
    for (const a of owned) this.forget(tp(a.topic, a.partition));
    await this.options.onRevoked?.(owned);
    await this.options.onAssigned?.(owned);
    for (const s of seeks) this.consumer.seek(s);
    log.warn({ event: 'partition_rewound', partitions: seeks.map((s) => `${tp(s.topic, s.partition)}@${s.offset}`) }, 'outputs not written; replaying from the committed offset');
  }
}

/** What a per-record function returns. */
export interface RecordOutcome {
  result?: RecordResult;
  outputs?: OutputRecord[];
}

/**
 * Adapts a function of one record into a batch handler. A record whose function throws is
 * retried, then dead-lettered with the error as reason, so one poison record cannot stall
 * its partition. The function must leave its state unchanged when it throws.
 */
export function perRecord(fn: (record: ConsumedRecord) => Promise<RecordOutcome> | RecordOutcome, policy: BackoffPolicy = { ...DEFAULT_BACKOFF, attempts: 3 }): BatchHandler {
  return async (records, ctx) => {
    const results: RecordResult[] = [];
    const outputs: OutputRecord[] = [];
    for (const record of records) {
      try {
        const outcome = await withRetry(async () => fn(record), policy, { between: ctx.heartbeat });
        results.push(outcome.result ?? { type: 'ok' });
        outputs.push(...(outcome.outputs ?? []));
      } catch (error) {
        results.push({ type: 'dlq', reason: `handler_error: ${(error as Error).message}`, step: 'handler' });
      }
    }
    return { results, outputs };
  };
}
