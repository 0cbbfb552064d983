import type { Logger } from './logger.js';

/** One step of an orderly shutdown. */
export interface ShutdownStep {
  name: string;
  run: () => Promise<void> | void;
}

/**
 * Runs the steps in order (stop fetching, drain, flush, commit, disconnect), logging each.
 * Safe to call twice: the second call waits for the first. A step that throws is logged
 * and the next still runs.
 */
export function createShutdown(steps: ShutdownStep[], logger: Logger) {
  let running: Promise<void> | null = null;
  return (reason: string): Promise<void> => {
    if (running) return running;
    running = (async () => {
      logger.info({ event: 'shutdown_started', reason }, 'shutting down');
      for (const step of steps) {
        const started = Date.now();
        try {
          await step.run();
          logger.info({ event: 'shutdown_step', step: step.name, ms: Date.now() - started }, `stopped ${step.name}`);
        } catch (error) {
          logger.error({ event: 'shutdown_step_failed', step: step.name, err: error }, `failed to stop ${step.name}`);
        }
      }
      logger.info({ event: 'shutdown_complete' }, 'shut down');
    })();
    return running;
  };
}

/**
 * Wires SIGTERM and SIGINT to `shutdown`, with a hard timeout that exits non-zero if the
 * steps hang. A second signal is logged, not obeyed twice.
 */
export function onSignals(shutdown: (reason: string) => Promise<void>, logger: Logger, hardTimeoutMs = 10_000): void {
  let signalled = false;
  const handle = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn({ event: 'shutdown_signal_repeated', signal }, 'shutdown already in progress');
      return;
    }
    signalled = true;
    const timer = setTimeout(() => {
      logger.error({ event: 'shutdown_timeout', hardTimeoutMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, hardTimeoutMs);
    timer.unref();
    void shutdown(signal).then(() => process.exit(0));
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}
