// Produces a generated dataset to the Praxis topics, as the SDK, segmenter, inducer and
// router would: tombstones as null values on the templates topic.
import type { OutputRecord, Runtime } from '@praxis/kafka';
import type { AnalyticsDataset } from './analytics-data.js';

/** Every record of the dataset as producer input, steps first (the order within a topic is kept). */
export function datasetRecords(rt: Pick<Runtime, 'topics'>, data: AnalyticsDataset): OutputRecord[] {
  return [
    ...data.steps.map((value) => ({ spec: rt.topics.steps, value })),
    ...data.trajectories.map((value) => ({ spec: rt.topics.trajectories, value })),
    ...data.templates.map((e) => (e.kind === 'version' ? { spec: rt.topics.templates, value: e.template } : { spec: rt.topics.templates, value: null, key: e.templateId })),
    ...data.feedback.map((value) => ({ spec: rt.topics.feedback, value })),
  ];
}

/** Produces the records in chunks (each acknowledged before the next), optionally pausing between them. */
export async function produceAll(rt: Pick<Runtime, 'producer'>, records: OutputRecord[], options: { chunk?: number; pauseMs?: number; onChunk?: (sent: number) => Promise<void> | void } = {}): Promise<void> {
  const chunk = options.chunk ?? 500;
  for (let i = 0; i < records.length; i += chunk) {
    await rt.producer.send(records.slice(i, i + chunk));
    await options.onChunk?.(Math.min(records.length, i + chunk));
    if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
  }
}
