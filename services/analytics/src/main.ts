// Wiring only: config -> runtime and ClickHouse -> sink -> ops server -> shutdown.
import { openClickHouse } from '@praxis/clickhouse';
import { createRuntime, createShutdown, onSignals, parseConfig, startOpsServer } from '@praxis/kafka';
import { AnalyticsConfigSchema } from './config.js';
import { startAnalytics } from './service.js';

const config = parseConfig(AnalyticsConfigSchema);
const runtime = await createRuntime('analytics', config);
const clickhouse = await openClickHouse({
  url: config.CLICKHOUSE_URL,
  database: config.CLICKHOUSE_DATABASE,
  username: config.CLICKHOUSE_USER,
  password: config.CLICKHOUSE_PASSWORD,
  requestTimeoutMs: config.CLICKHOUSE_REQUEST_TIMEOUT_MS,
});
const analytics = await startAnalytics({
  runtime,
  clickhouse,
  groupId: config.ANALYTICS_GROUP_ID ?? `${config.PRAXIS_TOPIC_PREFIX}praxis-analytics`,
  limits: { maxRows: config.ANALYTICS_BATCH_MAX_ROWS, maxBytes: config.ANALYTICS_BATCH_MAX_BYTES, maxAgeMs: config.ANALYTICS_BATCH_MAX_AGE_MS },
  chunkRecords: config.ANALYTICS_CHUNK_RECORDS,
  retryMaxMs: config.ANALYTICS_RETRY_MAX_MS,
  sessionTimeoutMs: config.ANALYTICS_SESSION_TIMEOUT_MS,
  migrate: config.ANALYTICS_MIGRATE,
  retention: { policy: config.ANALYTICS_RETENTION, intervalMs: config.ANALYTICS_RETENTION_INTERVAL_MS },
});
const ops = await startOpsServer({ host: config.OPS_HOST, port: config.OPS_PORT, checks: analytics.checks });
runtime.logger.info({ event: 'analytics_started', opsPort: ops.port, database: clickhouse.database, engine: clickhouse.engine }, 'analytics sink running');

const shutdown = createShutdown(
  [
    { name: 'analytics', run: () => analytics.stop() },
    { name: 'producer', run: () => runtime.producer.disconnect() },
    { name: 'clickhouse', run: () => clickhouse.close() },
    { name: 'ops server', run: () => ops.close() },
  ],
  runtime.logger,
);
onSignals(shutdown, runtime.logger);
