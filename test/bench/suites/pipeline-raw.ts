// The baselines of the pipeline suite: what bare kafkajs does with the same messages on the
// same broker, with no Praxis logic in between.
import { randomBytes } from 'node:crypto';
import type { StackEndpoints } from '@praxis/cli/stack';
import { AvroSerde, createKafka, createLogger } from '@praxis/kafka';
import { agentStepKey, praxisTopics, type AgentStep } from '@praxis/schemas';
import { Partitioners, type Admin, type Kafka } from 'kafkajs';

const logger = createLogger('bench-raw', 'error');

/**
 * Creates the topics and waits until every partition has a leader. kafkajs' own wait
 * (waitForLeaders) throws when a busy broker answers UNKNOWN_TOPIC_OR_PARTITION for a moment
 * after creating them (it took a whole bench run down), so the wait is ours and retries.
 */
export async function createReadyTopics(admin: Admin, names: string[], partitions: number): Promise<void> {
  await admin.createTopics({ waitForLeaders: false, topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
  for (let attempt = 0; ; attempt++) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      if (topics.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || attempt >= 100) throw error;
    }
    if (attempt >= 100) throw new Error(`topics ${names.join(', ')} have no leaders after 100 tries`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function withTopics<T>(kafka: Kafka, names: string[], partitions: number, fn: () => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  await createReadyTopics(admin, names, partitions);
  try {
    return await fn();
  } finally {
    await admin.deleteTopics({ topics: names }).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Messages/s: produce the steps (Avro, idempotent, acks=all, batches of 1000) and consume them all with one group member. */
export async function rawProduceConsume(stack: StackEndpoints, steps: AgentStep[]): Promise<number> {
  const kafka = createKafka({ brokers: stack.kafkaBrokers.split(','), clientId: 'bench-raw', logger });
  const spec = praxisTopics(`bench-raw-${randomBytes(3).toString('hex')}.`).steps;
  const serde = AvroSerde.forUrl(stack.registryUrl);
  const messages = await Promise.all(steps.map(async (s) => ({ key: agentStepKey(s), value: await serde.encode(spec, s) })));
  return withTopics(kafka, [spec.name], spec.partitions, async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: `${spec.name}-reader` });
    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic: spec.name, fromBeginning: true });
    let received = 0;
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        received += batch.messages.length;
        if (received >= messages.length) done();
      },
    });
    const started = performance.now();
    for (let i = 0; i < messages.length; i += 1_000) await producer.send({ topic: spec.name, acks: -1, messages: messages.slice(i, i + 1_000) });
    await all;
    const seconds = (performance.now() - started) / 1000;
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
    return messages.length / seconds;
  });
}

/**
 * Per-message latency (ms) across three relays, as a step travels steps -> trajectories ->
 * templates -> router: each hop a kafkajs consumer that produces what it read to the next
 * topic. `count` messages, 50 per second.
 */
export async function rawRelayLatencies(stack: StackEndpoints, count: number): Promise<number[]> {
  const kafka = createKafka({ brokers: stack.kafkaBrokers.split(','), clientId: 'bench-relay', logger });
  const id = randomBytes(3).toString('hex');
  const topics = [0, 1, 2, 3].map((i) => `bench-relay-${id}.hop${i}`);
  return withTopics(kafka, topics, 3, async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const relays = await Promise.all(
      [0, 1, 2].map(async (hop) => {
        const consumer = kafka.consumer({ groupId: `${topics[hop]}-relay` });
        await consumer.connect();
        await consumer.subscribe({ topic: topics[hop]!, fromBeginning: true });
        await consumer.run({
          eachBatch: async ({ batch }) => {
            await producer.send({ topic: topics[hop + 1]!, acks: -1, messages: batch.messages.map((m) => ({ key: m.key, value: m.value })) });
          },
        });
        return consumer;
      }),
    );
    const latencies: number[] = [];
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const sink = kafka.consumer({ groupId: `${topics[3]}-reader` });
    await sink.connect();
    await sink.subscribe({ topic: topics[3]!, fromBeginning: true });
    await sink.run({
      eachMessage: async ({ message }) => {
        latencies.push(performance.now() - Number(message.value!.toString()));
        if (latencies.length >= count) done();
      },
    });
    await new Promise((r) => setTimeout(r, 2_000)); // every group has joined before the clock starts
    for (let i = 0; i < count; i++) {
      await producer.send({ topic: topics[0]!, acks: -1, messages: [{ key: `k${i % 7}`, value: String(performance.now()) }] });
      await new Promise((r) => setTimeout(r, 20));
    }
    await all;
    await Promise.all([...relays, sink].map((c) => c.disconnect()));
    await producer.disconnect();
    return latencies;
  });
}

