// Wiring only: config -> runtime -> segmenter -> ops server -> shutdown.
import { createRuntime, createShutdown, onSignals, parseConfig, startOpsServer } from '@praxis/kafka';
import { SegmenterEnv, segmenterOptionsFrom } from './config.js';
import { startSegmenter } from './service.js';

const config = parseConfig(SegmenterEnv);
const runtime = await createRuntime('segmenter', config);
const segmenter = await startSegmenter(segmenterOptionsFrom(config, runtime));
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
    { name: 'tracing', run: () => runtime.tracing.shutdown() },
    { name: 'ops server', run: () => ops.close() },
  ],
  runtime.logger,
);
onSignals(shutdown, runtime.logger);
