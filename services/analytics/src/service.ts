// The analytics service: a consumer group over the four Praxis topics whose handler feeds the
// sink, plus migrations at start and the retention job. main.ts wires it; tests and the
// end-to-end run start it in-process.
import { applyRetention, classifyFailure, MigrationError, migrate, type ClickHouse, type RetentionPolicy } from '@praxis/clickhouse';
import { backoffDelay, ConsumerRunner, sleep, type Check, type Runtime } from '@praxis/kafka';
import type { BatchLimits } from './buffer.js';
import { AnalyticsSink, type SinkStats } from './sink.js';

export interface AnalyticsOptions {
  runtime: Pick<Runtime, 'service' | 'logger' | 'kafka' | 'serde' | 'producer' | 'topics'> & Partial<Pick<Runtime, 'stallAfterMs'>>;
  clickhouse: ClickHouse;
  groupId: string;
  limits?: Partial<BatchLimits>;
  /** Longest wait between attempts while ClickHouse is down. */
  retryMaxMs?: number;
  /** Apply pending migrations before consuming (default true). */
  migrate?: boolean;
  /** Drop expired partitions every intervalMs (null: never). */
  retention?: { policy: RetentionPolicy; intervalMs: number } | null;
  /** Records per handler call (the runtime commits after each). */
  chunkRecords?: number;
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
}

/** A running sink. */
export interface AnalyticsService {
  /** Writes what is buffered (bounded wait), then leaves the group. */
  stop(): Promise<void>;
  /** Readiness checks for the ops server. */
  checks: Record<string, Check>;
  stats(): SinkStats;
  /** Writes everything buffered now and releases its commits; false after the timeout. */
  drain(timeoutMs?: number): Promise<boolean>;
}

/** Batch bounds when the caller names none (docs/analytics.md, the sink's variables). */
export const DEFAULT_LIMITS: BatchLimits = { maxRows: 10_000, maxBytes: 16 * 1024 * 1024, maxAgeMs: 1_000 };

/** Starts the sink: migrations (waiting for ClickHouse), then the consumer and the retention job. */
export async function startAnalytics(options: AnalyticsOptions): Promise<AnalyticsService> {
  const { runtime, clickhouse } = options;
  const logger = runtime.logger;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const backoff = { initialMs: 200, maxMs: options.retryMaxMs ?? 10_000, factor: 2, jitter: 0.2 };
  let stopped = false;

  if (options.migrate ?? true) {
    for (let attempt = 0; ; attempt++) {
      try {
        const report = await migrate(clickhouse, { onStatement: (file, head) => logger.info({ event: 'migration_statement', file, head }, 'applying') });
        logger.info({ event: 'migrations_done', applied: report.applied.map((a) => a.file), alreadyApplied: report.alreadyApplied }, 'ClickHouse schema is current');
        break;
      } catch (error) {
        if (error instanceof MigrationError || classifyFailure(error) !== 'unavailable' || stopped) throw error;
        const delayMs = backoffDelay(attempt, { ...backoff, attempts: Number.MAX_SAFE_INTEGER });
        logger.warn({ event: 'clickhouse_unavailable_at_start', attempt, retryInMs: delayMs, err: (error as Error).message }, 'waiting for ClickHouse');
        await sleep(delayMs);
      }
    }
  }

  // Caught up: every owned partition's lag was 0 after its last batch, so a partial batch is
  // written at the next tick instead of waiting for its age bound (the end of a burst).
  const caughtUp = () => runner.health().loop.lag === 0;
  const sink = new AnalyticsSink({ clickhouse, producer: runtime.producer, logger, service: runtime.service, limits, backoff, caughtUp });
  const runner: ConsumerRunner = new ConsumerRunner({
    kafka: runtime.kafka,
    serde: runtime.serde,
    producer: runtime.producer,
    logger,
    service: runtime.service,
    groupId: options.groupId,
    topics: [runtime.topics.steps, runtime.topics.trajectories, runtime.topics.templates, runtime.topics.feedback],
    handler: sink.handler,
    maxBatchSize: options.chunkRecords ?? 2_000,
    fromBeginning: options.fromBeginning ?? true,
    sessionTimeoutMs: options.sessionTimeoutMs,
    stallAfterMs: runtime.stallAfterMs,
    // The tick writes a batch once it is old enough; a quarter of the age bound keeps the
    // overshoot small without spinning.
    tick: { intervalMs: Math.max(20, Math.min(250, Math.floor(limits.maxAgeMs / 4))), run: (now) => sink.tick(now) },
    onRevoked: sink.onRevoked,
  });
  await runner.start();

  let retentionTimer: NodeJS.Timeout | undefined;
  if (options.retention && options.retention.intervalMs > 0) {
    const { policy, intervalMs } = options.retention;
    const run = () =>
      applyRetention(clickhouse, policy)
        .then((drops) => drops.length && logger.info({ event: 'retention_dropped', partitions: drops }, 'dropped expired partitions'))
        .catch((error: unknown) => logger.warn({ event: 'retention_failed', err: (error as Error).message }, 'retention job failed; will try again'));
    retentionTimer = setInterval(run, intervalMs);
    retentionTimer.unref();
    void run();
  }

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      if (retentionTimer) clearInterval(retentionTimer);
      const drained = await sink.drain(1_500);
      if (!drained) logger.warn({ event: 'drain_incomplete', ...sink.stats() }, 'stopping with unwritten rows; they are read again after a restart');
      sink.stop();
      await runner.stop();
    },
    checks: {
      consumer: () => {
        const h = runner.health();
        return { ok: h.ready, details: h };
      },
      clickhouse: () => {
        const s = sink.stats();
        return { ok: s.consecutiveFailures === 0, details: s };
      },
    },
    stats: () => sink.stats(),
    drain: (timeoutMs = 10_000) => sink.drain(timeoutMs),
  };
}
