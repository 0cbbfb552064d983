// Tasks that end with TASK_END reach the templates topic with nothing else to move them: the
// allowed lateness and the idle close are an hour, longer than the test, so no watermark and no
// idle flush can close a task, and no input follows the last step. The segmenter emits each
// task at its TASK_END (complete by seq), and the inducer re-induces when its input goes
// quiet: the templates on the topic are those an offline induction of every trajectory gives.
import { generateTraffic } from '@praxis/fleet';
import { DEFAULT_INDUCER_POLICY, induceTemplates, startInducer, type InducerHandle } from '@praxis/inducer';
import type { Runtime } from '@praxis/kafka';
import type { Template } from '@praxis/schemas';
import { DEFAULT_POLICY, startSegmenter, type SegmenterHandle } from '@praxis/segmenter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, testRuntime, uniquePrefix } from '../support/stack.js';
import { comparable, consumedAll, endOffsets, liveTemplates, produceSteps, settle, trajectoriesById } from './support.js';

const HOUR = 60 * 60_000;

describe('closing at TASK_END through Kafka, with the watermark and the idle close out of reach', () => {
  const prefix = uniquePrefix('taskend');
  const traffic = generateTraffic('task-end-close', { instancesPerWorkflow: 12, sessionsPerAgent: 6, lateRate: 0, tooLateRate: 0, duplicateRate: 0, abandonRate: 0 });
  let rt: Runtime;
  let segmenter: SegmenterHandle;
  let inducer: InducerHandle;
  let settled: [number, number] | null = null;

  beforeAll(async () => {
    rt = await testRuntime('task-end-test', prefix);
    await createTopics(rt.kafka, Object.values(rt.topics));
    // event time now, one ms apart in each session's order: no session pauses for a learning window
    const start = Date.now();
    const events = [...traffic.events].sort((a, b) => a.timestampMs - b.timestampMs || a.seq - b.seq).map((e, i) => ({ ...e, timestampMs: start + i }));
    segmenter = await startSegmenter({ runtime: rt, groupId: `${prefix}segmenter`, policy: { ...DEFAULT_POLICY, allowedLatenessMs: HOUR }, idleMs: HOUR, idleGraceMs: HOUR, sessionTimeoutMs: 10_000 });
    inducer = await startInducer({ runtime: rt, groupId: `${prefix}inducer`, policy: DEFAULT_INDUCER_POLICY, sessionTimeoutMs: 10_000 });
    await produceSteps(rt, events);
    settled = await settle(
      async () => (segmenter.openSessions() === 0 && inducer.unacknowledged() === 0 && (await consumedAll(rt, rt.topics.trajectories.name, inducer.appliedOffsets())) ? [await endOffsets(rt, rt.topics.trajectories.name), await endOffsets(rt, rt.topics.templates.name)] : null),
      { times: 3, timeoutMs: 120_000 },
    );
  }, 180_000);

  afterAll(async () => {
    await segmenter?.stop();
    await inducer?.stop();
    await rt?.producer.disconnect();
  });

  it('closes every task at its TASK_END: no session is left open', async () => {
    expect(settled).not.toBeNull();
    expect(segmenter.openSessions()).toBe(0);
    const { byId } = await trajectoriesById(rt, rt.topics.trajectories);
    expect(byId.size).toBe(traffic.tasks.length);
    expect(new Set([...byId.values()].map((t) => t.closeReason))).toEqual(new Set(['TASK_END']));
  });

  it('publishes, without later input, the templates an offline induction of every trajectory gives', async () => {
    const { byId } = await trajectoriesById(rt, rt.topics.trajectories);
    const expected = induceTemplates([...byId.values()].sort((a, b) => a.endedAtMs - b.endedAtMs || (a.trajectoryId < b.trajectoryId ? -1 : 1)), () => DEFAULT_INDUCER_POLICY);
    expect(expected.some((t) => t.status === 'ACTIVE')).toBe(true);
    const live = [...(await liveTemplates(rt)).values()].sort((a, b) => (a.templateId < b.templateId ? -1 : 1));
    // through the topic's schema, as the topic's records were: fields the processor leaves out come back with their defaults
    const roundTrip = await Promise.all(expected.map(async (t) => (await rt.serde.decode(rt.topics.templates, await rt.serde.encode(rt.topics.templates, t))) as Template));
    expect(live.map(comparable)).toEqual(roundTrip.map(comparable));
  });
});
