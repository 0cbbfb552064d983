// A bounded, seeded loopback fuzzer (issue 11): a few hundred generated requests against the
// router's HTTP API on real Kafka, and a few hundred mutated records through the topics' Avro
// decoders with the real registry. Properties: the router never answers 5xx and never hangs
// (each request is bounded by the request timeout plus a margin); a decoder either returns a
// value or throws the typed InvalidRecordError, nothing else. Same seed, same cases: a
// failure names its case number and can be replayed (PRAXIS_FUZZ_SEED, PRAXIS_FUZZ_CASES).
import { AvroSerde, InvalidRecordError, validateRecord } from '@praxis/kafka';
import { ROUTES } from '@praxis/router';
import { praxisTopics } from '@praxis/schemas';
import { makeAgentStep, makeFeedback, makeTemplate, makeTrajectory } from '@praxis/schemas/factories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startTestRouter, type TestRouter } from '../router/support.js';
import { stack } from '../support/stack.js';

const SEED = Number(process.env.PRAXIS_FUZZ_SEED ?? 20_261_201);
const CASES = Number(process.env.PRAXIS_FUZZ_CASES ?? 300);
const REQUEST_TIMEOUT_MS = 1_000;

/** mulberry32: a small seeded generator, so every run draws the same cases. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const STRINGS = ['', ' ', 'x', 'a'.repeat(5_000), '\u0000', '\ud800', '😀'.repeat(50), '{{slots.x}}', '${process.env}', '../../etc/passwd', '%00', '<script>', 'tpl-x', '__proto__', 'constructor', `${'a'.repeat(33)}b`, '2026-02-30', '0000-01-01'];
const NUMBERS = [0, -1, 1, 1e308, -1e308, 2 ** 53, -(2 ** 63), 0.5, 4_102_444_800_001, 946_684_799_999];

/** A random JSON value, nested at most `depth` levels. */
function value(r: Rng, depth: number): unknown {
  const kind = depth <= 0 ? r.int(4) : r.int(6);
  if (kind === 0) return r.pick(STRINGS);
  if (kind === 1) return r.pick(NUMBERS);
  if (kind === 2) return r.pick([true, false, null]);
  if (kind === 3) return r.pick(STRINGS) + r.int(1000);
  if (kind === 4) return Array.from({ length: r.int(4) }, () => value(r, depth - 1));
  return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick([...STRINGS.slice(0, 12), 'query', 'agentId', 'pattern', 'type']), value(r, depth - 1)]));
}

const VALID: Record<string, () => Record<string, unknown>> = {
  '/v1/lookup': () => ({ query: 'where is my order A-1001?', agentId: 'bot', context: { orderId: 'A-1' } }),
  '/v1/feedback': () => ({ executionId: 'ex-1', templateId: 'tpl-x', agentId: 'bot', outcome: 'failed', stepsTotal: 2, stepsCompleted: 1, failedStep: 1, durationMs: 10, errorMessage: 'boom' }),
  '/v1/workflows': () => ({ name: 'wf', triggerExamples: ['run it'], slots: [{ name: 's', schema: { type: 'string', pattern: '^[a-z]+$' } }], steps: [{ toolName: 'run_code', params: { code: '{{slots.s}}' } }] }),
};

/** A valid body with one field dropped, replaced or added. */
function mutatedBody(r: Rng, base: Record<string, unknown>): unknown {
  const body = structuredClone(base);
  const keys = Object.keys(body);
  const key = r.pick(keys);
  const op = r.int(3);
  if (op === 0) delete body[key];
  else if (op === 1) body[key] = value(r, 3);
  else body[r.pick(STRINGS)] = value(r, 2);
  return body;
}

/** Percent-encoding that also takes a lone surrogate (as the bytes of one, which is not UTF-8). */
const enc = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

interface HttpCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function httpCase(r: Rng): HttpCase {
  const route = r.chance(0.1) ? { method: r.pick(['GET', 'POST', 'PATCH', 'OPTIONS']), url: `/v1/${enc(r.pick(STRINGS))}` } : r.pick(ROUTES);
  let path = route.url.replace(/:(\w+)/g, () => enc(r.pick(STRINGS) || 'x'));
  if (r.chance(0.3)) path += `?${r.pick(['limit', 'offset', 'reason', 'agentId', 'status', 'x'])}=${enc(String(r.chance(0.5) ? r.pick(STRINGS) : r.pick(NUMBERS)))}`;
  const headers: Record<string, string> = {};
  const auth = r.next();
  if (auth < 0.6) headers.authorization = `Bearer ${KEYS.acme}`;
  else if (auth < 0.7) headers['x-api-key'] = KEYS.globex;
  else if (auth < 0.85) headers.authorization = r.pick(['Bearer', 'Bearer ', `Basic ${KEYS.acme}`, 'Bearer wrong-key']);
  let body: string | undefined;
  // fetch sends no body with GET (nor HEAD): bodies go with the other methods
  if (route.method === 'POST' || route.method === 'PUT' || (route.method !== 'GET' && r.chance(0.2))) {
    headers['content-type'] = r.chance(0.85) ? 'application/json' : r.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data']);
    const base = VALID[route.url] ?? VALID['/v1/workflows']!;
    const shape = r.int(6);
    if (shape <= 2) body = JSON.stringify(mutatedBody(r, base()));
    else if (shape === 3) body = JSON.stringify(value(r, 6));
    else if (shape === 4) body = JSON.stringify(base()).slice(0, r.int(60));
    else body = `${'['.repeat(40 + r.int(80))}${']'.repeat(40 + r.int(80))}`;
  }
  return { method: route.method, path, headers, body };
}

describe('fuzzing the router HTTP API', () => {
  let t: TestRouter;

  beforeAll(async () => {
    t = await startTestRouter('fuzz', { env: { ROUTER_TOOLS: JSON.stringify({ acme: { run_code: { type: 'object' } } }), ROUTER_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it(`answers ${CASES} generated requests (seed ${SEED}) without a 5xx or a hang`, async () => {
    const r = rng(SEED);
    const cases = Array.from({ length: CASES }, () => httpCase(r));
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < cases.length; i = next++) {
        const c = cases[i]!;
        try {
          const res = await fetch(`${t.router.url}${c.path}`, { method: c.method, headers: c.headers, body: c.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS + 4_000) });
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) failures.push(`case ${i}: ${c.method} ${c.path} -> ${res.status} ${text.slice(0, 200)}`);
          else if (res.status >= 400 && !/"error":"[a-z_]+"/.test(text)) failures.push(`case ${i}: ${res.status} without a JSON reason: ${text.slice(0, 200)}`);
        } catch (error) {
          failures.push(`case ${i}: ${c.method} ${c.path} -> ${(error as Error).name}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    expect(failures).toEqual([]);
    // the cases reach the handlers, not only the front door
    expect([...statuses.keys()].filter((s) => s >= 200 && s < 300).length).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(CASES / 10);
    expect((await t.call('GET', '/healthz', undefined, null)).status).toBe(200);
  });
});

describe('fuzzing the topics\' Avro decoders', () => {
  const serde = AvroSerde.forUrl(stack().registryUrl);
  const topics = praxisTopics(`fuzz-${Date.now().toString(36)}.`);
  const specs = [
    { spec: topics.steps, value: makeAgentStep() },
    { spec: topics.trajectories, value: makeTrajectory() },
    { spec: topics.templates, value: makeTemplate() },
    { spec: topics.feedback, value: makeFeedback() },
  ];

  /** One mutation of the Avro body (the 5-byte header keeps its schema id unless the case says otherwise). */
  function mutate(r: Rng, bytes: Buffer): Buffer {
    const header = bytes.subarray(0, 5);
    const body = Buffer.from(bytes.subarray(5));
    // random bytes without long runs of continuation bits: a crafted huge block count is the
    // bounded decoder's own test (test/security, "Ownership, time and decoding")
    const randomByte = () => (r.chance(0.2) ? 0x80 | r.int(0x80) : r.int(0x80));
    switch (r.int(8)) {
      case 0:
        for (let k = 0; k <= r.int(4); k++) if (body.length) body[r.int(body.length)]! ^= 1 << r.int(7);
        return Buffer.concat([header, body]);
      case 1:
        if (body.length) body[r.int(body.length)] = randomByte();
        return Buffer.concat([header, body]);
      case 2:
        return Buffer.concat([header, body.subarray(0, r.int(body.length + 1))]);
      case 3: {
        const at = r.int(body.length + 1);
        return Buffer.concat([header, body.subarray(0, at), Buffer.from(Array.from({ length: 1 + r.int(8) }, randomByte)), body.subarray(at)]);
      }
      case 4: {
        const at = r.int(body.length + 1);
        return Buffer.concat([header, body.subarray(0, at), body.subarray(Math.min(body.length, at + 1 + r.int(16)))]);
      }
      case 5:
        return Buffer.concat([header, body, Buffer.from(Array.from({ length: 1 + r.int(32) }, randomByte))]);
      case 6:
        return r.chance(0.5) ? Buffer.from(Array.from({ length: r.int(12) }, randomByte)) : Buffer.concat([Buffer.from([r.int(2) === 0 ? 1 : 0, 0x7f, 0xff, 0xff, 0xf0 - r.int(16)]), body]);
      default:
        return Buffer.concat([header, Buffer.alloc(r.int(body.length + 1))]);
    }
  }

  it(`decode a few hundred mutated records to a value or a typed InvalidRecordError (seed ${SEED})`, async () => {
    const r = rng(SEED + 1);
    const untyped: string[] = [];
    const outcomes = { decoded: 0, valid: 0, refused: 0 };
    for (const { spec, value } of specs) {
      const good = await serde.encode(spec, value);
      // the unmutated record round-trips
      expect(validateRecord(spec, spec.keyOf(value as never), await serde.decode(spec, good))).toBeTruthy();
      for (let i = 0; i < Math.ceil(CASES / 4); i++) {
        const bytes = mutate(r, good);
        try {
          const decoded = await serde.decode(spec, bytes);
          outcomes.decoded++;
          validateRecord(spec, spec.keyOf(value as never), decoded);
          outcomes.valid++;
        } catch (error) {
          if (error instanceof InvalidRecordError) outcomes.refused++;
          else untyped.push(`${spec.name} case ${i}: ${(error as Error).name}: ${(error as Error).message} (${bytes.toString('hex').slice(0, 80)})`);
        }
      }
    }
    expect(untyped).toEqual([]);
    expect(outcomes.refused).toBeGreaterThan(CASES / 4);
    expect(outcomes.decoded).toBeGreaterThan(0);
  });
});
