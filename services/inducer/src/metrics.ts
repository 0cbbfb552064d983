import { Counter, Gauge, Histogram } from 'prom-client';

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
  help: 'Owned tasks still replaying their input since they were taken over; nothing is published for their tenants until they catch up',
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

export const ownedTasksGauge = new Gauge({
  name: 'praxis_inducer_owned_tasks',
  help: 'Tasks (tenant partitions of the co-partitioned input) this member owns',
});

export const restoreSeconds = new Histogram({
  name: 'praxis_inducer_restore_seconds',
  help: 'Time to take tasks over on assignment: read their store partitions and templates, set catch-up targets',
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
});

export const forwardedTotal = new Counter({
  name: 'praxis_inducer_forwarded_total',
  help: 'Records found on another task partition than their tenant (written before tenant partitioning) and sent on to it',
  labelNames: ['topic'] as const,
});

export const agentPlansTotal = new Counter({
  name: 'praxis_inducer_agent_plans_total',
  help: 'Agents induced again (one induction pass over an agent horizon each); per trajectory applied, the cost of re-planning',
});
