// The SDK recorder against a real broker of its own: steps arrive redacted and in order;
// when the broker goes away, record() keeps returning at once, memory stays bounded (the
// oldest buffered steps are dropped, counted and warned about), and once the broker is back
// the steps still held arrive. A sink whose Kafka client gives up after a few retries still
// delivers everything it accepted across an outage many times longer (issue 11, finding 9).
import { Writable } from 'node:stream';
import { createLogger, type Runtime } from '@praxis/kafka';
import type { AgentStep } from '@praxis/schemas';
import { kafkaStepSink, Recorder } from '@praxis/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DedicatedKafka } from '../support/dedicated-kafka.js';
import { createTopics, stack, testKafka, testRuntime, uniquePrefix } from '../support/stack.js';
import { readUntil } from './support.js';

// PRAXIS_SDK_OUTAGE_MS=60000 holds the broker down for the full 60 s (not in CI: the
// property, retrying past the client's own limit, is the same with 3 s)
const OUTAGE_MS = Number(process.env.PRAXIS_SDK_OUTAGE_MS ?? 3_000);

describe('recorder against a real broker that goes away', () => {
  let broker: DedicatedKafka;
  let rt: Runtime;
  let recorder: Recorder;
  const warnings: string[] = [];
  const prefix = uniquePrefix('recorder');
  const read = (done: (steps: AgentStep[]) => boolean) =>
    readUntil<AgentStep>(testKafka(broker.brokers), rt, rt.topics.steps, (rs) => done(rs.map((r) => r.value!)), 60_000).then((rs) => rs.map((r) => r.value!));

  beforeAll(async () => {
    broker = await DedicatedKafka.start();
    rt = await testRuntime('recorder-test', prefix, broker.brokers);
    await createTopics(rt.kafka, [rt.topics.steps], 1);
    recorder = new Recorder({
      tenantId: 'acme',
      agentId: 'support-bot',
      sink: kafkaStepSink({ brokers: broker.brokers, registryUrl: stack().registryUrl, topicPrefix: prefix, logger: createLogger('sdk', 'silent') }),
      maxBuffer: 50,
      batchSize: 10,
      flushIntervalMs: 20,
      flushOnExit: false,
      warnEveryMs: 0,
      onWarning: (m) => warnings.push(m),
    });
  });

  afterAll(async () => {
    await recorder?.close(2_000);
    await rt?.producer.disconnect();
    await broker?.destroy();
  });

  it('writes redacted steps, numbered per session', async () => {
    recorder.record({ kind: 'QUERY', sessionId: 's-1', query: 'log me in, my password=hunter2' });
    recorder.record({ kind: 'TOOL_CALL', sessionId: 's-1', toolName: 'login', parameters: { user: 'bob', password: 'hunter2', headers: { Authorization: 'Bearer abc.def' } }, result: { token: 'tok-1', ok: true }, durationMs: 12 });
    recorder.record({ kind: 'TASK_END', sessionId: 's-1', taskOutcome: 'SUCCEEDED' });
    await recorder.flush();
    const steps = await read((s) => s.length >= 3);
    expect(steps.map((s) => [s.seq, s.kind])).toEqual([[0, 'QUERY'], [1, 'TOOL_CALL'], [2, 'TASK_END']]);
    expect(steps[0]!.query).toBe('log me in, my password=[REDACTED]');
    expect(JSON.parse(steps[1]!.parametersJson!)).toEqual({ user: 'bob', password: '[REDACTED]', headers: { Authorization: '[REDACTED]' } });
    expect(JSON.parse(steps[1]!.resultJson!)).toEqual({ token: '[REDACTED]', ok: true });
    expect(JSON.stringify(steps)).not.toContain('hunter2');
  });

  it('drops the oldest buffered steps while the broker is down, and delivers the rest when it is back', async () => {
    await broker.stop();
    for (let i = 0; i < 200; i++) recorder.record({ kind: 'QUERY', sessionId: 's-outage', query: `q${i}` });
    // one batch of 10 is with the producer (which waits out the outage); the buffer keeps the 50 newest
    expect(recorder.stats()).toMatchObject({ recorded: 203, sent: 3, inFlight: 10, buffered: 50, dropped: 140 });
    expect(warnings.some((w) => /buffer full \(50\): dropping the oldest/.test(w))).toBe(true);

    await broker.startAgain();
    await recorder.flush();
    expect(recorder.stats()).toMatchObject({ sent: 63, dropped: 140, buffered: 0, inFlight: 0, failed: 0 });
    const steps = await read((s) => s.filter((x) => x.sessionId === 's-outage').length >= 60);
    const outage = steps.filter((s) => s.sessionId === 's-outage').map((s) => s.query);
    expect(outage).toEqual([...Array.from({ length: 10 }, (_, i) => `q${i}`), ...Array.from({ length: 50 }, (_, i) => `q${150 + i}`)]);
  });

  it('retries the batch in flight past the Kafka client\'s own retry limit, loses nothing it accepted, and logs through the caller\'s logger', async () => {
    const lines: { component?: string; event?: string }[] = [];
    const capture = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const failures: string[] = [];
    const patient = new Recorder({
      tenantId: 'acme',
      agentId: 'patient-bot',
      // kafkajs on its own gives up after 2 retries (under a second on loopback): the old sink lost the batch then
      sink: kafkaStepSink({ brokers: broker.brokers, registryUrl: stack().registryUrl, topicPrefix: prefix, logger: createLogger('agent', 'info', capture), retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 200 }, maxBackoffMs: 500 }),
      maxBuffer: 1_000,
      batchSize: 25,
      flushIntervalMs: 10,
      flushOnExit: false,
      warnEveryMs: 0,
      onWarning: (m) => failures.push(m),
    });
    await broker.stop();
    for (let i = 0; i < 100; i++) patient.record({ kind: 'QUERY', sessionId: 's-patient', query: `p${i}` });
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const retries = lines.filter((l) => l.event === 'sdk_send_retry').length;
    expect(retries).toBeGreaterThanOrEqual(2);
    expect(patient.stats()).toMatchObject({ recorded: 100, sent: 0, failed: 0, dropped: 0 });
    await broker.startAgain();
    await patient.flush();
    expect(patient.stats()).toMatchObject({ recorded: 100, sent: 100, failed: 0, dropped: 0, buffered: 0, inFlight: 0 });
    expect(failures).toEqual([]);
    const steps = await read((s) => new Set(s.filter((x) => x.sessionId === 's-patient').map((x) => x.query)).size >= 100);
    expect(new Set(steps.filter((s) => s.sessionId === 's-patient').map((s) => s.query))).toEqual(new Set(Array.from({ length: 100 }, (_, i) => `p${i}`)));
    // kafkajs' own complaints went to the agent's logger (not to stdout)
    expect(lines.some((l) => l.component === 'kafkajs')).toBe(true);
    await patient.close(2_000);
  }, 120_000 + OUTAGE_MS);
});
