import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from './logger.js';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose own logs go through our pino logger. */
export function createKafka(options: { brokers: string[]; clientId: string; logger: Logger; connectionTimeoutMs?: number }): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: 30_000,
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      log[levels[entry.level] ?? 'info']({ event: 'kafkajs', namespace: entry.namespace, ...rest }, message);
    },
  });
}
