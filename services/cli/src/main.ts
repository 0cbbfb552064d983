import { processIO, UsageError, type CommandIO } from './command.js';

export type { CommandIO } from './command.js';
import { commands } from './commands/index.js';

/** Runs `praxis <command> ...args` and returns the exit code. */
export async function runCli(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(['usage: praxis <command> [options]', '', 'commands:', ...Object.entries(commands).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`), '', 'praxis <command> --help for its options'].join('\n'));
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`praxis: unknown command "${name}" (known: ${Object.keys(commands).join(', ')})`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`${command.summary}\n\nusage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`praxis ${name}: ${(error as Error).message}\nusage: ${command.usage}`);
      return 2;
    }
    io.err(`praxis ${name}: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && /(main\.ts|praxis(\.js)?)$/.test(process.argv[1]);
if (invokedDirectly) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
