import { praxisTopics, type PraxisTopics } from '@praxis/schemas';
import type { Kafka } from 'kafkajs';
import { createKafka } from './kafka.js';
import { createLogger, type Logger } from './logger.js';
import { PraxisProducer } from './producer.js';
import { kafkaSecurity, type KafkaSecuritySettings } from './security.js';
import { AvroSerde } from './serde.js';
import { tracesEndpoint } from './config.js';
import { startTracing, type Tracing } from './tracing.js';

/** What every Kafka service is given: the parsed common settings (security ones optional). */
export interface KafkaSettings extends KafkaSecuritySettings {
  KAFKA_BROKERS: string[];
  SCHEMA_REGISTRY_URL: string;
  PRAXIS_TOPIC_PREFIX: string;
  LOG_LEVEL: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** Bound of the stalled-loop check of the service's consumer (ConsumerRunnerOptions.stallAfterMs). */
  CONSUMER_STALL_AFTER_MS?: number;
  /** ConsumerRunnerOptions.partitionsInFlight of a consumer whose state is per partition. */
  CONSUMER_PARTITIONS_IN_FLIGHT?: number;
}

/** The shared parts of a service, built once in main.ts and passed down. */
export interface Runtime {
  service: string;
  logger: Logger;
  kafka: Kafka;
  serde: AvroSerde;
  producer: PraxisProducer;
  topics: PraxisTopics;
  /** This process's tracing (shared by the services it runs); flush it at shutdown. */
  tracing: Tracing;
  /** Bound of the stalled-loop check, for the service's ConsumerRunner (undefined: its default). */
  stallAfterMs?: number;
  /** Partitions in flight, for a ConsumerRunner whose handler keeps its state per partition (undefined: 1). */
  partitionsInFlight?: number;
}

/** Builds and connects the runtime of one service. */
export async function createRuntime(service: string, settings: KafkaSettings, logger = createLogger(service, settings.LOG_LEVEL)): Promise<Runtime> {
  const tracing = startTracing({ service: `praxis-${service}`, endpoint: tracesEndpoint(settings) });
  const security = kafkaSecurity(settings);
  const kafka = createKafka({ brokers: settings.KAFKA_BROKERS, clientId: `praxis-${service}`, logger, security });
  const serde = AvroSerde.forUrl(settings.SCHEMA_REGISTRY_URL, security.registryAuth);
  const producer = new PraxisProducer({ kafka, serde, logger, service });
  await producer.connect();
  return { service, logger, kafka, serde, producer, topics: praxisTopics(settings.PRAXIS_TOPIC_PREFIX), tracing, stallAfterMs: settings.CONSUMER_STALL_AFTER_MS, partitionsInFlight: settings.CONSUMER_PARTITIONS_IN_FLIGHT };
}
