// Finding 3: an Avro map whose block count claims 1e9 or 2^50 entries made avsc loop inside
// fromBuffer, freezing the consumer (and its /healthz) again after every restart. Now the
// body is checked against the writer schema before decoding: the record is dead-lettered,
// the member answers /healthz throughout, and the steps after it reach the segmenter.
import { dlqTotal, encodeWire, metricValue, readDlqHeaders, type Runtime } from '@praxis/kafka';
import { agentStepKey, AgentStepSchema } from '@praxis/schemas';
import { makeAgentStep } from '@praxis/schemas/factories';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, eventually, readTopic, testKafka, testRuntime, uniquePrefix } from '../support/stack.js';
import { healthProber, mapCountStep, startSegmenterMember, type SegmenterMember } from './support.js';

describe('poison Avro block counts', () => {
  const prefix = uniquePrefix('sec-poison');
  let rt: Runtime;
  let member: SegmenterMember;
  const T = Date.now() - 60_000;
  const step = (seq: number, o: Record<string, unknown> = {}) => AgentStepSchema.parse(makeAgentStep({ tenantId: 'acme', agentId: 'bot', sessionId: 's-poison', eventId: `p-${seq}`, seq, timestampMs: T + seq * 1_000, ...o }));

  beforeAll(async () => {
    rt = await testRuntime('sec-poison', prefix);
    await createTopics(rt.kafka, [rt.topics.steps, rt.topics.trajectories], 1);
    const schemaId = await rt.serde.register(rt.topics.steps);
    member = await startSegmenterMember(rt, `${prefix}segmenter`);
  });

  afterAll(async () => {
    await member?.stop();
    await rt?.producer.disconnect();
  });

  it('dead-letters the map-count records while /healthz answers, and hands the steps after them to the segmenter', async () => {
    const prober = healthProber(member.ops.port);
    const schemaId = await rt.serde.register(rt.topics.steps);
    const poisonous = step(1);
    const raw = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await raw.connect();
    await rt.producer.send([{ spec: rt.topics.steps, value: step(0, { kind: 'QUERY', query: 'where is A-1?', toolName: null, parametersJson: null, resultJson: null }) }]);
    const bodies = [1e9, 2 ** 50].map((count) => encodeWire(schemaId, mapCountStep(poisonous, count)));
    expect(Math.max(...bodies.map((b) => b.length))).toBeLessThan(400);
    await raw.send({ topic: rt.topics.steps.name, messages: bodies.map((value) => ({ key: agentStepKey(poisonous), value })) });
    await raw.disconnect();
    await rt.producer.send([2, 3].map((seq) => ({ spec: rt.topics.steps, value: step(seq) })));
    await rt.producer.send([{ spec: rt.topics.steps, value: step(4, { kind: 'TASK_END', taskOutcome: 'SUCCEEDED', toolName: null, parametersJson: null, resultJson: null }) }]);

    // the prober keeps going until it has a few answers: on a busy machine 50 ms apart can be
    // fewer than 4 while the records are handled (a flaky test, not a failing /healthz)
    await eventually(() => member.segmenter.applied() >= 4 && prober.answers.length > 3, 20_000);
    const answers = await prober.stop();

    const dead = (await readTopic(testKafka(), rt.topics.steps.dlq, 2, 10_000)).map((m) => readDlqHeaders(m.headers));
    expect(dead).toHaveLength(2);
    for (const d of dead) expect(d.reason).toMatch(/^avro_bounds: .*map block count \d+ (exceeds the cap|needs at least)/);
    expect(await metricValue(dlqTotal, { topic: rt.topics.steps.name, reason: 'avro_bounds' })).toBe(2);
    // Every probe answered (none timed out at 2 s), and there were probes while the records were handled.
    expect(answers.length).toBeGreaterThan(3);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(member.segmenter.applied()).toBe(4);
    expect(member.segmenter.openSessions()).toBe(1);
  });
});
