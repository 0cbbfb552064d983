import { AvroSerde, createKafka, createLogger, PraxisProducer, type Logger } from '@praxis/kafka';
import { praxisTopics } from '@praxis/schemas';
import type { StepSink } from './recorder.js';

export interface KafkaStepSinkOptions {
  brokers: string[];
  registryUrl: string;
  /** Topic prefix (PRAXIS_TOPIC_PREFIX of the deployment). */
  topicPrefix?: string;
  clientId?: string;
  logger?: Logger;
}

/**
 * Writes steps to praxis.steps.v1 through the shared producer: validated, Avro through the
 * registry, idempotent, acks=all. A send waits out a broker outage (the producer retries),
 * which is what lets the recorder's bounded buffer absorb it.
 */
export function kafkaStepSink(options: KafkaStepSinkOptions): StepSink {
  const logger = options.logger ?? createLogger('praxis-sdk', 'warn');
  const kafka = createKafka({ brokers: options.brokers, clientId: options.clientId ?? 'praxis-sdk', logger });
  const producer = new PraxisProducer({ kafka, serde: AvroSerde.forUrl(options.registryUrl), logger, service: 'sdk-recorder', lingerMs: 0 });
  const spec = praxisTopics(options.topicPrefix ?? '').steps;
  let connected: Promise<void> | null = null;
  return {
    async send(steps) {
      connected ??= producer.connect().catch((error: unknown) => {
        connected = null;
        throw error;
      });
      await connected;
      await producer.send(steps.map((value) => ({ spec, value })));
    },
    async close() {
      if (connected) await producer.disconnect();
    },
  };
}
