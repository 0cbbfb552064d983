import { openClickHouse, parseRetention, type ClickHouse, type RetentionPolicy } from '@praxis/clickhouse';
import { boolFlag, kafkaEnvShape, port, positiveInt } from '@praxis/kafka';
import type { AnalyticsOptions } from './service.js';
import { z } from 'zod';

/** ClickHouse connection variables, shared with the CLI's migrate and report commands. */
export const clickHouseEnvShape = {
  CLICKHOUSE_URL: z
    .string()
    .regex(/^(https?:\/\/|chdb:)/, 'must be http(s)://host:port, or chdb:<dir> for the embedded engine')
    .default('http://127.0.0.1:8123'),
  CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be letters, digits and _').default('praxis'),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_REQUEST_TIMEOUT_MS: positiveInt.default(20_000),
} as const;

const retention = z
  .string()
  .default('')
  .transform((text, ctx): RetentionPolicy => {
    try {
      return parseRetention(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

/** Everything the analytics sink reads from its environment (docs/analytics.md lists them). */
export const AnalyticsConfigSchema = z.object({
  ...kafkaEnvShape,
  ...clickHouseEnvShape,
  /** Defaults to `<PRAXIS_TOPIC_PREFIX>praxis-analytics`. */
  ANALYTICS_GROUP_ID: z.string().min(1).optional(),
  ANALYTICS_BATCH_MAX_ROWS: positiveInt.default(10_000),
  ANALYTICS_BATCH_MAX_BYTES: positiveInt.default(16 * 1024 * 1024),
  ANALYTICS_BATCH_MAX_AGE_MS: positiveInt.default(1_000),
  ANALYTICS_CHUNK_RECORDS: positiveInt.default(2_000),
  ANALYTICS_RETRY_MAX_MS: positiveInt.default(10_000),
  /** Kafka group session timeout; a killed member's partitions move after it. */
  ANALYTICS_SESSION_TIMEOUT_MS: positiveInt.default(30_000),
  ANALYTICS_MIGRATE: boolFlag.default(true),
  ANALYTICS_RETENTION: retention,
  ANALYTICS_RETENTION_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  OPS_PORT: port.default(9466),
});

/** The parsed configuration of the sink. */
export type AnalyticsConfig = z.output<typeof AnalyticsConfigSchema>;

/** Opens the ClickHouse the environment names. */
export function openClickHouseFrom(config: Pick<AnalyticsConfig, keyof typeof clickHouseEnvShape>): Promise<ClickHouse> {
  return openClickHouse({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    requestTimeoutMs: config.CLICKHOUSE_REQUEST_TIMEOUT_MS,
  });
}

/** The sink options the environment describes (main.ts and in-process launchers share it). */
export function analyticsOptionsFrom(config: AnalyticsConfig, runtime: AnalyticsOptions['runtime'], clickhouse: ClickHouse): AnalyticsOptions {
  return {
    runtime,
    clickhouse,
    groupId: config.ANALYTICS_GROUP_ID ?? `${config.PRAXIS_TOPIC_PREFIX}praxis-analytics`,
    limits: { maxRows: config.ANALYTICS_BATCH_MAX_ROWS, maxBytes: config.ANALYTICS_BATCH_MAX_BYTES, maxAgeMs: config.ANALYTICS_BATCH_MAX_AGE_MS },
    chunkRecords: config.ANALYTICS_CHUNK_RECORDS,
    retryMaxMs: config.ANALYTICS_RETRY_MAX_MS,
    sessionTimeoutMs: config.ANALYTICS_SESSION_TIMEOUT_MS,
    migrate: config.ANALYTICS_MIGRATE,
    retention: { policy: config.ANALYTICS_RETENTION, intervalMs: config.ANALYTICS_RETENTION_INTERVAL_MS },
  };
}
