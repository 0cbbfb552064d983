import { Counter, Gauge } from 'prom-client';

// Declared once per process; served by the ops server's /metrics.

export const openSessionsGauge = new Gauge({
  name: 'praxis_segmenter_open_sessions',
  help: 'Sessions with steps not yet in an emitted trajectory',
  labelNames: ['partition'] as const,
});

export const pendingStepsGauge = new Gauge({
  name: 'praxis_segmenter_pending_steps',
  help: 'Steps held in open tasks',
  labelNames: ['partition'] as const,
});

export const trajectoriesTotal = new Counter({
  name: 'praxis_segmenter_trajectories_total',
  help: 'Trajectories emitted, by close reason',
  labelNames: ['reason'] as const,
});

export const fallbackFlushesTotal = new Counter({
  name: 'praxis_segmenter_fallback_flushes_total',
  help: 'Idle partitions whose sessions the processing-time fallback closed',
});

export const clockClampedTotal = new Counter({
  name: 'praxis_segmenter_clock_clamped_total',
  help: 'Steps whose event time was more than the allowed skew ahead of their broker timestamp, clamped (docs/security.md)',
});
