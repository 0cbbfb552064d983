import type { PraxisProducer } from '@praxis/kafka';
import type { PraxisTopics } from '@praxis/schemas';
import type { RouterSink } from './router-core.js';

/** Writes through the shared producer: validated, acknowledged by all replicas before it resolves. */
export function kafkaSink(producer: PraxisProducer, topics: PraxisTopics): RouterSink {
  return {
    writeTemplates: (records) => producer.send(records.map((r) => ({ spec: topics.templates, key: r.key, value: r.value }))),
    writeFeedback: (records) => producer.send(records.map((value) => ({ spec: topics.feedback, value }))),
  };
}
