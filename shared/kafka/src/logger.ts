import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** A JSON logger for one service; add {topic, partition} with logger.child(). Stdout unless a destination is given. */
export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}

/** A log file that several loggers can share (appended, created with its folder). */
export function logFile(path: string): DestinationStream {
  return pino.destination({ dest: path, mkdir: true, append: true, sync: false });
}

/** Standard error, for libraries that must never write to their host's stdout (the SDK). */
export function stderrDestination(): DestinationStream {
  // synchronous: these lines are few (outages), and must not be lost when the agent exits
  return pino.destination({ dest: 2, sync: true });
}
