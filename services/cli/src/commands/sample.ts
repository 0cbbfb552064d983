import { parseArgs } from 'node:util';
import { ConsumerRunner, createKafka, createLogger, createRuntime, ensureTopics, perRecord } from '@praxis/kafka';
import type { AgentStepInput } from '@praxis/schemas';
import type { Command } from '../command.js';
import { ensureStack } from '../stack.js';

/** A few steps of one agent task, as the SDK would record them. */
function sampleSteps(n: number): AgentStepInput[] {
  const t0 = Date.now();
  const tools = ['search_orders', 'get_order', 'create_refund'];
  return Array.from({ length: n }, (_, i) => ({
    eventId: `sample-${t0}-${i}`,
    tenantId: 'demo',
    agentId: 'sample-agent',
    sessionId: `session-${i % 5}`,
    seq: Math.floor(i / 5),
    kind: 'TOOL_CALL' as const,
    timestampMs: t0 + i,
    toolName: tools[i % tools.length]!,
    parametersJson: JSON.stringify({ orderId: `A-${1000 + (i % 7)}` }),
    resultJson: JSON.stringify({ ok: true }),
    durationMs: 10 + (i % 50),
  }));
}

export const sampleCommand: Command = {
  summary: 'bring the stack up, then produce and consume sample AgentStep events through Avro and the registry',
  usage: 'praxis sample [--count N]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { count: { type: 'string', default: '200' } } });
    const count = Number(values.count);
    const stack = await ensureStack(io.env, (line) => io.err(line));
    io.out(`stack: kafka ${stack.kafkaBrokers}, registry ${stack.registryUrl}, clickhouse ${stack.clickhouseUrl}`);
    const logger = createLogger('sample', 'warn');
    const rt = await createRuntime('sample', { KAFKA_BROKERS: stack.kafkaBrokers.split(','), SCHEMA_REGISTRY_URL: stack.registryUrl, PRAXIS_TOPIC_PREFIX: '', LOG_LEVEL: 'warn' }, logger);
    const admin = createKafka({ brokers: stack.kafkaBrokers.split(','), clientId: 'praxis-sample', logger }).admin();
    await admin.connect();
    await ensureTopics(admin, Object.values(rt.topics));
    await admin.disconnect();
    const steps = sampleSteps(count);
    await rt.producer.send(steps.map((value) => ({ spec: rt.topics.steps, value })));
    io.out(`produced ${count} AgentStep events to ${rt.topics.steps.name}`);
    const mine = new Set(steps.map((s) => s.eventId));
    let read = 0;
    const runner = new ConsumerRunner({
      kafka: rt.kafka, serde: rt.serde, producer: rt.producer, logger, service: 'sample',
      groupId: `praxis-sample-${Date.now()}`, topics: [rt.topics.steps], fromBeginning: true,
      handler: perRecord((r) => { if (mine.has((r.value as { eventId: string }).eventId)) read++; return {}; }),
    });
    await runner.start();
    const deadline = Date.now() + 60_000;
    while (read < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await runner.stop();
    await rt.producer.disconnect();
    io.out(`consumed ${read}/${count} of them back, decoded and validated`);
    return read === count ? 0 : 1;
  },
};
