// Finding 7: one step dated 2099 from tenant "evil" moved the partition watermark, and the
// next 10 steps of tenant "victim" on that partition were dead-lettered as late. Now a step
// moves the watermark at most to its broker timestamp (the steps topic uses broker time) and
// its own time is clamped to broker time plus the skew, so the victim's steps are segmented.
import { metricValue, type Runtime } from '@praxis/kafka';
import { AgentStepSchema, type AgentStepInput, type Trajectory } from '@praxis/schemas';
import { makeAgentStep } from '@praxis/schemas/factories';
import { clockClampedTotal } from '@praxis/segmenter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, eventually, readTopic, testKafka, testRuntime, uniquePrefix } from '../support/stack.js';
import { startSegmenterMember, type SegmenterMember } from './support.js';

const Y2099 = Date.UTC(2099, 0, 1);
const noTool = { toolName: null, parametersJson: null, resultJson: null };

describe('one tenant\'s clock and the shared watermark', () => {
  const prefix = uniquePrefix('sec-watermark');
  let rt: Runtime;
  let member: SegmenterMember;
  // Honest clocks: a step is dated when it is made, just before it is sent.
  const step = (tenantId: string, seq: number, o: Partial<AgentStepInput> = {}) =>
    AgentStepSchema.parse(makeAgentStep({ tenantId, agentId: 'bot', sessionId: `${tenantId}-s`, eventId: `${tenantId}-${seq}`, seq, timestampMs: Date.now() + seq, ...o }));

  beforeAll(async () => {
    rt = await testRuntime('sec-watermark', prefix);
    // One partition: every tenant shares it, and its watermark.
    await createTopics(rt.kafka, [rt.topics.steps, rt.topics.trajectories], 1);
    // A tight lateness (1 s), so that "late" is decided within the test's own seconds.
    member = await startSegmenterMember(rt, `${prefix}segmenter`, { allowedLatenessMs: 1_000 });
  });

  afterAll(async () => {
    await member?.stop();
    await rt?.producer.disconnect();
  });

  it('dead-letters none of the victim\'s steps after a 2099 step of another tenant, and segments them', async () => {
    const clampedBefore = await metricValue(clockClampedTotal, {});
    await rt.producer.send([{ spec: rt.topics.steps, value: step('evil', 0, { kind: 'QUERY', query: 'x', ...noTool, timestampMs: Y2099 }) }]);
    const victim = [
      step('victim', 0, { kind: 'QUERY', query: 'where is order A-1?', ...noTool }),
      ...Array.from({ length: 8 }, (_, i) => step('victim', i + 1)),
      step('victim', 9, { kind: 'TASK_END', taskOutcome: 'SUCCEEDED', ...noTool }),
    ];
    await rt.producer.send(victim.map((value) => ({ spec: rt.topics.steps, value })));
    // An honest step of a third tenant 1.5 s later: time the broker vouches for makes the victim's task final.
    await new Promise((r) => setTimeout(r, 1_500));
    await rt.producer.send([{ spec: rt.topics.steps, value: step('other', 0) }]);

    await eventually(() => member.segmenter.applied() >= 12, 20_000);
    const [record] = await readTopic(testKafka(), rt.topics.trajectories.name, 1, 15_000);
    const trajectory = (await rt.serde.decode(rt.topics.trajectories, record!.value!)) as Trajectory;
    expect(trajectory).toMatchObject({ tenantId: 'victim', closeReason: 'TASK_END', outcome: 'SUCCEEDED' });
    expect(trajectory.steps).toHaveLength(8);
    const dead = await readTopic(testKafka(), rt.topics.steps.dlq, 1, 2_000);
    expect(dead).toEqual([]);
    expect((await metricValue(clockClampedTotal, {})) - clampedBefore).toBe(1);
  });
});
