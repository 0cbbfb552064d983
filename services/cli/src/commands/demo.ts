import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command.js';
import { runDemo } from '../demo/run.js';

const defaultLogDir = fileURLToPath(new URL('../../../../.praxis/demo', import.meta.url));

export const demoCommand: Command = {
  summary: 'the main job, end to end: real stack, every service, the fleet, learned templates, router answers, analytics',
  usage: 'praxis demo [--small] [--seed S] [--exit]\n  --exit: stop when the summary is printed (default: keep serving until Ctrl-C)\n  env: KAFKA_BROKERS, SCHEMA_REGISTRY_URL, CLICKHOUSE_URL to use running servers (else infra/ starts them)',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { small: { type: 'boolean', default: false }, seed: { type: 'string', default: 'demo' }, exit: { type: 'boolean', default: false } }, strict: true });
    const abort = new AbortController();
    let stopping: Promise<void> | null = null;
    let stopRun: (() => Promise<void>) | null = null;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        io.err(`\n${signal} again: already stopping`);
        return;
      }
      io.err(`\n${signal}: stopping the services cleanly...`);
      abort.abort();
      stopping = (stopRun?.() ?? Promise.resolve()).then(() => io.err('stopped.'));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const run = await runDemo({ io, seed: values.seed, scale: values.small ? 'small' : 'full', logDir: defaultLogDir, signal: abort.signal });
      stopRun = run.stop;
      if (abort.signal.aborted) {
        await run.stop();
        return 130;
      }
      if (values.exit) {
        await run.stop();
        return 0;
      }
      io.out('\nPraxis keeps running so you can try the commands above. Press Ctrl-C to stop it.');
      await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve()));
      await stopping;
      return 0;
    } catch (error) {
      if (abort.signal.aborted) {
        await stopping;
        return 130;
      }
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
