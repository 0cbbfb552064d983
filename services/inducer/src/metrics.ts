import { Counter, Gauge } from 'prom-client';

// Declared once per process; served by the ops server's /metrics.

export const templatesPublishedTotal = new Counter({
  name: 'praxis_inducer_templates_published_total',
  help: 'Template versions and tombstones written, by status (tombstone for deletions)',
  labelNames: ['status'] as const,
});

export const trajectoriesInHorizonGauge = new Gauge({
  name: 'praxis_inducer_trajectories_in_horizon',
  help: 'Trajectories kept in the agents sliding horizons',
});

export const restoringGauge = new Gauge({
  name: 'praxis_inducer_restoring_partitions',
  help: 'Trajectory partitions still being replayed after a start; nothing is published for their agents until they catch up',
});

export const restoreSkippedTotal = new Counter({
  name: 'praxis_inducer_restore_skipped_total',
  help: 'Records skipped while restoring a topic because they do not decode or validate (garbage kept by compaction)',
  labelNames: ['topic'] as const,
});

export const refusalsTotal = new Counter({
  name: 'praxis_inducer_refusals_total',
  help: 'Records not applied as sent, by reason (tenant_mismatch: feedback from a tenant that does not own the template, ignored; clock_clamped: event time beyond broker time plus skew, clamped)',
  labelNames: ['reason'] as const,
});
