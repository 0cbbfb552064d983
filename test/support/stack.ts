import { randomBytes } from 'node:crypto';
import { createKafka, createLogger, createRuntime, ensureTopics, type Runtime } from '@praxis/kafka';
import type { TopicSpec } from '@praxis/schemas';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { inject } from 'vitest';

/** Where the real servers are (see test/setup/stack.ts). */
export const stack = () => inject('stack');

/** A topic prefix no other test file or run uses: each test file gets its own topics. */
export function uniquePrefix(name: string): string {
  return `it-${name}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}.`;
}

export const quietLogger = (service: string) => createLogger(service, process.env.PRAXIS_TEST_LOG_LEVEL ?? 'warn');

/** A service runtime against the test stack, with its topics under `prefix`. */
export async function testRuntime(service: string, prefix: string, brokers = stack().kafkaBrokers): Promise<Runtime> {
  return createRuntime(service, { KAFKA_BROKERS: brokers, SCHEMA_REGISTRY_URL: stack().registryUrl, PRAXIS_TOPIC_PREFIX: prefix, LOG_LEVEL: 'warn' }, quietLogger(service));
}

/** Creates the topics (and DLQs) of the given specs. */
export async function createTopics(kafka: Kafka, specs: TopicSpec[], partitions?: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, specs, { partitions });
  } finally {
    await admin.disconnect();
  }
}

export const testKafka = (brokers = stack().kafkaBrokers) => createKafka({ brokers, clientId: 'praxis-test', logger: quietLogger('test') });

/**
 * Reads a topic from the beginning with a throwaway group until `count` records arrived, or
 * `until` holds for those read so far (or the timeout).
 */
export async function readTopic(kafka: Kafka, topic: string, count: number | ((messages: KafkaMessage[]) => boolean), timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}` });
  const messages: KafkaMessage[] = [];
  const enough = typeof count === 'number' ? (ms: KafkaMessage[]) => ms.length >= count : count;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  await consumer.run({
    eachMessage: async ({ message }) => {
      messages.push(message);
      if (enough(messages)) done();
    },
  });
  const timer = setTimeout(done, timeoutMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  return messages;
}

/** Polls `probe` until it returns a truthy value or the time is up; returns the last value. */
export async function eventually<T>(probe: () => Promise<T> | T, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!last && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, everyMs));
    last = await probe();
  }
  return last;
}
