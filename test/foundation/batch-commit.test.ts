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

/** The partition each record was read from (all 0 on the one-partition topic). */
const partitionOfEvent = new Map<string, number>();

describe('commits per fetched batch', () => {
  let rt: Runtime;
  let spread: Runtime;
  const prefix = uniquePrefix('batchcommit');

  beforeAll(async () => {
    rt = await testRuntime('batch-commit-test', prefix);
    await createTopics(rt.kafka, [rt.topics.steps], 1);
    await rt.producer.send(expected.map((eventId, i) => ({ spec: rt.topics.steps, value: makeAgentStep({ eventId, sessionId: 's-1', seq: i, timestampMs: Date.UTC(2026, 10, 1) + i }) })));
    // the same records over 3 partitions (7 sessions), for several partitions in flight
    spread = await testRuntime('batch-commit-test', `${prefix}spread.`);
    await createTopics(spread.kafka, [spread.topics.steps], 3);
    await spread.producer.send(expected.map((eventId, i) => ({ spec: spread.topics.steps, value: makeAgentStep({ eventId, sessionId: `s-${i % 7}`, seq: i, timestampMs: Date.UTC(2026, 10, 1) + i }) })));
  });

  afterAll(async () => {
    await spread?.producer.disconnect();
    await rt?.producer.disconnect();
  });

  /** The group's committed offsets summed over the partitions. */
  const committed = async (groupId: string, on = rt) => {
    const admin = on.kafka.admin();
    await admin.connect();
    try {
      const [t] = await admin.fetchOffsets({ groupId, topics: [on.topics.steps.name] });
      return t!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    } finally {
      await admin.disconnect();
    }
  };

  /** A member whose state (`applied`) is forgotten on revocation; each record gives one output. */
  const member = (groupId: string, producer: PraxisProducer, state: { applied: string[]; calls: number }, on = rt, partitionsInFlight = 1) =>
    new ConsumerRunner({
      kafka: on.kafka,
      serde: on.serde,
      producer,
      logger: on.logger,
      service: 'batch-commit-test',
      groupId,
      topics: [on.topics.steps],
      maxBatchSize: CHUNK,
      partitionsInFlight,
      commitAfterMs: 60_000,
      replayOnFailedSend: true,
      // forgets the revoked partitions' records (a record's partition is its session's, see below)
      onRevoked: (lost) => {
        const gone = new Set(lost.map((a) => a.partition));
        state.applied.splice(0, state.applied.length, ...state.applied.filter((id) => !gone.has(partitionOfEvent.get(id) ?? 0)));
      },
      handler: async (records, ctx) => {
        state.calls++;
        for (const r of records) partitionOfEvent.set((r.value as { eventId: string }).eventId, ctx.partition);
        for (const r of records) state.applied.push((r.value as { eventId: string }).eventId);
        return { outputs: records.map((r) => ({ spec: on.topics.steps, value: r.value })) };
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

  it('with 3 partitions in flight: a send refused while other partitions are handled is replayed, and every output is written once committed', async () => {
    const groupId = `${prefix}inflight`;
    const { producer, written } = fakeProducer(new Set([2]));
    const state = { applied: [] as string[], calls: 0 };
    const runner = member(groupId, producer, state, spread, 3);
    await runner.start();
    try {
      expect(await eventually(async () => (await committed(groupId, spread)) === RECORDS, 60_000, 200)).toBe(true);
      expect(new Set(written)).toEqual(new Set(expected));
      expect([...state.applied].sort()).toEqual([...expected].sort()); // each record applied once in the state that survived
    } finally {
      await runner.stop();
    }
  });
});
