import type { PraxisProducer } from '@praxis/kafka';
import type { PraxisTopics } from '@praxis/schemas';
import type { StepSink } from './ingest.js';
import type { RouterSink } from './router-core.js';

/** Writes through the shared producer: validated, acknowledged by all replicas before it resolves. */
export function kafkaSink(producer: PraxisProducer, topics: PraxisTopics): RouterSink & StepSink {
  return {
    writeSteps: (steps) => producer.send(steps.map((value) => ({ spec: topics.steps, value }))),
    writeTemplates: (records) => producer.send(records.map((r) => ({ spec: topics.templates, key: r.key, value: r.value }))),
    writeFeedback: (records) => producer.send(records.map((value) => ({ spec: topics.feedback, value }))),
  };
}
