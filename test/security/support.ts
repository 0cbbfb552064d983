// Helpers of the security tests: hostile records built from the real schemas, a segmenter
// member with its ops server, a /healthz prober that records every answer, and a router plus
// inducer on fresh topics that already hold one owner's template.
import { DEFAULT_INDUCER_POLICY, startInducer, type InducerHandle } from '@praxis/inducer';
import { startOpsServer, type OpsServer, type Runtime } from '@praxis/kafka';
import { avroSchemas, type AvroSchemaName, type Template } from '@praxis/schemas';
import { DEFAULT_POLICY, startSegmenter, type SegmenterHandle, type SegmenterPolicy } from '@praxis/segmenter';
import avro from 'avsc';
import { startTestRouter, type TestRouter } from '../router/support.js';
import { createTopics, testRuntime, uniquePrefix } from '../support/stack.js';

/** Zigzag varint of an integer (exact up to 2^53), as Avro writes longs. */
export function varint(n: number): Buffer {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  const out: number[] = [];
  while (z >= 128) {
    out.push((z % 128) | 0x80);
    z = Math.floor(z / 128);
  }
  out.push(z);
  return Buffer.from(out);
}

/** The Avro body of `value` up to (not including) `field`, then `tail`: a record that lies from `field` on. */
export function lieAt(name: AvroSchemaName, value: unknown, field: string, tail: Buffer): Buffer {
  const schema = avroSchemas[name] as { fields: { name: string }[] };
  const fields = schema.fields.slice(0, schema.fields.findIndex((f) => f.name === field));
  return Buffer.concat([avro.Type.forSchema({ ...(schema as object), fields } as avro.Schema, { wrapUnions: false }).toBuffer(value), tail]);
}

/** A step whose attributes map claims `count` entries in a few bytes (the record of the finding). */
export const mapCountStep = (value: unknown, count: number) => lieAt('agentStep', value, 'attributes', Buffer.concat([varint(count), Buffer.from('aaaa')]));

export interface SegmenterMember {
  segmenter: SegmenterHandle;
  ops: OpsServer;
  stop: () => Promise<void>;
}

/** A segmenter member on `rt`'s topics with its ops server (as main.ts wires it). */
export async function startSegmenterMember(rt: Runtime, groupId: string, policy: Partial<SegmenterPolicy> = {}): Promise<SegmenterMember> {
  const segmenter = await startSegmenter({ runtime: rt, groupId, policy: { ...DEFAULT_POLICY, learningWindowMs: 60_000, allowedLatenessMs: 60_000, ...policy }, idleMs: 60_000, idleGraceMs: 0, sessionTimeoutMs: 10_000 });
  const ops = await startOpsServer({ host: '127.0.0.1', port: 0, checks: { consumer: () => ({ ok: segmenter.runner.health().ready, details: segmenter.runner.health() }) } });
  return {
    segmenter,
    ops,
    stop: async () => {
      await segmenter.stop();
      await ops.close();
    },
  };
}

/** Polls /healthz every `everyMs` until stopped; each probe gives up after `timeoutMs`. */
export function healthProber(port: number, everyMs = 50, timeoutMs = 2_000) {
  const answers: { status: number | 'timeout' | 'error'; ms: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
        answers.push({ status: res.status, ms: performance.now() - started });
      } catch (error) {
        answers.push({ status: (error as Error).name === 'TimeoutError' ? 'timeout' : 'error', ms: performance.now() - started });
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    answers,
    stop: async () => {
      running = false;
      await loop;
      return answers;
    },
  };
}

/** A router and an inducer (as one deployment) on fresh topics where `template` was published first. */
export async function startWithTemplate(tag: string, template: Template): Promise<{ t: TestRouter; inducer: InducerHandle }> {
  const prefix = uniquePrefix(tag);
  const publisher = await testRuntime(`${tag}-publisher`, prefix);
  await createTopics(publisher.kafka, Object.values(publisher.topics));
  await publisher.producer.send([{ spec: publisher.topics.templates, value: template }]);
  await publisher.producer.disconnect();
  const t = await startTestRouter(tag, { prefix });
  const inducer = await startInducer({ runtime: t.runtime, groupId: `${prefix}inducer`, policy: DEFAULT_INDUCER_POLICY, sessionTimeoutMs: 10_000, tickMs: 200 });
  return { t, inducer };
}

