// Helpers of the router's integration tests: a router on its own topics, keys per tenant,
// and typed HTTP calls.
import { parseConfig, type Runtime } from '@praxis/kafka';
import { hashApiKey, RouterConfigSchema, startRouter, type RouterHandle } from '@praxis/router';
import type { Feedback, TopicSpec } from '@praxis/schemas';
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createTopics, stack, testRuntime, uniquePrefix } from '../support/stack.js';

export const KEYS = { acme: 'acme-secret-key', globex: 'globex-secret-key' } as const;

export interface TestRouter {
  prefix: string;
  runtime: Runtime;
  router: RouterHandle;
  /** Fetches a router path with a tenant's key (or none), JSON in and out. */
  call: (method: string, path: string, body?: unknown, key?: string | null) => Promise<{ status: number; body: any }>;
  stop: () => Promise<void>;
}

/** Router config for a test: its topics, both tenants' key hashes, OS-chosen port. */
export function routerEnv(prefix: string, extra: Record<string, string> = {}) {
  return {
    KAFKA_BROKERS: stack().kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: stack().registryUrl,
    PRAXIS_TOPIC_PREFIX: prefix,
    ROUTER_PORT: '0',
    ROUTER_INSTANCE_ID: `${prefix.replace(/\.$/, '')}-${Math.random().toString(36).slice(2, 8)}`,
    ROUTER_API_KEYS: JSON.stringify({ acme: [hashApiKey(KEYS.acme)], globex: [hashApiKey(KEYS.globex)] }),
    LOG_LEVEL: process.env.PRAXIS_TEST_LOG_LEVEL ?? 'warn',
    ...extra,
  };
}

/** Creates the topics of `name`'s prefix (or reuses `prefix`) and starts a router on them. */
export async function startTestRouter(name: string, options: { prefix?: string; env?: Record<string, string> } = {}): Promise<TestRouter> {
  const prefix = options.prefix ?? uniquePrefix(name);
  const runtime = await testRuntime(`router-${name}`, prefix);
  if (!options.prefix) await createTopics(runtime.kafka, Object.values(runtime.topics));
  const env = routerEnv(prefix, options.env);
  const router = await startRouter({ config: parseConfig(RouterConfigSchema, env), runtime });
  await router.ready();
  const call = async (method: string, path: string, body?: unknown, key: string | null = KEYS.acme) => {
    const res = await fetch(`${router.url}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    prefix,
    runtime,
    router,
    call,
    stop: async () => {
      await router.stop();
      await runtime.producer.disconnect();
    },
  };
}

/** Reads a topic from the beginning, decoding, until `done` holds for what was read (or the timeout); returns it all. */
export async function readUntil<T = Feedback>(kafka: Kafka, runtime: Runtime, spec: TopicSpec, done: (records: { key: string; value: T | null }[]) => boolean, timeoutMs = 20_000): Promise<{ key: string; value: T | null }[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}` });
  const records: { key: string; value: T | null }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: spec.name, fromBeginning: true });
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await consumer.run({
    eachMessage: async ({ message }) => {
      records.push({ key: message.key?.toString() ?? '', value: message.value === null ? null : ((await runtime.serde.decode(spec, message.value)) as T) });
      if (done(records)) finish();
    },
  });
  const timer = setTimeout(finish, timeoutMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  return records;
}
