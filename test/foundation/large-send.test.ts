// One send above the broker's message.max.bytes (1 MiB by default) for one partition: a burst of
// outputs, such as a backlog's, keyed to a tenant's partition. The broker refuses such a record
// batch whole, every time, so a producer that put it in one request would fail the send forever
// and hold back the state behind it. The producer cuts it into requests under its bound
// (request-split.ts, partsOf), in order, and acknowledges the send when the last one is.
import type { Runtime } from '@praxis/kafka';
import { makeAgentStep } from '@praxis/schemas/factories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, testRuntime, uniquePrefix } from '../support/stack.js';

const STEPS = 400;
const RESULT = JSON.stringify({ text: 'x'.repeat(6_000) }); // about 2.4 MB for the whole send

describe('a send above the broker message size for one partition', () => {
  let rt: Runtime;
  const prefix = uniquePrefix('largesend');

  beforeAll(async () => {
    rt = await testRuntime('large-send-test', prefix);
    await createTopics(rt.kafka, [rt.topics.steps], 1);
  });

  afterAll(async () => {
    await rt?.producer.disconnect();
  });

  it('is acknowledged, with every record written once and in order', async () => {
    const values = Array.from({ length: STEPS }, (_, i) => makeAgentStep({ eventId: `big-${i}`, sessionId: 's-1', seq: i, timestampMs: Date.UTC(2026, 10, 1) + i, resultJson: RESULT }));
    await rt.producer.send(values.map((value) => ({ spec: rt.topics.steps, value })));
    const admin = rt.kafka.admin();
    await admin.connect();
    try {
      const [p] = await admin.fetchTopicOffsets(rt.topics.steps.name);
      expect(Number(p!.high)).toBe(STEPS);
    } finally {
      await admin.disconnect();
    }
    const consumer = rt.kafka.consumer({ groupId: `${prefix}reader` });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: rt.topics.steps.name, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          const step = (await rt.serde.decode(rt.topics.steps, message.value!)) as { eventId: string };
          seen.push(step.eventId);
          if (seen.length === STEPS) resolve();
        },
      });
    });
    await done;
    await consumer.disconnect();
    expect(seen).toEqual(values.map((v) => v.eventId));
  });
});
