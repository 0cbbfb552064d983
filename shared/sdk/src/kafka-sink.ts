import { AvroSerde, createKafka, createLogger, InvalidOutputError, PraxisProducer, stderrDestination, type KafkaSecurity, type Logger, type RetryOptions } from '@praxis/kafka';
import { praxisTopics } from '@praxis/schemas';
import type { StepSink } from './recorder.js';
import { TaskTraces } from './task-traces.js';

export interface KafkaStepSinkOptions {
  brokers: string[];
  registryUrl: string;
  /** Topic prefix (PRAXIS_TOPIC_PREFIX of the deployment). */
  topicPrefix?: string;
  clientId?: string;
  /** The agent's logger; the Kafka client logs through it. Default: warnings and errors to stderr, never stdout. */
  logger?: Logger;
  /** SASL, TLS and registry basic auth (kafkaSecurity() builds them from the environment). */
  security?: KafkaSecurity;
  /** Retries of the Kafka client's own operations; the sink retries a send on top, without limit. */
  retry?: RetryOptions;
  /** Longest wait between two attempts of a send during an outage. */
  maxBackoffMs?: number;
}

/** Thrown by a send that was still waiting out an outage when the sink was closed. */
export class SinkClosedError extends Error {
  override name = 'SinkClosedError';
}

/**
 * Writes steps to praxis.steps.v1 through the shared producer: validated, Avro through the
 * registry, idempotent, acks=all. A send waits out a broker outage of any length: kafkajs
 * gives up after its own retries (about 45 s), so the sink tries the same batch again, with
 * backoff, until it is acknowledged or the sink is closed. Only a record that can never be
 * written (InvalidOutputError) fails a send. This is what lets the recorder's bounded
 * buffer absorb an outage without losing what it accepted.
 */
export function kafkaStepSink(options: KafkaStepSinkOptions): StepSink {
  const logger = options.logger ?? createLogger('praxis-sdk', 'warn', stderrDestination());
  const kafka = createKafka({ brokers: options.brokers, clientId: options.clientId ?? 'praxis-sdk', logger, security: options.security, retry: options.retry });
  const producer = new PraxisProducer({ kafka, serde: AvroSerde.forUrl(options.registryUrl, options.security?.registryAuth), logger, service: 'sdk-recorder', lingerMs: 0 });
  const spec = praxisTopics(options.topicPrefix ?? '').steps;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  const traces = new TaskTraces();
  let connected: Promise<void> | null = null;
  let closed = false;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  return {
    async send(steps) {
      const headers = traces.headersFor(steps);
      for (let attempt = 0; ; attempt++) {
        if (closed) throw new SinkClosedError(`the sink was closed before Kafka acknowledged ${steps.length} step(s)`);
        try {
          connected ??= producer.connect();
          await connected;
          await producer.send(steps.map((value, i) => ({ spec, value, headers: headers[i] })));
          if (attempt > 0) logger.info({ event: 'sdk_send_recovered', attempts: attempt + 1, steps: steps.length }, 'Kafka acknowledged the steps after an outage');
          return;
        } catch (error) {
          if (error instanceof InvalidOutputError) throw error;
          connected = null;
          const backoffMs = Math.min(maxBackoffMs, 200 * 2 ** Math.min(attempt, 10));
          logger.warn({ event: 'sdk_send_retry', attempt: attempt + 1, backoffMs, steps: steps.length, err: error }, 'could not write steps to Kafka; retrying the same batch');
          await pause(backoffMs);
        }
      }
    },
    async close() {
      closed = true;
      traces.close();
      wake?.();
      await producer.disconnect().catch(() => undefined);
    },
  };
}
