import { Counter, Gauge, Histogram } from 'prom-client';

// The sink's own metrics; the consumer runtime adds praxis_messages_* per topic.

export const rowsInserted = new Counter({
  name: 'praxis_analytics_rows_inserted_total',
  help: 'Rows ClickHouse acknowledged, per raw table (rows it already held are not sent again)',
  labelNames: ['table'] as const,
});

export const rowsRejected = new Counter({
  name: 'praxis_analytics_rows_rejected_total',
  help: 'Rows ClickHouse refused, dead-lettered with its error',
  labelNames: ['table'] as const,
});

export const rowsDuplicate = new Counter({
  name: 'praxis_analytics_rows_duplicate_total',
  help: 'Rows not inserted because ClickHouse already held them (redeliveries) or the batch held them twice',
});

export const rollupRefills = new Counter({
  name: 'praxis_analytics_rollup_refills_total',
  help: 'View days summed again from the raw rows because stored rows lay above the view mark (an insert cut between raw table and views)',
  labelNames: ['view'] as const,
});

export const flushes = new Counter({
  name: 'praxis_analytics_flushes_total',
  help: 'Batches written, by what triggered them (size, age, caught_up, drain)',
  labelNames: ['trigger'] as const,
});

export const flushFailures = new Counter({
  name: 'praxis_analytics_flush_failures_total',
  help: 'Batches that could not be written and are retried (unavailable, server)',
  labelNames: ['kind'] as const,
});

export const bufferedRows = new Gauge({
  name: 'praxis_analytics_buffered_rows',
  help: 'Rows waiting for the next flush',
});

export const flushDuration = new Histogram({
  name: 'praxis_analytics_flush_duration_seconds',
  help: 'Time to write one batch to ClickHouse, DLQ included',
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});
