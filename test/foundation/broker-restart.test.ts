// Stopping and starting the broker in the middle of a run loses nothing: every event the
// producer had acknowledged reaches the consumer group, which recovers by itself.
import { ConsumerRunner, createKafka, perRecord, PraxisProducer, type Runtime } from '@praxis/kafka';
import { makeAgentStep } from '@praxis/schemas/factories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DedicatedKafka } from '../support/dedicated-kafka.js';
import { createTopics, eventually, quietLogger, testRuntime, uniquePrefix } from '../support/stack.js';

const TOTAL = 3_000;
const CHUNK = 100;

describe('broker restart mid-run', () => {
  let broker: DedicatedKafka;
  let rt: Runtime;
  let runner: ConsumerRunner;
  // The producing client's own retries (connect, metadata) run out within the outage, as they
  // do under load or in a longer outage: kafkajs then gives up on the send, and PraxisProducer
  // must send the batch again (isOutage) rather than fail it.
  let producer: PraxisProducer;
  const prefix = uniquePrefix('restart');
  const seen = new Map<string, number>();
  const acked = new Set<string>();

  beforeAll(async () => {
    broker = await DedicatedKafka.start();
    rt = await testRuntime('restart-test', prefix, broker.brokers);
    await createTopics(rt.kafka, [rt.topics.steps], 3);
    const impatient = createKafka({ brokers: broker.brokers, clientId: 'restart-producer', logger: quietLogger('restart-producer'), retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 } });
    producer = new PraxisProducer({ kafka: impatient, serde: rt.serde, logger: rt.logger, service: 'restart-test' });
    await producer.connect();
    runner = new ConsumerRunner({
      kafka: rt.kafka,
      serde: rt.serde,
      producer: rt.producer,
      logger: rt.logger,
      service: 'restart-test',
      groupId: `${prefix}group`,
      topics: [rt.topics.steps],
      sessionTimeoutMs: 10_000,
      handler: perRecord((record) => {
        const id = (record.value as { eventId: string }).eventId;
        seen.set(id, (seen.get(id) ?? 0) + 1);
        return {};
      }),
    });
    await runner.start();
  });

  afterAll(async () => {
    await runner?.stop();
    await producer?.disconnect();
    await rt?.producer.disconnect();
    await broker?.destroy();
  });

  it('loses no acknowledged event when the broker stops and starts during production', async () => {
    let restarted = false;
    const producing = (async () => {
      for (let i = 0; i < TOTAL; i += CHUNK) {
        const values = Array.from({ length: CHUNK }, (_, j) =>
          makeAgentStep({ eventId: `r-${i + j}`, sessionId: `s-${(i + j) % 13}`, seq: i + j, timestampMs: Date.UTC(2026, 10, 1) + i + j }),
        );
        // send() waits out the outage (the producer retries), so every chunk is acknowledged in the end
        await producer.send(values.map((value) => ({ spec: rt.topics.steps, value })));
        values.forEach((v) => acked.add(v.eventId!));
        await new Promise((r) => setTimeout(r, 25));
      }
    })();

    await eventually(() => acked.size >= TOTAL / 3 && seen.size > 0, 60_000, 10);
    const ackedAtStop = acked.size;
    await broker.stop();
    await new Promise((r) => setTimeout(r, 3_000));
    await broker.startAgain();
    restarted = true;
    await producing;

    expect(restarted).toBe(true);
    expect(ackedAtStop).toBeLessThan(TOTAL); // the outage hit the middle of production
    expect(acked.size).toBe(TOTAL);
    await eventually(() => seen.size >= TOTAL, 120_000, 100);
    const missing = [...acked].filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
    // at-least-once: a batch whose commit failed during the outage may be read again, never lost
    expect(seen.size).toBe(TOTAL);
  });
});
