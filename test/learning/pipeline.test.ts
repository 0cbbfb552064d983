// The learning pipeline through real Kafka and the registry: the fleet's steps go in, the
// segmenter and the inducer run as group members, and the templates that come out recover
// the planted workflows (precision and recall >= 0.95), with their slots and bindings, and
// an avoidance hint for every injected error kind. Late steps beyond the allowed lateness
// are in the DLQ with their reason.
import { evaluateTemplates, generateTraffic, type Evaluation } from '@praxis/fleet';
import { DEFAULT_INDUCER_POLICY, startInducer, type InducerHandle } from '@praxis/inducer';
import { readDlqHeaders, type Runtime } from '@praxis/kafka';
import { DEFAULT_POLICY, startSegmenter, type SegmenterHandle } from '@praxis/segmenter';
import { praxisTopics } from '@praxis/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, readTopic, testRuntime, uniquePrefix } from '../support/stack.js';
import { comparable, consumedAll, endOffsets, liveTemplates, produceSteps, settle, trajectoriesById } from './support.js';

describe('learning pipeline through Kafka', () => {
  const prefix = uniquePrefix('learn');
  const traffic = generateTraffic('pipeline');
  let rt: Runtime;
  let segmenter: SegmenterHandle;
  let inducer: InducerHandle;
  let evaluation: Evaluation;
  let replaySegmenter: SegmenterHandle | undefined;
  let replayInducer: InducerHandle | undefined;
  // The steps go in as one burst (records of a session a few ms apart on the log clock), so an
  // idle time of 4 s splits no session; it is also how long the sessions still open at the end
  // wait for the processing-time fallback, twice per run (10 s made that 24 s of waiting).
  const idle = { idleMs: 4_000, idleGraceMs: 1_000 };

  beforeAll(async () => {
    rt = await testRuntime('learning-test', prefix);
    await createTopics(rt.kafka, Object.values(rt.topics));
    await produceSteps(rt, traffic.events);
    segmenter = await startSegmenter({ runtime: rt, groupId: `${prefix}segmenter`, policy: DEFAULT_POLICY, ...idle, sessionTimeoutMs: 10_000 });
    inducer = await startInducer({ runtime: rt, groupId: `${prefix}inducer`, policy: DEFAULT_INDUCER_POLICY, sessionTimeoutMs: 10_000 });
    await settle(async () => (segmenter.openSessions() === 0 && (await consumedAll(rt, rt.topics.trajectories.name, inducer.appliedOffsets())) ? [await endOffsets(rt, rt.topics.trajectories.name), await endOffsets(rt, rt.topics.templates.name)] : null), { times: 4 });
    evaluation = evaluateTemplates([...(await liveTemplates(rt)).values()]);
  }, 240_000);

  afterAll(async () => {
    await segmenter?.stop();
    await inducer?.stop();
    await replaySegmenter?.stop();
    await replayInducer?.stop();
    await rt?.producer.disconnect();
  });

  it('cuts one trajectory per task', async () => {
    const { byId, conflicts } = await trajectoriesById(rt, rt.topics.trajectories);
    expect(conflicts).toEqual([]);
    expect(byId.size).toBe(traffic.tasks.length);
  });

  it('recovers the planted workflows with precision and recall >= 0.95', () => {
    expect({ missing: evaluation.missing, extra: evaluation.extra }).toEqual({ missing: [], extra: [] });
    expect(evaluation.precision).toBeGreaterThanOrEqual(0.95);
    expect(evaluation.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('learns every parameter as the right constant, slot or binding', () => {
    expect(evaluation.mismatches).toEqual([]);
  });

  it('has an avoidance hint for every injected error kind', () => {
    for (const [kind, h] of Object.entries(evaluation.hints)) expect({ kind, found: h.found }).toEqual({ kind, found: traffic.report.errors[kind as keyof typeof traffic.report.errors] > 0 });
  });

  it('dead-letters the steps that came later than the allowed lateness, with the reason', async () => {
    const count = await endOffsets(rt, rt.topics.steps.dlq);
    expect(count).toBeGreaterThan(0);
    for (const m of await readTopic(rt.kafka, rt.topics.steps.dlq, count)) {
      expect(readDlqHeaders(m.headers).reason).toMatch(/^late_event: /);
      const step = (await rt.serde.decode(rt.topics.steps, m.value!)) as { eventId: string };
      expect(traffic.report.tooLate).toContain(step.eventId);
    }
  });

  describe('replay from offset zero into fresh consumer groups', () => {
    // Fresh groups read the same steps (and feedback) from the start and write to topics of their own.
    const replay = praxisTopics(`${prefix}replay.`);
    let replayRt: Runtime;

    beforeAll(async () => {
      await createTopics(rt.kafka, [replay.trajectories, replay.templates]);
      replayRt = { ...rt, topics: { ...rt.topics, trajectories: replay.trajectories, templates: replay.templates } };
      replaySegmenter = await startSegmenter({ runtime: replayRt, groupId: `${prefix}segmenter-replay`, policy: DEFAULT_POLICY, ...idle, sessionTimeoutMs: 10_000 });
      replayInducer = await startInducer({ runtime: replayRt, groupId: `${prefix}inducer-replay`, policy: DEFAULT_INDUCER_POLICY, sessionTimeoutMs: 10_000 });
      await settle(async () => (replaySegmenter!.openSessions() === 0 && (await consumedAll(rt, replay.trajectories.name, replayInducer!.appliedOffsets())) ? [await endOffsets(rt, replay.trajectories.name), await endOffsets(rt, replay.templates.name)] : null), { times: 4 });
    }, 240_000);

    it('gives identical trajectories', async () => {
      const [first, again] = [await trajectoriesById(rt, rt.topics.trajectories), await trajectoriesById(rt, replay.trajectories)];
      expect(again.conflicts).toEqual([]);
      expect([...again.byId.keys()].sort()).toEqual([...first.byId.keys()].sort());
      for (const [id, t] of again.byId) expect(t).toEqual(first.byId.get(id));
    });

    it('gives identical templates', async () => {
      const [first, again] = [await liveTemplates(rt), await liveTemplates(rt, replay.templates)];
      expect([...again.keys()].sort()).toEqual([...first.keys()].sort());
      for (const [id, t] of again) expect(comparable(t)).toEqual(comparable(first.get(id)!));
    });
  });
});
