import { Kafka, logLevel, type LogEntry, type RetryOptions } from 'kafkajs';

export type { RetryOptions } from 'kafkajs';
import type { Logger } from './logger.js';
import type { KafkaSecurity } from './security.js';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  connectionTimeoutMs?: number;
  /** SASL and TLS (kafkaSecurity() builds them from the environment). */
  security?: Pick<KafkaSecurity, 'sasl' | 'ssl'>;
  /**
   * Retries of the client's own operations (connect, metadata). A producer that must not
   * lose what it was given retries on top of this (see the SDK's kafkaStepSink).
   */
  retry?: RetryOptions;
}

/** A kafkajs client whose own logs go through our pino logger (never kafkajs' stdout logger). */
export function createKafka(options: KafkaClientOptions): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: 30_000,
    retry: options.retry ?? { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
    ...(options.security?.sasl ? { sasl: options.security.sasl } : {}),
    ...(options.security?.ssl ? { ssl: options.security.ssl } : {}),
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      log[levels[entry.level] ?? 'info']({ event: 'kafkajs', namespace: entry.namespace, ...rest }, message);
    },
  });
}
