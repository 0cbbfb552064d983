// pnpm bench kafka-clients: kafkajs (the runtime's client) against @platformatic/kafka and
// @confluentinc/kafka-javascript on the same broker, the same Avro records and the same work
// (test/bench/kafka-clients/clients.ts), in one run, in turn per repeat so a busy machine
// hits all three alike. Also the runtime itself (PraxisProducer + ConsumerRunner on kafkajs)
// as the reference the others are compared with, since that is what a switch would replace.
// The confluent client is not in the lockfile (it builds librdkafka from source); it is
// measured when PRAXIS_BENCH_CKJS_DIR names a directory where it is installed.
import { randomBytes } from 'node:crypto';
import { generateTraffic } from '@praxis/fleet';
import { AvroSerde, ConsumerRunner, createKafka, createLogger, PraxisProducer } from '@praxis/kafka';
import { agentStepKey, AgentStepSchema, praxisTopics, type TopicSpec } from '@praxis/schemas';
import type { Kafka } from 'kafkajs';
import { confluentClient, decoderFor, kafkajsClient, platformaticClient, type ClientUnderTest, type EncodedRecord } from '../kafka-clients/clients.js';
import { percentile, type BenchContext, type BenchSuite, type Measurement } from '../harness.js';

const logger = createLogger('bench-clients', 'error');

/** Topics the suite created; deleted once at the end (deleting them between measurements upsets kafkajs metadata refreshes). */
const created: string[] = [];

async function withTopic<T>(kafka: Kafka, spec: TopicSpec, fn: () => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: spec.name, numPartitions: spec.partitions, replicationFactor: 1 }] });
  } finally {
    await admin.disconnect();
  }
  created.push(spec.name);
  return fn();
}

/** `work`, or a rejection after `ms` (a client that hangs costs its sample, not the run). */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function deleteCreated(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: created.splice(0) }).catch(() => undefined);
  await admin.disconnect();
}

/** Records/s produced, records/s consumed (decode + commit per batch), and produce -> consume latency p50/p99 of single records. */
async function measureClient(kafka: Kafka, client: ClientUnderTest, serde: AvroSerde, records: EncodedRecord[], probes: number): Promise<{ produce: number; consume: number; p50: number; p99: number }> {
  const spec = praxisTopics(`bench-cli-${randomBytes(3).toString('hex')}.`).steps;
  const decode = decoderFor(serde, spec);
  return withTopic(kafka, spec, async () => {
    const t0 = performance.now();
    await client.produce(spec.name, records);
    const produce = records.length / ((performance.now() - t0) / 1000);
    const consumeMs = await client.consume(spec.name, `${spec.name}-reader`, records.length, decode);
    const consume = records.length / (consumeMs / 1000);
    // latency: one record at a time, stamped with the send time in its key
    const latencies: number[] = [];
    const sentAt = new Map<string, number>();
    const stopTail = await client.tail(spec.name, `${spec.name}-probe`, (value) => {
      const sent = sentAt.get(value.toString('latin1'));
      if (sent !== undefined) latencies.push(performance.now() - sent);
    });
    await new Promise((r) => setTimeout(r, 1_000)); // the member has its partitions before the first probe
    for (let i = 0; i < probes; i++) {
      const value = Buffer.from(`probe-${i}-${randomBytes(4).toString('hex')}`, 'latin1');
      sentAt.set(value.toString('latin1'), performance.now());
      await client.sendOne(spec.name, { key: `k${i % 7}`, value });
      await new Promise((r) => setTimeout(r, 10));
    }
    const deadline = Date.now() + 10_000;
    while (latencies.length < probes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await stopTail();
    return { produce, consume, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  });
}

/** The runtime itself: PraxisProducer.sendRaw, and a ConsumerRunner whose handler does nothing (decode, validate, commit). */
async function measureRuntime(kafka: Kafka, serde: AvroSerde, records: EncodedRecord[]): Promise<{ produce: number; consume: number }> {
  const spec = praxisTopics(`bench-rt-${randomBytes(3).toString('hex')}.`).steps;
  return withTopic(kafka, spec, async () => {
    const producer = new PraxisProducer({ kafka, serde, logger, service: 'bench-runtime' });
    await producer.connect();
    const t0 = performance.now();
    for (let i = 0; i < records.length; i += 1_000) await producer.sendRaw(records.slice(i, i + 1_000).map((r) => ({ topic: spec.name, key: r.key, value: r.value })));
    const produce = records.length / ((performance.now() - t0) / 1000);
    const consume = await runnerConsumeRate({ kafka, serde, producer, spec, groupId: `${spec.name}-runtime`, count: records.length, service: 'bench-runtime' });
    await producer.disconnect();
    return { produce, consume };
  });
}

/** Records/s of a ConsumerRunner with a no-op handler (decode, validate, commit) reading `count` records of `spec`, from its first batch. */
export async function runnerConsumeRate(o: { kafka: Kafka; serde: AvroSerde; producer: PraxisProducer; spec: TopicSpec; groupId: string; count: number; service: string }): Promise<number> {
  let seen = 0;
  let first = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const runner = new ConsumerRunner({
    kafka: o.kafka, serde: o.serde, producer: o.producer, logger, service: o.service, groupId: o.groupId, topics: [o.spec],
    handler: async (batch) => {
      if (first === 0) first = performance.now();
      seen += batch.length;
      if (seen >= o.count) setImmediate(done);
      return {};
    },
  });
  await runner.start();
  await all;
  const rate = o.count / ((performance.now() - first) / 1000);
  await runner.stop();
  return rate;
}

async function run(ctx: BenchContext): Promise<Measurement[]> {
  const stack = await ctx.stack();
  const brokers = stack.kafkaBrokers.split(',');
  const kafka = createKafka({ brokers, clientId: 'bench-clients', logger });
  const serde = AvroSerde.forUrl(stack.registryUrl);
  const traffic = generateTraffic('bench-clients', { instancesPerWorkflow: ctx.quick ? 8 : 96, sessionsPerAgent: 8 });
  const steps = traffic.tasks.flatMap((t) => t.events).map((e) => AgentStepSchema.parse(e));
  const spec = praxisTopics('bench-clients-encode.').steps;
  const records = await Promise.all(steps.map(async (s) => ({ key: agentStepKey(s), value: await serde.encode(spec, s) })));
  // fresh clients for every measurement: a kafkajs producer keeps refreshing the metadata of
  // every topic it ever wrote, and fails once one of them is deleted (each measurement deletes its topic)
  const makeClients = () => [kafkajsClient(createKafka({ brokers, clientId: 'bench-clients', logger })), platformaticClient(brokers), confluentClient(brokers, process.env.PRAXIS_BENCH_CKJS_DIR, logger)].filter((c): c is ClientUnderTest => c !== null);
  const first = makeClients();
  const clients = first.map((c) => ({ name: c.name }));
  ctx.log(`kafka-clients: ${records.length} step records (${Math.round(records.reduce((n, r) => n + r.value.length, 0) / records.length)} B each), clients: ${clients.map((c) => c.name).join(', ')}`);
  if (!process.env.PRAXIS_BENCH_CKJS_DIR) ctx.log('kafka-clients: PRAXIS_BENCH_CKJS_DIR not set: @confluentinc/kafka-javascript is not measured (see test/bench/kafka-clients/README.md)');
  const runs = Math.min(ctx.repeats, ctx.quick ? 1 : 5);
  const probes = ctx.quick ? 100 : 300;
  const samples = new Map<string, { produce: number[]; consume: number[]; p50: number[]; p99: number[] }>();
  const runtime = { produce: [] as number[], consume: [] as number[] };
  for (let r = 0; r < runs; r++) {
    const rt = await measureRuntime(kafka, serde, records);
    runtime.produce.push(rt.produce);
    runtime.consume.push(rt.consume);
    ctx.log(`run ${r + 1} @praxis/kafka (kafkajs): produce ${Math.round(rt.produce)}/s, consume ${Math.round(rt.consume)}/s`);
    for (const client of r === 0 ? first : makeClients()) {
      const m = await within(120_000, measureClient(kafka, client, serde, records, probes)).catch((error: unknown) => {
        ctx.log(`run ${r + 1} ${client.name}: failed (${(error as Error).message}); no sample`);
        return null;
      });
      await client.close().catch(() => undefined);
      if (!m) continue;
      const s = samples.get(client.name) ?? { produce: [], consume: [], p50: [], p99: [] };
      s.produce.push(m.produce);
      s.consume.push(m.consume);
      s.p50.push(m.p50);
      s.p99.push(m.p99);
      samples.set(client.name, s);
      ctx.log(`run ${r + 1} ${client.name}: produce ${Math.round(m.produce)}/s, consume ${Math.round(m.consume)}/s, latency p50 ${m.p50.toFixed(1)} ms p99 ${m.p99.toFixed(1)} ms`);
    }
  }
  await deleteCreated(kafka);
  const id = (name: string) => name.split(' ')[0]!.replace(/^@/, '').replace(/\W+/g, '_');
  const base = id(clients[0]!.name);
  const out: Measurement[] = [
    { name: 'clients.runtime.produce', label: '@praxis/kafka (kafkajs) PraxisProducer.sendRaw', unit: 'rec/s', higherIsBetter: true, samples: runtime.produce },
    { name: 'clients.runtime.consume', label: '@praxis/kafka (kafkajs) ConsumerRunner, no-op handler', unit: 'rec/s', higherIsBetter: true, samples: runtime.consume },
  ];
  for (const c of clients) {
    const s = samples.get(c.name);
    if (!s) continue;
    const k = id(c.name);
    const first = k === base;
    out.push(
      { name: `clients.${k}.produce`, label: `${c.name}: produce (idempotent, acks=all)`, unit: 'rec/s', higherIsBetter: true, samples: s.produce, ...(first ? {} : { baseline: `clients.${base}.produce` }) },
      { name: `clients.${k}.consume`, label: `${c.name}: consume (decode, commit per batch)`, unit: 'rec/s', higherIsBetter: true, samples: s.consume, ...(first ? {} : { baseline: `clients.${base}.consume` }) },
      { name: `clients.${k}.latency_p50`, label: `${c.name}: produce -> consume p50`, unit: 'ms', higherIsBetter: false, samples: s.p50, ...(first ? {} : { baseline: `clients.${base}.latency_p50` }) },
      { name: `clients.${k}.latency_p99`, label: `${c.name}: produce -> consume p99`, unit: 'ms', higherIsBetter: false, samples: s.p99, ...(first ? {} : { baseline: `clients.${base}.latency_p99` }) },
    );
  }
  return out;
}

export const kafkaClientsSuite: BenchSuite = {
  id: 'kafka-clients',
  title: 'Kafka clients: kafkajs vs @platformatic/kafka vs @confluentinc/kafka-javascript (same broker, records, work)',
  run,
};
