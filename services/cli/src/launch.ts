// Every Praxis service in this process, wired from one environment exactly as their main.ts
// wire them: for the demo, the end-to-end test and the pipeline benchmarks.
import { AnalyticsConfigSchema, analyticsOptionsFrom, openClickHouseFrom, startAnalytics, type AnalyticsService } from '@praxis/analytics';
import type { ClickHouse } from '@praxis/clickhouse';
import { InducerEnv, inducerOptionsFrom, startInducer, type InducerHandle } from '@praxis/inducer';
import { createLogger, createRuntime, ensureTopics, parseConfig, type Logger, type Runtime } from '@praxis/kafka';
import type { Kafka } from 'kafkajs';
import { RouterConfigSchema, startRouter, type RouterHandle } from '@praxis/router';
import { praxisTopics, type PraxisTopics } from '@praxis/schemas';
import { SegmenterEnv, segmenterOptionsFrom, startSegmenter, type SegmenterHandle } from '@praxis/segmenter';
import type { StackEndpoints } from './stack.js';

/** What an isolated deployment of every service needs besides the servers. */
export interface IsolatedDeployment {
  /** Where the servers are. */
  stack: Pick<StackEndpoints, 'kafkaBrokers' | 'registryUrl' | 'clickhouseUrl'>;
  /** Topic prefix; consumer groups are named after it. */
  prefix: string;
  database: string;
  routerPort: number;
  instanceId: string;
  /** Tenant -> sha-256 of its API key. */
  keyHashes: Record<string, string>;
  logLevel: string;
  /** Processing-time idle close of quiet sessions (SEGMENTER_IDLE_MS, SEGMENTER_IDLE_GRACE_MS). */
  idleMs: number;
  idleGraceMs: number;
}

/** The environment of a deployment with topics, groups, database and router instance of its own (demo, benchmarks). */
export function isolatedEnv(d: IsolatedDeployment): Record<string, string> {
  return {
    KAFKA_BROKERS: d.stack.kafkaBrokers,
    SCHEMA_REGISTRY_URL: d.stack.registryUrl,
    CLICKHOUSE_URL: d.stack.clickhouseUrl,
    CLICKHOUSE_DATABASE: d.database,
    PRAXIS_TOPIC_PREFIX: d.prefix,
    LOG_LEVEL: d.logLevel,
    SEGMENTER_GROUP_ID: `${d.prefix}segmenter`,
    SEGMENTER_IDLE_MS: String(d.idleMs),
    SEGMENTER_IDLE_GRACE_MS: String(d.idleGraceMs),
    INDUCER_GROUP_ID: `${d.prefix}inducer`,
    ROUTER_PORT: String(d.routerPort),
    ROUTER_INSTANCE_ID: d.instanceId,
    ROUTER_API_KEYS: Object.entries(d.keyHashes).map(([tenant, hash]) => `${tenant}:${hash}`).join(','),
  };
}

export interface LaunchOptions {
  /** What the services read: KAFKA_BROKERS, SCHEMA_REGISTRY_URL, CLICKHOUSE_URL, PRAXIS_TOPIC_PREFIX, ROUTER_API_KEYS, any service variable. */
  env: Record<string, string | undefined>;
  /** A logger per service (default: JSON on stdout at LOG_LEVEL). */
  logger?: (service: string) => Logger;
  /** Called as each service comes up. */
  onStarted?: (service: string) => void;
}

export interface PraxisServices {
  topics: PraxisTopics;
  /** A Kafka client of the services' cluster (admin queries, tests). */
  kafka: Kafka;
  segmenter: SegmenterHandle;
  inducer: InducerHandle;
  analytics: AnalyticsService;
  router: RouterHandle;
  clickhouse: ClickHouse;
  /** Stops everything in order: router, segmenter, inducer, analytics (drained), producers, ClickHouse. */
  stop(): Promise<void>;
}

/** Starts the four services in this process; each parses its own config from `env`. */
export async function launchPraxis(options: LaunchOptions): Promise<PraxisServices> {
  const env = options.env;
  const loggerFor = options.logger ?? ((service: string) => createLogger(service, env.LOG_LEVEL ?? 'info'));
  const started: (() => Promise<void>)[] = [];
  const runtimeFor = async (service: string, config: Parameters<typeof createRuntime>[1]): Promise<Runtime> => {
    const runtime = await createRuntime(service, config, loggerFor(service));
    started.unshift(() => runtime.producer.disconnect());
    return runtime;
  };
  const stopAll = async () => {
    for (const stop of started.splice(0)) await stop().catch(() => undefined);
  };

  try {
    const analyticsConfig = parseConfig(AnalyticsConfigSchema, env);
    const segmenterConfig = parseConfig(SegmenterEnv, env);
    const inducerConfig = parseConfig(InducerEnv, env);
    const routerConfig = parseConfig(RouterConfigSchema, env);
    const topics = praxisTopics(analyticsConfig.PRAXIS_TOPIC_PREFIX);

    const analyticsRuntime = await runtimeFor('analytics', analyticsConfig);
    const admin = analyticsRuntime.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, Object.values(topics)).finally(() => admin.disconnect());

    const clickhouse = await openClickHouseFrom(analyticsConfig);
    started.unshift(() => clickhouse.close());
    const analytics = await startAnalytics(analyticsOptionsFrom(analyticsConfig, analyticsRuntime, clickhouse));
    started.unshift(() => analytics.stop());
    options.onStarted?.('analytics');

    const segmenter = await startSegmenter(segmenterOptionsFrom(segmenterConfig, await runtimeFor('segmenter', segmenterConfig)));
    started.unshift(() => segmenter.stop());
    options.onStarted?.('segmenter');

    const inducer = await startInducer(inducerOptionsFrom(inducerConfig, await runtimeFor('inducer', inducerConfig)));
    started.unshift(() => inducer.stop());
    options.onStarted?.('inducer');

    const router = await startRouter({ config: routerConfig, runtime: await runtimeFor('router', routerConfig) });
    started.unshift(() => router.stop());
    await router.ready();
    options.onStarted?.('router');

    return { topics, kafka: analyticsRuntime.kafka, segmenter, inducer, analytics, router, clickhouse, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Whether the inducer has applied every trajectory on its topic so far, and how many records that topic holds. */
export async function inducerCaughtUp(services: Pick<PraxisServices, 'kafka' | 'inducer' | 'topics'>): Promise<{ caughtUp: boolean; trajectories: number }> {
  const admin = services.kafka.admin();
  await admin.connect();
  try {
    const ends = (await admin.fetchTopicOffsets(services.topics.trajectories.name)).map((p) => ({ partition: p.partition, last: Number(p.high) - 1 }));
    const applied = services.inducer.appliedOffsets();
    return {
      caughtUp: ends.every(({ partition, last }) => last < 0 || (applied.get(partition) ?? -1) >= last),
      trajectories: ends.reduce((n, { last }) => n + last + 1, 0),
    };
  } finally {
    await admin.disconnect();
  }
}
