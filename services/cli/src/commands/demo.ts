import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command.js';
import { DemoAborted, runDemo } from '../demo/run.js';

const defaultLogDir = fileURLToPath(new URL('../../../../.praxis/demo', import.meta.url));

export const demoCommand: Command = {
  summary: 'the main job, end to end: real stack, every service, the fleet, learned templates, router answers, analytics',
  usage: 'praxis demo [--small] [--seed S] [--exit]\n  --exit: stop when the summary is printed (default: keep serving until Ctrl-C)\n  env: KAFKA_BROKERS, SCHEMA_REGISTRY_URL, CLICKHOUSE_URL to use running servers (else infra/ starts them)',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { small: { type: 'boolean', default: false }, seed: { type: 'string', default: 'demo' }, exit: { type: 'boolean', default: false } }, strict: true });
    const abort = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (abort.signal.aborted) {
        io.err(`\n${signal} again: already stopping`);
        return;
      }
      io.err(`\n${signal}: stopping the services cleanly...`);
      abort.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      // mid-run, a signal makes runDemo stop its services and throw DemoAborted
      const run = await runDemo({ io, seed: values.seed, scale: values.small ? 'small' : 'full', logDir: defaultLogDir, signal: abort.signal });
      if (!values.exit && !abort.signal.aborted) {
        io.out('\nPraxis keeps running so you can try the commands above. Press Ctrl-C to stop it.');
        await new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve()));
      }
      await run.stop();
      if (abort.signal.aborted) io.err('stopped.');
      return abort.signal.aborted ? 130 : 0;
    } catch (error) {
      if (error instanceof DemoAborted || abort.signal.aborted) {
        io.err('stopped.');
        return 130;
      }
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
