// Wiring only: config -> runtime -> segmenter -> ops server -> shutdown.
import { createRuntime, createShutdown, onSignals, parseConfig, startOpsServer } from '@praxis/kafka';
import { SegmenterEnv } from './config.js';
import { startSegmenter } from './service.js';

const config = parseConfig(SegmenterEnv);
const runtime = await createRuntime('segmenter', config);
const segmenter = await startSegmenter({
  runtime,
  groupId: config.SEGMENTER_GROUP_ID,
  policy: {
    learningWindowMs: config.SEGMENTER_LEARNING_WINDOW_MS,
    allowedLatenessMs: config.SEGMENTER_ALLOWED_LATENESS_MS,
    maxDurationMs: config.SEGMENTER_MAX_DURATION_MS,
    maxSteps: config.SEGMENTER_MAX_STEPS,
  },
  overrides: config.SEGMENTER_OVERRIDES,
  idleMs: config.SEGMENTER_IDLE_MS,
  idleGraceMs: config.SEGMENTER_IDLE_GRACE_MS,
  tickMs: config.SEGMENTER_TICK_MS,
  maxPendingPerSession: config.SEGMENTER_MAX_PENDING_PER_SESSION,
  sessionTimeoutMs: config.SEGMENTER_SESSION_TIMEOUT_MS,
  maxBatchSize: config.SEGMENTER_MAX_BATCH_SIZE,
  fromBeginning: config.SEGMENTER_FROM_BEGINNING,
});
const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.OPS_PORT,
  checks: { consumer: () => ({ ok: segmenter.runner.health().ready, details: segmenter.runner.health() }) },
});
runtime.logger.info({ event: 'segmenter_started', opsPort: ops.port, groupId: config.SEGMENTER_GROUP_ID }, 'segmenter running');

const shutdown = createShutdown(
  [
    { name: 'consumer', run: () => segmenter.stop() },
    { name: 'producer', run: () => runtime.producer.disconnect() },
    { name: 'ops server', run: () => ops.close() },
  ],
  runtime.logger,
);
onSignals(shutdown, runtime.logger);
