// Wiring only: config -> runtime -> inducer (restore, then consume) -> ops server -> shutdown.
import { createRuntime, createShutdown, onSignals, parseConfig, startOpsServer } from '@praxis/kafka';
import { InducerEnv, inducerOptionsFrom } from './config.js';
import { startInducer } from './service.js';

const config = parseConfig(InducerEnv);
const runtime = await createRuntime('inducer', config);
const inducer = await startInducer(inducerOptionsFrom(config, runtime));
const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.OPS_PORT,
  checks: {
    consumer: () => ({ ok: inducer.runner.health().ready, details: inducer.runner.health() }),
    replay: () => ({ ok: true, details: { caughtUp: inducer.caughtUp(), tasks: inducer.ownedTasks() } }),
  },
});
runtime.logger.info({ event: 'inducer_started', opsPort: ops.port, groupId: config.INDUCER_GROUP_ID }, 'inducer running');

const shutdown = createShutdown(
  [
    { name: 'consumer', run: () => inducer.stop() },
    { name: 'producer', run: () => runtime.producer.disconnect() },
    { name: 'tracing', run: () => runtime.tracing.shutdown() },
    { name: 'ops server', run: () => ops.close() },
  ],
  runtime.logger,
);
onSignals(shutdown, runtime.logger);
