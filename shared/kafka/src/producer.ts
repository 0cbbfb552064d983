import { formatIssues, isSealedBy, type TopicSpec } from '@praxis/schemas';
import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import type { Logger } from './logger.js';
import { producedTotal } from './metrics.js';
import { isOutage } from './kafka-errors.js';
import { withRetry, type BackoffPolicy } from './retry.js';
import { DEFAULT_MAX_REQUEST_BYTES, partsOf, requestsOf } from './request-split.js';
import { openSendSpans } from './send-spans.js';
import { KeyPartitions } from './partitioning.js';
import type { AvroSerde } from './serde.js';

/** A value to write to a Praxis topic. `value: null` is a tombstone (compacted topics only). */
export interface OutputRecord {
  spec: TopicSpec;
  value: unknown;
  /** Defaults to the topic's key rule applied to the value; required for tombstones. */
  key?: string;
  headers?: Record<string, string | Buffer>;
}

/** Bytes that are already encoded, e.g. a dead-letter copy of a source record. */
export interface RawRecord {
  topic: string;
  key: Buffer | string | null;
  value: Buffer | null;
  headers?: Record<string, string | Buffer>;
}

export interface ProducerOptions {
  kafka: Kafka;
  serde: AvroSerde;
  logger: Logger;
  service: string;
  /** How long send() waits for other records to share its request. */
  lingerMs?: number;
  /** A request is sent as soon as this many records wait. */
  maxBatchRecords?: number;
  /** What waits is cut into requests of at most this many bytes of keys, values and headers (request-split.ts). */
  maxRequestBytes?: number;
  compression?: CompressionTypes;
  /**
   * Retries of a failed request. Unbounded by default: the idempotent producer keeps its
   * sequence numbers only while it retries, and an unacknowledged send() simply waits out
   * a broker outage (see OUTAGE_BACKOFF). Give a bound where failing fast matters more (CLI
   * commands); it bounds kafkajs' retries and the re-sends of a batch after an outage alike.
   */
  retries?: number;
}

interface Pending {
  messages: TopicMessages[];
  count: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A send, or a part of one above the request bound (partsOf), as it goes into a request. */
interface Part {
  messages: TopicMessages[];
  count: number;
  owner: Pending;
  last: boolean;
}

/**
 * Backoff between re-sends of a batch that kafkajs gave up on during an outage (isOutage);
 * attempts come from ProducerOptions.retries. Delays as kafkajs' own producer retries.
 */
export const OUTAGE_BACKOFF: Omit<BackoffPolicy, 'attempts'> = { initialMs: 300, maxMs: 10_000, factor: 2, jitter: 0.2 };

/** Thrown when a value does not satisfy its topic's contract; nothing is written. */
export class InvalidOutputError extends Error {
  constructor(readonly topic: string, message: string) {
    super(`refusing to write an invalid record to ${topic}: ${message}`);
    this.name = 'InvalidOutputError';
  }
}

/**
 * Idempotent producer with acks=all. Concurrent send() calls within `lingerMs` are merged
 * into one request; each call resolves only when its records are acknowledged by the broker.
 * Requests go one at a time, so records keep their order per partition.
 */
export class PraxisProducer {
  private readonly producer: Producer;
  private queue: Pending[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Set by disconnect(): a batch still waiting out an outage then fails instead of retrying. */
  private closing = false;
  private readonly lingerMs: number;
  private readonly maxBatchRecords: number;
  /** Topic -> the part of a key that picks the partition (TopicSpec.partitionKey), learned from the specs sent. */
  private readonly partitionKeys = new Map<string, (key: string) => string>();

  constructor(private readonly options: ProducerOptions) {
    this.producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 like the Java client, so a key lands on the same partition whatever wrote it.
      // Over TopicSpec.partitionKey of the key where the spec has one (tenant-partitioned topics).
      // String keys (every Praxis record's) through a memo of their partitions (KeyPartitions).
      createPartitioner: () => {
        const murmur2 = Partitioners.DefaultPartitioner();
        const partitions = new KeyPartitions();
        return (args) => {
          const { message } = args;
          if (message.partition !== undefined && message.partition !== null) return message.partition;
          const pick = this.partitionKeys.get(args.topic);
          const key = message.key;
          if (typeof key === 'string') return partitions.of(pick ? pick(key) : key, args.partitionMetadata.length);
          return murmur2(pick && key != null ? { ...args, message: { ...message, key: pick(key.toString()) } } : args);
        };
      },
      retry: { retries: options.retries ?? Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    this.lingerMs = options.lingerMs ?? 5;
    this.maxBatchRecords = options.maxBatchRecords ?? 2_000;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  /** Validates, encodes and writes the records; resolves when all are acknowledged. */
  async send(records: OutputRecord[]): Promise<void> {
    if (records.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    const spans = openSendSpans(this.options.service, records.map((r) => ({ topic: r.spec.name, headers: r.headers })));
    try {
      for (const [i, record] of records.entries()) {
        const message = await this.encode(record);
        if (spans) message.headers = { ...message.headers, ...spans.headers[i] };
        const list = byTopic.get(record.spec.name) ?? [];
        list.push(message);
        byTopic.set(record.spec.name, list);
      }
      await this.enqueue([...byTopic].map(([topic, messages]) => ({ topic, messages })), records.length);
    } catch (error) {
      spans?.end(error);
      throw error;
    }
    spans?.end();
  }

  /** Writes pre-encoded records (dead letters) with the same guarantees. */
  async sendRaw(records: RawRecord[]): Promise<void> {
    if (records.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const r of records) {
      const list = byTopic.get(r.topic) ?? [];
      list.push({ key: r.key, value: r.value, headers: r.headers });
      byTopic.set(r.topic, list);
    }
    await this.enqueue([...byTopic].map(([topic, messages]) => ({ topic, messages })), records.length);
  }

  /** Encodes one record after checking it against its topic's contract. */
  private async encode(record: OutputRecord): Promise<Message> {
    const { spec } = record;
    if (spec.partitionKey) this.partitionKeys.set(spec.name, spec.partitionKey);
    if (record.value === null) {
      if (!spec.tombstones) throw new InvalidOutputError(spec.name, 'null values (tombstones) are only allowed on compacted topics');
      if (!record.key) throw new InvalidOutputError(spec.name, 'a tombstone needs its key');
      return { key: record.key, value: null, headers: record.headers };
    }
    // a value the topic's schema parsed in this process and that cannot have changed since is not parsed again
    const data = isSealedBy(spec.validator, record.value) ? record.value : this.parsed(spec, record.value);
    const key = spec.keyOf(data as never);
    if (record.key !== undefined && record.key !== key) throw new InvalidOutputError(spec.name, `key ${record.key} does not match the value's ${key}`);
    return { key, value: await this.options.serde.encode(spec, data), headers: record.headers };
  }

  private parsed(spec: TopicSpec, value: unknown): unknown {
    const parsed = spec.validator.safeParse(value);
    if (!parsed.success) throw new InvalidOutputError(spec.name, formatIssues(parsed.error));
    return parsed.data;
  }

  private enqueue(messages: TopicMessages[], count: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ messages, count, resolve, reject });
      this.queued += count;
      if (this.queued >= this.maxBatchRecords) this.scheduleFlush(0);
      else this.scheduleFlush(this.lingerMs);
    });
  }

  private scheduleFlush(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushing = this.flushing.then(() => this.flushQueue());
    }, delayMs);
  }

  private async flushQueue(): Promise<void> {
    const queued = this.queue;
    if (queued.length === 0) return;
    this.queue = [];
    this.queued = 0;
    // one request at a time, in order, so records keep their order per partition; a request
    // that fails fails the sends after it too (they would otherwise overtake it). A send above
    // the bound goes in parts, acknowledged when its last part is; when a later part fails, the
    // send fails and its earlier parts stay written (a retry writes them again: at-least-once,
    // as for a multi-broker request, below)
    const maxBytes = this.options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    const parts: Part[] = queued.flatMap((owner) => {
      const cut = partsOf(owner.messages, maxBytes);
      return cut.map((messages, k) => ({ messages, count: messages.reduce((n, tm) => n + tm.messages.length, 0), owner, last: k === cut.length - 1 }));
    });
    const requests = requestsOf(parts, maxBytes);
    for (const [i, batch] of requests.entries()) {
      try {
        await this.sendRequest(batch);
      } catch (error) {
        this.options.logger.error({ event: 'produce_failed', err: error }, 'produce failed');
        for (const owner of new Set(requests.slice(i).flat().map((p) => p.owner))) owner.reject(error);
        return;
      }
      for (const part of batch) if (part.last) part.owner.resolve();
    }
  }

  private async sendRequest(batch: Part[]): Promise<void> {
    const merged = new Map<string, Message[]>();
    for (const pending of batch) {
      for (const tm of pending.messages) {
        const list = merged.get(tm.topic);
        if (list) for (const m of tm.messages) list.push(m);
        else merged.set(tm.topic, [...tm.messages]);
      }
    }
    const request = {
      acks: -1,
      compression: this.options.compression ?? CompressionTypes.None,
      topicMessages: [...merged].map(([topic, messages]) => ({ topic, messages })),
    };
    const retries = this.options.retries;
    // kafkajs stops on an outage longer than the client's connect retries (isOutage), so the
    // same batch goes again. kafkajs rolls back the sequence numbers of a request that failed,
    // so a broker that had written it before the connection broke drops the copy. With several
    // brokers, a leader that had acknowledged its part before kafkajs gave up gets that part
    // again under new numbers: a duplicate, which at-least-once consumers already absorb.
    await withRetry(() => this.producer.sendBatch(request), { ...OUTAGE_BACKOFF, attempts: retries === undefined ? Infinity : retries + 1 }, {
      retryable: (error) => !this.closing && isOutage(error),
      onRetry: (error, attempt, delayMs) =>
        this.options.logger.warn({ event: 'produce_retry', attempt, delayMs, records: batch.reduce((n, p) => n + p.count, 0), err: error }, 'broker unreachable; sending the batch again'),
    });
    for (const [topic, messages] of merged) producedTotal.inc({ service: this.options.service, topic }, messages.length);
  }

  /** Waits until everything handed to send() so far has been acknowledged or has failed. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.flushing = this.flushing.then(() => this.flushQueue());
    }
    await this.flushing;
  }

  async disconnect(): Promise<void> {
    this.closing = true;
    await this.flush();
    await this.producer.disconnect();
  }
}
