// The router process: config -> runtime -> router -> ops server -> shutdown on signals.
import { createRuntime, createShutdown, onSignals, parseConfig, startOpsServer } from '@praxis/kafka';
import { RouterConfigSchema } from './config.js';
import { startRouter } from './service.js';

const config = parseConfig(RouterConfigSchema);
const runtime = await createRuntime('router', config);
const router = await startRouter({ config, runtime });
const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.OPS_PORT,
  checks: { template_index: () => { const r = router.readiness(); return { ok: r.caughtUp, details: r }; } },
});
runtime.logger.info({ event: 'router_started', url: router.url, opsPort: ops.port }, 'router started');

const shutdown = createShutdown(
  [
    { name: 'http and template feed', run: () => router.stop() },
    { name: 'producer', run: () => runtime.producer.disconnect() },
    { name: 'tracing', run: () => runtime.tracing.shutdown() },
    { name: 'ops server', run: () => ops.close() },
  ],
  runtime.logger,
);
onSignals(shutdown, runtime.logger);
