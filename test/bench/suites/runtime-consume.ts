// pnpm bench runtime-consume: the runtime's consume path alone, against bare kafkajs doing the
// same decode and commit, on the same topic in the same run (in turn per repeat). The records
// are the fleet's steps, Avro through the registry, on the steps topic's 6 partitions. Bare
// kafkajs decodes each record through the runtime's serde and commits once per fetched batch;
// the runtime (`ConsumerRunner`, a handler that does nothing) also validates each record (zod,
// key rule), hands it over in chunks of 500, sends the (empty) outputs and commits once per
// fetched batch.
import { randomBytes } from 'node:crypto';
import { generateTraffic } from '@praxis/fleet';
import { AvroSerde, createKafka, createLogger, PraxisProducer } from '@praxis/kafka';
import { agentStepKey, AgentStepSchema, praxisTopics } from '@praxis/schemas';
import { decoderFor, kafkajsClient } from '../kafka-clients/clients.js';
import type { BenchContext, BenchSuite, Measurement } from '../harness.js';
import { runnerConsumeRate } from './kafka-clients.js';
import { createReadyTopics } from './pipeline-raw.js';

const logger = createLogger('bench-runtime-consume', 'error');

async function run(ctx: BenchContext): Promise<Measurement[]> {
  const stack = await ctx.stack();
  const brokers = stack.kafkaBrokers.split(',');
  const kafka = createKafka({ brokers, clientId: 'bench-runtime-consume', logger });
  const serde = AvroSerde.forUrl(stack.registryUrl);
  const traffic = generateTraffic('bench-runtime-consume', { instancesPerWorkflow: ctx.quick ? 16 : 96, sessionsPerAgent: 8 });
  const spec = praxisTopics(`bench-rtc-${randomBytes(3).toString('hex')}.`).steps;
  const steps = traffic.tasks.flatMap((t) => t.events).map((e) => AgentStepSchema.parse(e));
  const records = await Promise.all(steps.map(async (s) => ({ key: agentStepKey(s), value: await serde.encode(spec, s) })));
  const admin = kafka.admin();
  await admin.connect();
  await createReadyTopics(admin, [spec.name], spec.partitions);
  const producer = new PraxisProducer({ kafka, serde, logger, service: 'bench-runtime-consume' });
  await producer.connect();
  for (let i = 0; i < records.length; i += 1_000) await producer.sendRaw(records.slice(i, i + 1_000).map((r) => ({ topic: spec.name, key: r.key, value: r.value })));
  ctx.log(`runtime-consume: ${records.length} step records on ${spec.partitions} partitions`);
  const bare: number[] = [];
  const runtime: number[] = [];
  const runs = Math.min(ctx.repeats, ctx.quick ? 1 : 5);
  try {
    for (let r = 0; r < runs; r++) {
      const client = kafkajsClient(createKafka({ brokers, clientId: 'bench-runtime-consume-bare', logger }));
      const ms = await client.consume(spec.name, `${spec.name}-bare-${r}`, records.length, decoderFor(serde, spec));
      await client.close();
      bare.push(records.length / (ms / 1000));

      runtime.push(await runnerConsumeRate({ kafka, serde, producer, spec, groupId: `${spec.name}-runtime-${r}`, count: records.length, service: 'bench-runtime-consume' }));
      ctx.log(`runtime-consume run ${r + 1}: bare kafkajs ${Math.round(bare[r]!)} rec/s, runtime ${Math.round(runtime[r]!)} rec/s`);
    }
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [spec.name] }).catch(() => undefined);
    await admin.disconnect();
  }
  return [
    { name: 'runtime_consume.bare_kafkajs', label: 'bare kafkajs: decode each record, commit per fetched batch', unit: 'rec/s', higherIsBetter: true, samples: bare },
    { name: 'runtime_consume.runner', label: 'ConsumerRunner, no-op handler (decode, validate, chunks of 500, commit per fetched batch)', unit: 'rec/s', higherIsBetter: true, samples: runtime, baseline: 'runtime_consume.bare_kafkajs' },
  ];
}

export const runtimeConsumeSuite: BenchSuite = {
  id: 'runtime-consume',
  title: "The runtime's consume path against bare kafkajs (same records, same run)",
  run,
};
