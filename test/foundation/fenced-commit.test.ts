// Commits refused because the group moved on while a batch was handled, after its outputs were
// written. Two ways, both met by a 3-member inducer group in a CI run (it was left behind by 32
// records for good):
// - a rebalance (REBALANCE_IN_PROGRESS) and the member keeps the partition: kafkajs fetches the
//   records again from the older commit, the runner skips them as applied, and must still
//   commit them, or the group's offset stays behind once no newer record arrives;
// - the member was fenced (its session expired): kafkajs wraps the refusal, so it crashed the
//   consumer for good instead of rejoining, and the partition, once rejoined, may have had
//   another owner meanwhile, so it is taken over afresh.
import { ConsumerRunner, createKafka, type BatchHandler, type Runtime } from '@praxis/kafka';
import { makeAgentStep } from '@praxis/schemas/factories';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, eventually, quietLogger, stack, testRuntime, uniquePrefix } from '../support/stack.js';

const RECORDS = 5;
const expected = Array.from({ length: RECORDS }, (_, i) => `e-${i}`);

describe('a commit refused because the group moved on', () => {
  let rt: Runtime;
  const prefix = uniquePrefix('fenced');

  beforeAll(async () => {
    rt = await testRuntime('fenced-test', prefix);
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

  /** A member whose first handler call waits `holdMs` (no heartbeat meanwhile); `applied` is its state, forgotten on revocation. */
  const member = (kafka: Kafka, groupId: string, holdMs: number, seen: { calls: number; applied: string[]; revoked: number }) =>
    new ConsumerRunner({
      kafka,
      serde: rt.serde,
      producer: rt.producer,
      logger: rt.logger,
      service: 'fenced-test',
      groupId,
      topics: [rt.topics.steps],
      sessionTimeoutMs: 6_000,
      coPartitioned: true,
      onRevoked: () => {
        seen.revoked++;
        seen.applied.length = 0;
      },
      handler: (async (records) => {
        if (seen.calls++ === 0) await new Promise((r) => setTimeout(r, holdMs));
        for (const r of records) seen.applied.push((r.value as { eventId: string }).eventId);
        return {};
      }) satisfies BatchHandler,
    });

  it('by a rebalance the member outlives: the records it applied are committed without being handed over again', async () => {
    const groupId = `${prefix}kept`;
    const a = { calls: 0, applied: [] as string[], revoked: 0 };
    const b = { calls: 0, applied: [] as string[], revoked: 0 };
    const first = member(rt.kafka, groupId, 3_000, a); // well inside the 6 s session; client id praxis-fenced-test…
    // …sorts before zzz-…: the co-partitioned assignment gives the one task to the first member again
    const joiner = member(createKafka({ brokers: stack().kafkaBrokers, clientId: 'zzz-joiner', logger: quietLogger('joiner') }), groupId, 0, b);
    await first.start();
    await eventually(() => a.calls > 0, 30_000, 50);
    await joiner.start(); // joins while the first member's batch is in its handler
    try {
      const done = await eventually(async () => (await committed(groupId)) === RECORDS, 60_000, 500);
      expect(done, `committed offset ${await committed(groupId)} of ${RECORDS}`).toBe(true);
      expect(a).toEqual({ calls: 1, applied: expected, revoked: 0 });
      expect(b.calls).toBe(0);
    } finally {
      await Promise.all([first.stop(), joiner.stop()]);
    }
  });

  it('by fencing this member while no other owned its partition: it rejoins, keeps its state and makes the owed commit', async () => {
    const groupId = `${prefix}fenced`;
    const a = { calls: 0, applied: [] as string[], revoked: 0 };
    const runner = member(rt.kafka, groupId, 7_500, a); // outlasts the 6 s session
    await runner.start();
    try {
      const done = await eventually(async () => (await committed(groupId)) === RECORDS, 60_000, 500);
      expect(done, `committed offset ${await committed(groupId)} of ${RECORDS}; ${JSON.stringify(a)}; ${JSON.stringify(runner.health())}`).toBe(true);
      expect(runner.health().status).toBe('running'); // rejoined, not crashed for good
      expect(a).toEqual({ calls: 1, applied: expected, revoked: 0 });
    } finally {
      await runner.stop();
    }
  });

  it('by fencing this member while another took its partition over: it forgets that state on rejoining', async () => {
    const groupId = `${prefix}taken`;
    const a = { calls: 0, applied: [] as string[], revoked: 0 };
    const b = { calls: 0, applied: [] as string[], revoked: 0 };
    const first = member(rt.kafka, groupId, 7_500, a);
    const joiner = member(createKafka({ brokers: stack().kafkaBrokers, clientId: 'zzz-joiner', logger: quietLogger('joiner') }), groupId, 0, b);
    await first.start();
    await eventually(() => a.calls > 0, 30_000, 50);
    await joiner.start(); // owns the partition while the first member is out, and commits it
    try {
      const done = await eventually(async () => (await committed(groupId)) === RECORDS && b.revoked > 0 && a.revoked > 0, 60_000, 500);
      expect(done, `committed offset ${await committed(groupId)} of ${RECORDS}; first ${JSON.stringify(a)}; joiner ${JSON.stringify(b)}`).toBe(true);
      expect(b.applied.length === 0 && a.applied.length === 0).toBe(true); // the task went back to the first member, which forgot what it had applied
      expect(a.calls).toBe(1); // and it had nothing left to read: the joiner committed all
      expect(b.calls).toBeGreaterThan(0);
    } finally {
      await Promise.all([first.stop(), joiner.stop()]);
    }
  });
});
