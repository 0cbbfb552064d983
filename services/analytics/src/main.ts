// Wiring only: config -> runtime and ClickHouse -> sink -> ops server -> shutdown.
import { createRuntime, createShutdown, onSignals, parseConfig, startOpsServer } from '@praxis/kafka';
import { AnalyticsConfigSchema, analyticsOptionsFrom, openClickHouseFrom } from './config.js';
import { startAnalytics } from './service.js';

const config = parseConfig(AnalyticsConfigSchema);
const runtime = await createRuntime('analytics', config);
const clickhouse = await openClickHouseFrom(config);
const analytics = await startAnalytics(analyticsOptionsFrom(config, runtime, clickhouse));
const ops = await startOpsServer({ host: config.OPS_HOST, port: config.OPS_PORT, checks: analytics.checks });
runtime.logger.info({ event: 'analytics_started', opsPort: ops.port, database: clickhouse.database, engine: clickhouse.engine }, 'analytics sink running');

const shutdown = createShutdown(
  [
    { name: 'analytics', run: () => analytics.stop() },
    { name: 'producer', run: () => runtime.producer.disconnect() },
    { name: 'tracing', run: () => runtime.tracing.shutdown() },
    { name: 'clickhouse', run: () => clickhouse.close() },
    { name: 'ops server', run: () => ops.close() },
  ],
  runtime.logger,
);
onSignals(shutdown, runtime.logger);
