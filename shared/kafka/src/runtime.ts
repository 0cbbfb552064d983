import { praxisTopics, type PraxisTopics } from '@praxis/schemas';
import type { Kafka } from 'kafkajs';
import { createKafka } from './kafka.js';
import { createLogger, type Logger } from './logger.js';
import { PraxisProducer } from './producer.js';
import { kafkaSecurity, type KafkaSecuritySettings } from './security.js';
import { AvroSerde } from './serde.js';

/** What every Kafka service is given: the parsed common settings (security ones optional). */
export interface KafkaSettings extends KafkaSecuritySettings {
  KAFKA_BROKERS: string[];
  SCHEMA_REGISTRY_URL: string;
  PRAXIS_TOPIC_PREFIX: string;
  LOG_LEVEL: string;
}

/** The shared parts of a service, built once in main.ts and passed down. */
export interface Runtime {
  service: string;
  logger: Logger;
  kafka: Kafka;
  serde: AvroSerde;
  producer: PraxisProducer;
  topics: PraxisTopics;
}

/** Builds and connects the runtime of one service. */
export async function createRuntime(service: string, settings: KafkaSettings, logger = createLogger(service, settings.LOG_LEVEL)): Promise<Runtime> {
  const security = kafkaSecurity(settings);
  const kafka = createKafka({ brokers: settings.KAFKA_BROKERS, clientId: `praxis-${service}`, logger, security });
  const serde = AvroSerde.forUrl(settings.SCHEMA_REGISTRY_URL, security.registryAuth);
  const producer = new PraxisProducer({ kafka, serde, logger, service });
  await producer.connect();
  return { service, logger, kafka, serde, producer, topics: praxisTopics(settings.PRAXIS_TOPIC_PREFIX) };
}
