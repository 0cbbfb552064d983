// 10,000 AgentStep events through real Kafka and the registry: a consumer group reads every
// one exactly once, across a consumer restart in the middle; a second group does too.
import { ConsumerRunner, perRecord, type Runtime } from '@praxis/kafka';
import { makeAgentStep } from '@praxis/schemas/factories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, eventually, testRuntime, uniquePrefix } from '../support/stack.js';

const TOTAL = 10_000;

describe('exactly once per consumer group', () => {
  let rt: Runtime;
  const prefix = uniquePrefix('eo');

  beforeAll(async () => {
    rt = await testRuntime('eo-test', prefix);
    await createTopics(rt.kafka, [rt.topics.steps], 4);
    const steps = Array.from({ length: TOTAL }, (_, i) =>
      makeAgentStep({ eventId: `e-${i}`, sessionId: `s-${i % 97}`, seq: Math.floor(i / 97), timestampMs: Date.UTC(2026, 10, 1) + i }),
    );
    for (let i = 0; i < steps.length; i += 1000) {
      await rt.producer.send(steps.slice(i, i + 1000).map((value) => ({ spec: rt.topics.steps, value })));
    }
  });

  afterAll(async () => {
    await rt?.producer.disconnect();
  });

  const member = (groupId: string, seen: Map<string, number>) =>
    new ConsumerRunner({
      kafka: rt.kafka,
      serde: rt.serde,
      producer: rt.producer,
      logger: rt.logger,
      service: 'eo-test',
      groupId,
      topics: [rt.topics.steps],
      maxBatchSize: 250,
      handler: perRecord((record) => {
        const id = (record.value as { eventId: string }).eventId;
        seen.set(id, (seen.get(id) ?? 0) + 1);
        return {};
      }),
    });

  it('reads all 10,000 once, across a restart of the consumer half-way', async () => {
    const seen = new Map<string, number>();
    const first = member(`${prefix}group-a`, seen);
    await first.start();
    await eventually(() => seen.size >= TOTAL / 2, 60_000, 20);
    await first.stop();
    const atRestart = seen.size;
    expect(atRestart).toBeGreaterThan(0);
    expect(atRestart).toBeLessThan(TOTAL);

    const second = member(`${prefix}group-a`, seen);
    await second.start();
    await eventually(() => seen.size >= TOTAL, 90_000);
    await new Promise((r) => setTimeout(r, 1_000)); // anything extra would arrive now
    await second.stop();

    expect(seen.size).toBe(TOTAL);
    const repeats = [...seen.entries()].filter(([, n]) => n !== 1);
    expect(repeats).toEqual([]);
  });

  it('a second group reads the same 10,000 once, independently', async () => {
    const seen = new Map<string, number>();
    const runner = member(`${prefix}group-b`, seen);
    await runner.start();
    await eventually(() => seen.size >= TOTAL, 90_000);
    await new Promise((r) => setTimeout(r, 1_000));
    await runner.stop();
    expect(seen.size).toBe(TOTAL);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });
});
