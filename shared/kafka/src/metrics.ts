import { Counter, Gauge, Histogram, register } from 'prom-client';

// Declared once per process, labelled by service and topic; /metrics serves the default registry.

export const processedTotal = new Counter({
  name: 'praxis_messages_processed_total',
  help: 'Records a handler processed successfully',
  labelNames: ['service', 'topic'] as const,
});

export const failedTotal = new Counter({
  name: 'praxis_messages_failed_total',
  help: 'Records that failed a pipeline step (decode, validate, key, handler), whatever became of them',
  labelNames: ['service', 'topic', 'step'] as const,
});

export const dlqTotal = new Counter({
  name: 'praxis_messages_dlq_total',
  help: 'Records written to a dead-letter topic',
  labelNames: ['service', 'topic', 'reason'] as const,
});

export const droppedTotal = new Counter({
  name: 'praxis_messages_dropped_total',
  help: 'Records a handler dropped on purpose (e.g. duplicates)',
  labelNames: ['service', 'topic', 'reason'] as const,
});

export const handlerRetriesTotal = new Counter({
  name: 'praxis_handler_retries_total',
  help: 'Retries of a failed handler call',
  labelNames: ['service', 'topic'] as const,
});

export const producedTotal = new Counter({
  name: 'praxis_messages_produced_total',
  help: 'Records acknowledged by the broker',
  labelNames: ['service', 'topic'] as const,
});

export const consumerLag = new Gauge({
  name: 'praxis_consumer_lag',
  help: 'Records between the last processed offset and the partition high watermark',
  labelNames: ['service', 'topic', 'partition'] as const,
});

export const batchDuration = new Histogram({
  name: 'praxis_batch_duration_seconds',
  help: 'Time to process one fetched batch, commit included',
  labelNames: ['service', 'topic'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

export { register as metricsRegistry };

/** Current value of a counter or gauge for the given labels (0 when never set). */
export async function metricValue(metric: Counter | Gauge, labels: Record<string, string>): Promise<number> {
  const data = await metric.get();
  return data.values
    .filter((v) => Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val))
    .reduce((sum, v) => sum + v.value, 0);
}

export const memberLag = new Gauge({
  name: 'praxis_consumer_member_lag',
  help: 'Records behind the high watermarks over all partitions this group member owns (as its last batches saw them)',
  labelNames: ['service', 'group'] as const,
});

export const loopBusySeconds = new Counter({
  name: 'praxis_consumer_busy_seconds_total',
  help: "Wall time this member's loop spent in batches and ticks; rate() is the loop's utilisation (1 = never idle)",
  labelNames: ['service', 'group', 'kind'] as const,
});

export const batchFill = new Histogram({
  name: 'praxis_consumer_batch_fill_ratio',
  help: 'Records per handler call over the maximum batch size: near 1 the member runs full, near 0 it waits for records',
  labelNames: ['service', 'topic'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 1],
});

export const loopStalled = new Gauge({
  name: 'praxis_consumer_stalled',
  help: '1 while /readyz reports the loop stalled (see LoopProgress.check), else 0',
  labelNames: ['service', 'group'] as const,
});
