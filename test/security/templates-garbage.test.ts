// Finding 4: one unreadable record on the compacted templates topic stopped the inducer from
// ever starting (restore re-threw it, and compaction keeps it). Now restore skips it, counts
// it, and the inducer starts with every readable template restored.
import { DEFAULT_INDUCER_POLICY, restoreSkippedTotal, startInducer, type InducerHandle } from '@praxis/inducer';
import { encodeWire, metricValue, type Runtime } from '@praxis/kafka';
import { avroType, TemplateSchema } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, testKafka, testRuntime, uniquePrefix } from '../support/stack.js';
import { lieAt, varint } from './support.js';

describe('garbage on the templates topic', () => {
  const prefix = uniquePrefix('sec-garbage');
  let rt: Runtime;
  let inducer: InducerHandle | undefined;
  const good = TemplateSchema.parse(makeTemplate({ templateId: 'tpl-good', tenantId: 'acme', agentId: 'bot' }));

  beforeAll(async () => {
    rt = await testRuntime('sec-garbage', prefix);
    await createTopics(rt.kafka, [rt.topics.templates, rt.topics.trajectories, rt.topics.feedback], 1);
    const schemaId = await rt.serde.register(rt.topics.templates);
    const invalid = { ...good, templateId: 'tpl-invalid', confidence: 7 };
    const raw = testKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await raw.connect();
    await raw.send({
      topic: rt.topics.templates.name,
      messages: [
        { key: 'tpl-json', value: Buffer.from('{"templateId":"tpl-json"}') },
        { key: 'tpl-invalid', value: encodeWire(schemaId, avroType('template').toBuffer(invalid)) },
        { key: 'tpl-lying', value: encodeWire(schemaId, lieAt('template', good, 'signature', Buffer.concat([varint(2 ** 50), Buffer.from('zz')]))) },
        { key: 'tpl-unknown-schema', value: encodeWire(2_000_000_000, Buffer.from([1, 2, 3])) },
      ],
    });
    await raw.disconnect();
    await rt.producer.send([{ spec: rt.topics.templates, value: good }]);
  });

  afterAll(async () => {
    await inducer?.stop();
    await rt?.producer.disconnect();
  });

  it('starts, skips and counts the unreadable records, and restores the readable template', async () => {
    const before = await metricValue(restoreSkippedTotal, { topic: rt.topics.templates.name });
    inducer = await startInducer({ runtime: rt, groupId: `${prefix}inducer`, policy: DEFAULT_INDUCER_POLICY, sessionTimeoutMs: 10_000 });
    // a member restores its tasks when the group assigns them (docs/scaling.md)
    for (let i = 0; i < 300 && !inducer.caughtUp(); i++) await new Promise((r) => setTimeout(r, 100));
    expect((await metricValue(restoreSkippedTotal, { topic: rt.topics.templates.name })) - before).toBe(4);
    expect([...inducer.inducer.published.keys()]).toEqual(['tpl-good']);
    expect(inducer.inducer.published.get('tpl-good')).toMatchObject({ agentKey: 'acme/bot', version: 1, deleted: false });
  });
});
