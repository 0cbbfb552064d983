// Records that are not Avro, fail validation, sit under the wrong key, or make the handler
// throw each land in the DLQ with the original bytes and the reason; the consumer goes on;
// /metrics counts them.
import { ConsumerRunner, dlqTotal, encodeWire, metricValue, perRecord, readDlqHeaders, startOpsServer, type OpsServer, type Runtime } from '@praxis/kafka';
import { avroType } from '@praxis/schemas';
import { makeAgentStep } from '@praxis/schemas/factories';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, eventually, readTopic, testKafka, testRuntime, uniquePrefix } from '../support/stack.js';

describe('dead-letter topic', () => {
  const prefix = uniquePrefix('dlq');
  let rt: Runtime;
  let runner: ConsumerRunner;
  let ops: OpsServer;
  const processed: string[] = [];
  const key = 'acme/support-bot/sess-1';

  beforeAll(async () => {
    rt = await testRuntime('dlq-test', prefix);
    await createTopics(rt.kafka, [rt.topics.steps], 1);
    const schemaId = await rt.serde.register(rt.topics.steps);
    const invalid = { ...rt.topics.steps.validator.parse(makeAgentStep({ eventId: 'bad-validation' })), toolName: null };
    const raw = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await raw.connect();
    await rt.producer.send([{ spec: rt.topics.steps, value: makeAgentStep({ eventId: 'good-1', seq: 0 }) }]);
    await raw.send({
      topic: rt.topics.steps.name,
      messages: [
        { key, value: Buffer.from('{"eventId":"json-not-avro"}'), headers: { origin: 'test' } },
        { key, value: encodeWire(schemaId, avroType('agentStep').toBuffer(invalid)) },
        { key: 'other-tenant/bot/s', value: await rt.serde.encode(rt.topics.steps, rt.topics.steps.validator.parse(makeAgentStep({ eventId: 'wrong-key' }))) },
        // a schema id the registry does not know, in the same chunk as records it knows
        { key, value: encodeWire(2_000_000_000, avroType('agentStep').toBuffer(rt.topics.steps.validator.parse(makeAgentStep({ eventId: 'unknown-schema' })))) },
      ],
    });
    await rt.producer.send([
      { spec: rt.topics.steps, value: makeAgentStep({ eventId: 'poison', seq: 1 }) },
      { spec: rt.topics.steps, value: makeAgentStep({ eventId: 'good-2', seq: 2 }) },
    ]);
    await raw.disconnect();

    runner = new ConsumerRunner({
      kafka: rt.kafka,
      serde: rt.serde,
      producer: rt.producer,
      logger: rt.logger,
      service: 'dlq-test',
      groupId: `${prefix}group`,
      topics: [rt.topics.steps],
      handler: perRecord((record) => {
        const id = (record.value as { eventId: string }).eventId;
        if (id === 'poison') throw new Error('cannot handle poison');
        processed.push(id);
        return {};
      }, { attempts: 2, initialMs: 10, maxMs: 10, factor: 1, jitter: 0 }),
    });
    ops = await startOpsServer({ host: '127.0.0.1', port: 0, checks: { consumer: () => ({ ok: runner.health().ready, details: runner.health() }) } });
    await runner.start();
    await eventually(() => processed.length >= 2, 60_000);
  });

  afterAll(async () => {
    await runner?.stop();
    await ops?.close();
    await rt?.producer.disconnect();
  });

  it('goes on past the bad records and handles the good ones', () => {
    expect(processed).toEqual(['good-1', 'good-2']);
  });

  it('writes each bad record to the DLQ with the original bytes, key and a reason', async () => {
    const dead = await readTopic(testKafka(), rt.topics.steps.dlq, 5);
    const byReason = dead.map((m) => ({ ...readDlqHeaders(m.headers), key: m.key?.toString(), value: m.value, origin: m.headers?.origin?.toString() }));
    expect(byReason).toHaveLength(5);
    const [notAvro, validation, wrongKey, unknownSchema, poison] = byReason;
    expect(notAvro).toMatchObject({ step: 'decode', key, origin: 'test', topic: rt.topics.steps.name, partition: 0, service: 'dlq-test' });
    expect(notAvro!.reason).toMatch(/^avro_decode: not Avro wire format: magic byte 123/);
    expect(notAvro!.value?.toString()).toBe('{"eventId":"json-not-avro"}');
    expect(validation).toMatchObject({ step: 'validate', reason: 'validation: toolName: is required for a TOOL_CALL step' });
    expect(wrongKey!.reason).toMatch(/^key_mismatch: key "other-tenant\/bot\/s" does not match/);
    expect(unknownSchema).toMatchObject({ step: 'decode', reason: 'avro_decode: schema id 2000000000 is unknown to the registry' });
    expect(poison).toMatchObject({ step: 'handler', reason: 'handler_error: cannot handle poison' });
    expect(dead.map((m) => Number(readDlqHeaders(m.headers).offset))).toEqual([1, 2, 3, 4, 5]);
  });

  it('counts them by reason, and serves the counts and readiness over HTTP', async () => {
    const labels = { service: 'dlq-test', topic: rt.topics.steps.name };
    for (const reason of ['validation', 'key_mismatch', 'handler_error']) {
      expect(await metricValue(dlqTotal, { ...labels, reason })).toBe(1);
    }
    expect(await metricValue(dlqTotal, { ...labels, reason: 'avro_decode' })).toBe(2);
    const metrics = await (await fetch(`http://127.0.0.1:${ops.port}/metrics`)).text();
    expect(metrics).toContain(`praxis_messages_dlq_total{service="dlq-test",topic="${rt.topics.steps.name}",reason="validation"} 1`);
    expect(metrics).toMatch(new RegExp(`praxis_messages_processed_total\\{service="dlq-test",topic="${rt.topics.steps.name.replace(/\./g, '\\.')}"\\} 2`));
    expect(metrics).toContain('praxis_consumer_lag{');
    const ready = await fetch(`http://127.0.0.1:${ops.port}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: { consumer: { details: { status: string } } } }).checks.consumer.details.status).toBe('running');
  });
});
