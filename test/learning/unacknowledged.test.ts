// Output before state against the real broker: the templates topic is gone while the inducer
// learns (deleted by an operator), so its template send fails after the producer's bounded
// retries. Once the topic exists again, the template appears with no new input: the tick
// re-plans from the state, and the version is 1 because nothing became state before the
// broker acknowledged it.
import { DEFAULT_INDUCER_POLICY, startInducer, type InducerHandle } from '@praxis/inducer';
import { PraxisProducer, type Runtime } from '@praxis/kafka';
import type { Template } from '@praxis/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderStatusTask, trajectoriesOf } from '../../services/inducer/src/test-tasks.js';
import { createTopics, testRuntime, uniquePrefix } from '../support/stack.js';
import { liveTemplates, produceInOrder } from './support.js';

const until = async (probe: () => Promise<boolean> | boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
};

describe('a template send that fails', () => {
  const prefix = uniquePrefix('unacked');
  let rt: Runtime;
  let inducerRt: Runtime;
  let inducer: InducerHandle;

  const topicExists = async (exists: boolean) => {
    const admin = rt.kafka.admin();
    await admin.connect();
    try {
      if (!exists) await admin.deleteTopics({ topics: [rt.topics.templates.name] });
      return await until(async () => (await admin.listTopics()).includes(rt.topics.templates.name) === exists, 20_000);
    } finally {
      await admin.disconnect();
    }
  };

  beforeAll(async () => {
    rt = await testRuntime('unacked-test', prefix);
    await createTopics(rt.kafka, Object.values(rt.topics), 1);
    const base = await testRuntime('inducer', prefix);
    await base.producer.disconnect();
    // a producer that gives up after two retries, so the send fails instead of waiting
    const producer = new PraxisProducer({ kafka: base.kafka, serde: base.serde, logger: base.logger, service: 'inducer', retries: 2 });
    await producer.connect();
    inducerRt = { ...base, producer };
    inducer = await startInducer({ runtime: inducerRt, groupId: `${prefix}inducer`, policy: DEFAULT_INDUCER_POLICY, sessionTimeoutMs: 10_000, tickMs: 200 });
    // the topic goes while the inducer learns, not while it still restores from it (on a busy
    // machine the takeover could meet the deletion, give up and leave the group: a flaky test)
    expect(await until(() => inducer.caughtUp(), 30_000)).toBe(true);
    expect(await topicExists(false)).toBe(true);
    await produceInOrder(rt, rt.topics.trajectories, trajectoriesOf(Array.from({ length: 9 }, (_, i) => orderStatusTask(i))));
  }, 60_000);

  afterAll(async () => {
    await inducer?.stop();
    await inducerRt?.producer.disconnect();
    await rt?.producer.disconnect();
  });

  it('is published later with version 1 and no new input', async () => {
    expect(await until(() => (inducer.appliedOffsets().get(0) ?? -1) >= 8, 30_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 3_000)); // sends fail meanwhile
    expect(inducer.unacknowledged()).toBeGreaterThan(0);
    expect(inducer.inducer.published.size).toBe(0);

    await createTopics(rt.kafka, [rt.topics.templates], 1);
    expect(await until(() => inducer.unacknowledged() === 0, 40_000)).toBe(true);
    const live = [...(await liveTemplates(rt)).values()] as Template[];
    expect(live.map((t) => [t.signature.join('>'), t.version, t.status])).toEqual([['get_order>get_tracking>send_email', 1, 'ACTIVE']]);
    expect(inducer.inducer.published.get(live[0]!.templateId)).toMatchObject({ version: 1, deleted: false });
  }, 90_000);
});
