// Finding 5: a record framed with the id of a schema that is not Avro (a PROTOBUF schema
// registered in the same registry) was classed as "registry unavailable" and retried for
// ever, stalling the partition. Now it is a DLQ reason and the records after it go through.
import { dlqTotal, encodeWire, metricValue, readDlqHeaders, type Runtime } from '@praxis/kafka';
import { agentStepKey, AgentStepSchema } from '@praxis/schemas';
import { makeAgentStep } from '@praxis/schemas/factories';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, eventually, readTopic, stack, testKafka, testRuntime, uniquePrefix } from '../support/stack.js';
import { startSegmenterMember, type SegmenterMember } from './support.js';

/** Registers a PROTOBUF schema under a subject of this test and returns its id. */
async function registerProtobuf(subject: string): Promise<number> {
  const res = await fetch(`${stack().registryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schemaType: 'PROTOBUF', schema: `syntax = "proto3";\nmessage Evil${subject.replace(/[^A-Za-z0-9]/g, '')} { string a = 1; }\n` }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: number }).id;
}

describe('a schema id that is not Avro', () => {
  const prefix = uniquePrefix('sec-proto');
  let rt: Runtime;
  let member: SegmenterMember;
  const T = Date.now() - 60_000;
  const step = (seq: number) => AgentStepSchema.parse(makeAgentStep({ tenantId: 'acme', agentId: 'bot', sessionId: 's-proto', eventId: `q-${seq}`, seq, timestampMs: T + seq * 1_000 }));

  beforeAll(async () => {
    rt = await testRuntime('sec-proto', prefix);
    await createTopics(rt.kafka, [rt.topics.steps, rt.topics.trajectories], 1);
    member = await startSegmenterMember(rt, `${prefix}segmenter`);
  });

  afterAll(async () => {
    await member?.stop();
    await rt?.producer.disconnect();
  });

  it('dead-letters the record with the reason and handles the records after it', async () => {
    const protoId = await registerProtobuf(`${prefix}evil-value`);
    const raw = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await raw.connect();
    await raw.send({ topic: rt.topics.steps.name, messages: [{ key: agentStepKey(step(0)), value: encodeWire(protoId, Buffer.from([0x0a, 0x01, 0x61])) }] });
    await raw.disconnect();
    await rt.producer.send([1, 2].map((seq) => ({ spec: rt.topics.steps, value: step(seq) })));

    await eventually(() => member.segmenter.applied() >= 2, 20_000);
    expect(member.segmenter.applied()).toBe(2);
    const [dead] = (await readTopic(testKafka(), rt.topics.steps.dlq, 1, 10_000)).map((m) => readDlqHeaders(m.headers));
    expect(dead).toMatchObject({ step: 'decode' });
    expect(dead!.reason).toBe(`schema_not_avro: schema id ${protoId} is registered as PROTOBUF, not Avro`);
    expect(await metricValue(dlqTotal, { topic: rt.topics.steps.name, reason: 'schema_not_avro' })).toBe(1);
  });
});
