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
