import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** A JSON logger for one service; add {topic, partition} with logger.child(). */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
