// Wiring only: config -> runtime -> inducer (restore, then consume) -> ops server -> shutdown.
import { createRuntime, createShutdown, onSignals, parseConfig, startOpsServer } from '@praxis/kafka';
import { InducerEnv } from './config.js';
import { DEFAULT_INDUCER_POLICY } from './policy.js';
import { startInducer } from './service.js';

const config = parseConfig(InducerEnv);
const runtime = await createRuntime('inducer', config);
const inducer = await startInducer({
  runtime,
  groupId: config.INDUCER_GROUP_ID,
  policy: {
    ...DEFAULT_INDUCER_POLICY,
    minStepsToLearn: config.INDUCER_MIN_STEPS,
    minSuccessRate: config.INDUCER_MIN_SUCCESS_RATE,
    confidenceThreshold: config.INDUCER_CONFIDENCE_THRESHOLD,
    maxWorkflowsPerAgent: config.INDUCER_MAX_WORKFLOWS_PER_AGENT,
    minSupport: config.INDUCER_MIN_SUPPORT,
    promoteAfterSuccesses: config.INDUCER_PROMOTE_AFTER,
    horizonMs: config.INDUCER_HORIZON_MS,
    horizonTrajectories: config.INDUCER_HORIZON_TRAJECTORIES,
  },
  overrides: config.INDUCER_OVERRIDES,
  tickMs: config.INDUCER_TICK_MS,
  sessionTimeoutMs: config.INDUCER_SESSION_TIMEOUT_MS,
  maxBatchSize: config.INDUCER_MAX_BATCH_SIZE,
});
const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.OPS_PORT,
  checks: {
    consumer: () => ({ ok: inducer.runner.health().ready, details: inducer.runner.health() }),
    replay: () => ({ ok: true, details: { caughtUp: inducer.caughtUp() } }),
  },
});
runtime.logger.info({ event: 'inducer_started', opsPort: ops.port, groupId: config.INDUCER_GROUP_ID }, 'inducer running');

const shutdown = createShutdown(
  [
    { name: 'consumer', run: () => inducer.stop() },
    { name: 'producer', run: () => runtime.producer.disconnect() },
    { name: 'ops server', run: () => ops.close() },
  ],
  runtime.logger,
);
onSignals(shutdown, runtime.logger);
