import { ConfigError, createKafka, createLogger, kafkaSecurity, kafkaSecurityEnvShape, parseConfig, type KafkaSecurity } from '@praxis/kafka';
import type { Kafka } from 'kafkajs';
import { z } from 'zod';
import { UsageError, type CommandIO } from '../command.js';

/** Usage text of the transport variables every Kafka command reads. */
export const KAFKA_SECURITY_USAGE = 'KAFKA_SASL_*, KAFKA_TLS*, SCHEMA_REGISTRY_USERNAME/_PASSWORD (docs/security.md)';

/**
 * Parses a command's Kafka variables with the services' transport settings (SASL, TLS,
 * registry credentials) and makes the client. A bad or inconsistent setting is a usage
 * error naming the variables, raised before any connection is tried.
 */
export function kafkaFromEnv<S extends z.ZodRawShape>(clientId: string, io: CommandIO, shape: S): { config: z.output<z.ZodObject<S & typeof kafkaSecurityEnvShape>>; kafka: Kafka; security: KafkaSecurity } {
  let config: z.output<z.ZodObject<S & typeof kafkaSecurityEnvShape>>;
  let security: KafkaSecurity;
  try {
    config = parseConfig(z.object({ ...shape, ...kafkaSecurityEnvShape }), io.env) as typeof config;
    security = kafkaSecurity(config as z.output<z.ZodObject<typeof kafkaSecurityEnvShape>>);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const brokers = (config as unknown as { KAFKA_BROKERS: string[] }).KAFKA_BROKERS;
  return { config, kafka: createKafka({ brokers, clientId, logger: createLogger(clientId, 'error'), security }), security };
}
