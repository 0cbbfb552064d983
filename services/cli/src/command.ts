/** A praxis subcommand. `run` returns the process exit code. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

/** Where a command writes; tests pass their own. */
export interface CommandIO {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

export const processIO: CommandIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
};

/** Thrown for a command line that cannot be run; printed without a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
