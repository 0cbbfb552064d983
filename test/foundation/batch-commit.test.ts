// The runner commits once per fetched batch, not once per chunk handed to the handler, and
// writes a chunk's outputs while it handles the next one. Neither may let an offset move past
// outputs that were not acknowledged: a send that fails in the middle of a batch rewinds the
// partition (replayOnFailedSend), and every record's output is written in the end.
import { ConsumerRunner, type OutputRecord, type PraxisProducer, type RawRecord, type Runtime } from '@praxis/kafka';
import { makeAgentStep } from '@praxis/schemas/factories';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, eventually, testRuntime, uniquePrefix } from '../support/stack.js';

const RECORDS = 60;
const CHUNK = 10;
const expected = Array.from({ length: RECORDS }, (_, i) => `e-${i}`);

/** A producer that acknowledges outputs without writing them, and fails the send of the calls named in `failing` (1-based). */
function fakeProducer(failing: Set<number>) {
  const written: string[] = [];
  let calls = 0;
  const producer = {
    send: async (records: OutputRecord[]) => {
      if (records.length === 0) return;
      const call = ++calls;
      await new Promise((r) => setTimeout(r, 20)); // acknowledged later than the next chunk is handled
      if (failing.has(call)) throw new Error(`send ${call} refused`);
      for (const r of records) written.push((r.value as { eventId: string }).eventId);
    },
    sendRaw: async (_records: RawRecord[]) => undefined,
  } as unknown as PraxisProducer;
  return { producer, written };
}

describe('commits per fetched batch', () => {
  let rt: Runtime;
  const prefix = uniquePrefix('batchcommit');

  beforeAll(async () => {
    rt = await testRuntime('batch-commit-test', prefix);
    await createTopics(rt.kafka, [rt.topics.steps], 1);
    await rt.producer.send(expected.map((eventId, i) => ({ spec: rt.topics.steps, value: makeAgentStep({ eventId, sessionId: 's-1', seq: i, timestampMs: Date.UTC(2026, 10, 1) + i }) })));
  });

  afterAll(async () => {
    await rt?.producer.disconnect();
  });

  const committed = async (groupId: string) => {
    const admin = rt.kafka.admin();
    await admin.connect();
    try {
      const [t] = await admin.fetchOffsets({ groupId, topics: [rt.topics.steps.name] });
      return Number(t!.partitions[0]!.offset);
    } finally {
      await admin.disconnect();
    }
  };

  /** A member whose state (`applied`) is forgotten on revocation; each record gives one output. */
  const member = (groupId: string, producer: PraxisProducer, state: { applied: string[]; calls: number }) =>
    new ConsumerRunner({
      kafka: rt.kafka,
      serde: rt.serde,
      producer,
      logger: rt.logger,
      service: 'batch-commit-test',
      groupId,
      topics: [rt.topics.steps],
      maxBatchSize: CHUNK,
      commitAfterMs: 60_000,
      replayOnFailedSend: true,
      onRevoked: () => {
        state.applied.length = 0;
      },
      handler: async (records) => {
        state.calls++;
        for (const r of records) state.applied.push((r.value as { eventId: string }).eventId);
        return { outputs: records.map((r) => ({ spec: rt.topics.steps, value: r.value })) };
      },
    });

  it('commits fewer times than it hands chunks over, and only acknowledged offsets', async () => {
    const groupId = `${prefix}counted`;
    const { producer, written } = fakeProducer(new Set());
    const state = { applied: [] as string[], calls: 0 };
    const runner = member(groupId, producer, state);
    // kafkajs' own instrumentation events of the runner's consumer: its fetched batches and commits
    const consumer = (runner as unknown as { consumer: Consumer }).consumer;
    let batches = 0;
    // each commit with the outputs acknowledged by then
    const commits: { offset: number; written: number }[] = [];
    consumer.on(consumer.events.START_BATCH_PROCESS, () => void batches++);
    consumer.on(consumer.events.COMMIT_OFFSETS, (e) => {
      for (const t of e.payload.topics) for (const p of t.partitions) commits.push({ offset: Number(p.offset), written: written.length });
    });
    await runner.start();
    try {
      expect(await eventually(async () => (await committed(groupId)) === RECORDS, 60_000, 200)).toBe(true);
      expect(state.calls).toBeGreaterThanOrEqual(RECORDS / CHUNK);
      expect(commits.length).toBeLessThanOrEqual(batches);
      expect(commits.length).toBeLessThan(state.calls);
      expect(written).toEqual(expected);
      expect(commits.filter((c) => c.offset > c.written)).toEqual([]); // no offset past an unacknowledged output
    } finally {
      await runner.stop();
    }
  });

  it('a send that fails after the next chunk was handled: the partition is replayed, and every output is written', async () => {
    const groupId = `${prefix}failed`;
    const { producer, written } = fakeProducer(new Set([2]));
    const state = { applied: [] as string[], calls: 0 };
    const runner = member(groupId, producer, state);
    await runner.start();
    try {
      expect(await eventually(async () => (await committed(groupId)) === RECORDS, 60_000, 200)).toBe(true);
      expect(new Set(written)).toEqual(new Set(expected)); // the refused chunk's outputs were written again
      expect(state.applied).toEqual(expected); // the state was rebuilt from the committed offset, once
      expect(state.calls).toBeGreaterThan(RECORDS / CHUNK); // the rewound chunks were handled again
    } finally {
      await runner.stop();
    }
  });
});
