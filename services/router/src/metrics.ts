import { Counter, Gauge, Histogram } from 'prom-client';

// Router metrics, on the default registry (served by the ops server's /metrics).

export const lookupsTotal = new Counter({ name: 'praxis_router_lookups_total', help: 'Lookups answered, by tenant and tier', labelNames: ['tenant', 'tier'] as const });
export const lookupSeconds = new Histogram({
  name: 'praxis_router_lookup_duration_seconds',
  help: 'Time to answer a lookup (embedding, search, checks, extraction; generation included when configured)',
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
});
export const falseHitsTotal = new Counter({ name: 'praxis_router_false_hits_total', help: 'Reuse answers whose execution failed, deviated or was abandoned', labelNames: ['tenant'] as const });
export const executionsTotal = new Counter({ name: 'praxis_router_executions_total', help: 'Execution outcomes reported', labelNames: ['tenant', 'outcome'] as const });
export const structuralRejectionsTotal = new Counter({ name: 'praxis_router_structural_rejections_total', help: 'Candidates refused by the structural check', labelNames: ['tenant', 'kind'] as const });
export const rejectedRequestsTotal = new Counter({ name: 'praxis_router_rejected_requests_total', help: 'Requests answered 4xx, by error code', labelNames: ['error'] as const });
export const feedbackDroppedTotal = new Counter({ name: 'praxis_router_lookup_feedback_dropped_total', help: 'LOOKUP feedback records not written (too many pending, or the produce failed)' });
export const templatesGauge = new Gauge({ name: 'praxis_router_templates', help: 'Templates held in memory' });
export const feedInvalidTotal = new Counter({ name: 'praxis_router_feed_invalid_total', help: 'Template records that did not decode or validate (skipped)', labelNames: ['step'] as const });
export const indexLag = new Gauge({ name: 'praxis_router_index_lag', help: 'Template records between the index and the high watermark', labelNames: ['partition'] as const });
export const feedIgnoredTotal = new Counter({ name: 'praxis_router_feed_ignored_total', help: 'Template versions not applied: stale (older than held), blocked (unlearned), tenant_mismatch (id owned by another tenant), other_shard (a tenant another router shard serves)', labelNames: ['reason'] as const });
export const extractionWork = new Histogram({
  name: 'praxis_router_extraction_work_units',
  help: 'Work units slot extraction spent per lookup (characters examined by pattern and schema checks; bounded by a budget)',
  buckets: [10, 100, 1_000, 10_000, 50_000, 100_000, 200_000],
});
export const ingestedStepsTotal = new Counter({ name: 'praxis_router_ingested_steps_total', help: 'Steps received on the ingest endpoints, by endpoint and result (accepted: acknowledged by Kafka)', labelNames: ['endpoint', 'result'] as const });
export const feedBatchesTotal = new Counter({ name: 'praxis_router_feed_batches_total', help: 'Batches of template records applied to the index (an idle router applies none)' });
export const feedRecordsTotal = new Counter({ name: 'praxis_router_feed_records_total', help: 'Template records read from the topic and applied to the index' });
export const storedVectorsTotal = new Counter({ name: 'praxis_router_vectors_total', help: 'Texts the vector cache answered (stored) or sent to the embedder (embedded): after a restart with a warm cache, embedded stays near zero', labelNames: ['source'] as const });
