// The three Kafka clients behind one small interface, so `pnpm bench kafka-clients` runs the
// same work through each: produce pre-encoded Avro records (idempotent, acks=all, batches of
// 1,000, murmur2 keys), and consume them as one group member that decodes every record
// through the registry serde and commits after each batch (the runtime's order of work).
import { createRequire } from 'node:module';
import type { AvroSerde, Logger } from '@praxis/kafka';
import type { TopicSpec } from '@praxis/schemas';
import { Consumer as PltConsumer, Producer as PltProducer, ProduceAcks } from '@platformatic/kafka';
import { Partitioners, type Kafka } from 'kafkajs';

/** One encoded record. */
export interface EncodedRecord {
  key: string;
  value: Buffer;
}

/** What every client under test does. */
export interface ClientUnderTest {
  name: string;
  /** Produces the records in batches of 1,000, each acknowledged by all replicas. */
  produce(topic: string, records: EncodedRecord[]): Promise<void>;
  /** Reads `count` records of `topic` from the beginning as a new group; calls `onRecord` per record; commits per batch; resolves with the ms from the first record to the last commit. */
  consume(topic: string, groupId: string, count: number, onRecord: (value: Buffer) => Promise<void>): Promise<number>;
  /** Sends one record and resolves when acknowledged (the latency probe). */
  sendOne(topic: string, record: EncodedRecord): Promise<void>;
  /** Starts a member reading `topic` from its end; calls `onRecord` per record; resolves with a stop function once it has joined. */
  tail(topic: string, groupId: string, onRecord: (value: Buffer) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const BATCH = 1_000;

// @platformatic/kafka 2.x calls Promise.withResolvers (Node >= 22); Praxis runs on Node 20, so
// the bench supplies it (the runtime would have to as well, or move to Node 22).
const promiseCtor = Promise as unknown as { withResolvers?: () => unknown };
promiseCtor.withResolvers ??= () => {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

/** kafkajs 2.2.4 as the runtime configures it (producer of PraxisProducer, consumer of ConsumerRunner). */
export function kafkajsClient(kafka: Kafka): ClientUnderTest {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  const connected = producer.connect();
  return {
    name: 'kafkajs 2.2.4',
    async produce(topic, records) {
      await connected;
      for (let i = 0; i < records.length; i += BATCH) await producer.send({ topic, acks: -1, messages: records.slice(i, i + BATCH) });
    },
    async sendOne(topic, record) {
      await connected;
      await producer.send({ topic, acks: -1, messages: [record] });
    },
    async consume(topic, groupId, count, onRecord) {
      const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let seen = 0;
      let first = 0;
      let done!: (ms: number) => void;
      const finished = new Promise<number>((resolve) => (done = resolve));
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
          if (first === 0) first = performance.now();
          for (const m of batch.messages) await onRecord(m.value!);
          const last = batch.messages[batch.messages.length - 1]!.offset;
          resolveOffset(last);
          await consumer.commitOffsets([{ topic, partition: batch.partition, offset: String(BigInt(last) + 1n) }]);
          await heartbeat();
          seen += batch.messages.length;
          if (seen >= count) done(performance.now() - first);
        },
      });
      const ms = await finished;
      await consumer.disconnect();
      return ms;
    },
    async tail(topic, groupId, onRecord) {
      const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: false });
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.run({ eachMessage: async ({ message }) => onRecord(message.value!) });
      await joined;
      return () => consumer.disconnect();
    },
    close: async () => {
      await connected;
      await producer.disconnect();
    },
  };
}

/** @platformatic/kafka (pure JS): message streams; offsets committed per batch of records read. */
export function platformaticClient(brokers: string[]): ClientUnderTest {
  const producer = new PltProducer({ clientId: 'bench-plt', bootstrapBrokers: brokers, idempotent: true, acks: ProduceAcks.ALL, autocreateTopics: false });
  const consumers: PltConsumer[] = [];
  const consumerFor = (groupId: string) => {
    const c = new PltConsumer({ clientId: 'bench-plt', groupId, bootstrapBrokers: brokers, autocommit: false, maxWaitTime: 500 });
    consumers.push(c);
    return c;
  };
  return {
    name: '@platformatic/kafka 2.12.1',
    async produce(topic, records) {
      for (let i = 0; i < records.length; i += BATCH) {
        await producer.send({ messages: records.slice(i, i + BATCH).map((r) => ({ topic, key: Buffer.from(r.key), value: r.value })) });
      }
    },
    async sendOne(topic, record) {
      await producer.send({ messages: [{ topic, key: Buffer.from(record.key), value: record.value }] });
    },
    async consume(topic, groupId, count, onRecord) {
      const consumer = consumerFor(groupId);
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest' });
      let seen = 0;
      let first = 0;
      // the stream hands records one by one; commit the highest offset per partition every BATCH records (and at the end)
      const highest = new Map<number, { offset: bigint; leaderEpoch: number }>();
      const commit = async () => {
        const offsets = [...highest].map(([partition, h]) => ({ topic, partition, offset: h.offset + 1n, leaderEpoch: h.leaderEpoch }));
        highest.clear();
        if (offsets.length > 0) await consumer.commit({ offsets });
      };
      for await (const message of stream) {
        if (first === 0) first = performance.now();
        await onRecord(message.value as Buffer);
        highest.set(message.partition, { offset: message.offset, leaderEpoch: message.leaderEpoch });
        seen++;
        if (seen % BATCH === 0 || seen >= count) await commit();
        if (seen >= count) break;
      }
      const ms = performance.now() - first;
      await stream.close();
      await consumer.close();
      return ms;
    },
    async tail(topic, groupId, onRecord) {
      const consumer = new PltConsumer({ clientId: 'bench-plt', groupId, bootstrapBrokers: brokers, autocommit: false, maxWaitTime: 500 });
      const stream = await consumer.consume({ topics: [topic], mode: 'latest' });
      stream.on('data', (message) => onRecord(message.value as Buffer));
      return async () => {
        await stream.close();
        await consumer.close();
      };
    },
    async close() {
      await producer.close();
      for (const c of consumers) await c.close().catch(() => undefined);
    },
  };
}

/**
 * @confluentinc/kafka-javascript (librdkafka) through its KafkaJS-compatible API, loaded from
 * `dir` (built apart: it is not in the lockfile, see test/bench/kafka-clients/README.md).
 * Null when it is not installed there.
 */
export function confluentClient(brokers: string[], dir: string | undefined, logger: Logger): ClientUnderTest | null {
  if (!dir) return null;
  let lib: { KafkaJS: { Kafka: new (config: unknown) => any; logLevel: Record<string, number> } };
  try {
    lib = createRequire(`${dir}/package.json`)('@confluentinc/kafka-javascript');
  } catch (error) {
    logger.warn({ event: 'bench_client_missing', dir, err: error }, 'confluent client not loadable');
    return null;
  }
  const { Kafka: CKafka, logLevel } = lib.KafkaJS;
  const kafka = new CKafka({ kafkaJS: { brokers, clientId: 'bench-ckjs', logLevel: logLevel.ERROR } });
  const producer = kafka.producer({ kafkaJS: { idempotent: true, acks: -1, maxInFlightRequests: 1 }, 'linger.ms': 5 });
  const connected = producer.connect();
  const version = (createRequire(`${dir}/package.json`)('@confluentinc/kafka-javascript/package.json') as { version: string }).version;
  return {
    name: `@confluentinc/kafka-javascript ${version}`,
    async produce(topic, records) {
      await connected;
      for (let i = 0; i < records.length; i += BATCH) await producer.send({ topic, messages: records.slice(i, i + BATCH) });
    },
    async sendOne(topic, record) {
      await connected;
      await producer.send({ topic, messages: [record] });
    },
    async consume(topic, groupId, count, onRecord) {
      const consumer = kafka.consumer({ kafkaJS: { groupId, fromBeginning: true, autoCommit: false } });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      let seen = 0;
      let first = 0;
      let done!: (ms: number) => void;
      const finished = new Promise<number>((resolve) => (done = resolve));
      await consumer.run({
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset }: { batch: { partition: number; messages: { offset: string; value: Buffer }[] }; resolveOffset: (o: string) => void }) => {
          if (first === 0) first = performance.now();
          for (const m of batch.messages) await onRecord(m.value);
          const last = batch.messages[batch.messages.length - 1]!.offset;
          resolveOffset(last);
          await consumer.commitOffsets([{ topic, partition: batch.partition, offset: String(BigInt(last) + 1n) }]);
          seen += batch.messages.length;
          if (seen >= count) done(performance.now() - first);
        },
      });
      const ms = await finished;
      await consumer.disconnect();
      return ms;
    },
    async tail(topic, groupId, onRecord) {
      const consumer = kafka.consumer({ kafkaJS: { groupId, fromBeginning: false, autoCommit: false } });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({ eachMessage: async ({ message }: { message: { value: Buffer } }) => onRecord(message.value) });
      return () => consumer.disconnect();
    },
    close: async () => {
      await connected;
      await producer.disconnect();
    },
  };
}

/** Decodes a record as the runtime does (wire format, bounds check, avsc). */
export const decoderFor = (serde: AvroSerde, spec: TopicSpec) => async (value: Buffer) => {
  await serde.decode(spec, value);
};
