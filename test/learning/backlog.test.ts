// A backlog of trajectories (here: 30 written in one request to a caught-up inducer) is
// planned once, at the chunk that reaches its end: the chunks before it only apply, and their
// commit is held at the first record not yet written to the stores. The agent is induced once,
// not once per chunk, and the group commits the whole input once it is written.
import { DEFAULT_INDUCER_POLICY, startInducer, type InducerHandle } from '@praxis/inducer';
import type { Runtime } from '@praxis/kafka';
import type { Template } from '@praxis/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderStatusTask, trajectoriesOf } from '../../services/inducer/src/test-tasks.js';
import { createTopics, eventually, testRuntime, uniquePrefix } from '../support/stack.js';
import { groupPositions, produceInOrder, readAll } from './support.js';

describe('an inducer that starts behind a backlog', () => {
  const prefix = uniquePrefix('backlog');
  const groupId = `${prefix}inducer`;
  const count = 30;
  let rt: Runtime;
  let inducerRt: Runtime;
  let inducer: InducerHandle;

  beforeAll(async () => {
    rt = await testRuntime('backlog-test', prefix);
    await createTopics(rt.kafka, Object.values(rt.topics), 1);
    inducerRt = await testRuntime('inducer', prefix);
    // chunks of 4 records: 8 handler calls for the backlog; no tick (it would plan too)
    inducer = await startInducer({ runtime: inducerRt, groupId, policy: DEFAULT_INDUCER_POLICY, sessionTimeoutMs: 10_000, tickMs: 600_000, maxBatchSize: 4 });
    // a replay at start-up is planned once anyway (nothing is planned before a task caught up)
    expect(await eventually(() => inducer.caughtUp(), 30_000)).toBe(true);
    // one produce request: the broker holds all of them when the inducer fetches the first
    await produceInOrder(rt, rt.topics.trajectories, trajectoriesOf(Array.from({ length: count }, (_, i) => orderStatusTask(i))));
  }, 60_000);

  afterAll(async () => {
    await inducer?.stop();
    await inducerRt?.producer.disconnect();
    await rt?.producer.disconnect();
  });

  it('publishes one version of the template and commits the whole backlog', async () => {
    expect(await eventually(() => (inducer.appliedOffsets().get(0) ?? -1) >= count - 1 && inducer.unacknowledged() === 0, 40_000)).toBe(true);
    const templates = await readAll<Template>(rt, rt.topics.templates);
    const versions = templates.filter((r) => r.value !== null).map((r) => [r.value!.signature.join('>'), r.value!.version, r.value!.status]);
    expect(versions).toEqual([['get_order>get_tracking>send_email', 1, 'ACTIVE']]);
    // one induction pass for the agent, not one per chunk (8)
    expect(inducer.plans()).toBe(1);
    const admin = rt.kafka.admin();
    await admin.connect();
    try {
      const committed = async () => (await groupPositions(admin, groupId, [rt.topics.trajectories.name]))[0]?.committed;
      await eventually(async () => (await committed()) === count, 20_000);
      expect(await committed()).toBe(count);
    } finally {
      await admin.disconnect();
    }
  }, 90_000);
});
