// Ingest over HTTP against a real router and Kafka: POST /v1/steps and POST /v1/traces
// (OTLP JSON GenAI spans). The tenant is the key's, bad input is a 400 with reasons that
// writes nothing, and every accepted step is on the steps topic.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { AgentStep } from '@praxis/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll } from '../learning/support.js';
import { KEYS, startTestRouter, type TestRouter } from '../router/support.js';

const example = new URL('../../docs/examples/ingest.py', import.meta.url).pathname;
const otlp = readFileSync(new URL('../fixtures/formats/otel-genai.json', import.meta.url), 'utf8');
const NOW = Date.now();
const step = (session: string, seq: number, extra: Record<string, unknown> = {}) => ({
  eventId: `${session}-${seq}`,
  agentId: 'py-agent',
  sessionId: session,
  taskId: `task-${session}`,
  seq,
  kind: seq === 0 ? 'QUERY' : 'TOOL_CALL',
  timestampMs: NOW + seq,
  ...(seq === 0 ? { query: `look up order ${session}` } : { toolName: 'lookup_order', parametersJson: JSON.stringify({ orderId: session }), resultJson: '{"status":"shipped"}' }),
  ...extra,
});

describe('HTTP ingest', () => {
  let t: TestRouter;
  const onTopic = async () => (await readAll<AgentStep>(t.runtime, t.runtime.topics.steps)).map((r) => r.value!);

  beforeAll(async () => {
    t = await startTestRouter('ingest');
  });
  afterAll(async () => t?.stop());

  it('needs a key', async () => {
    for (const key of [null, 'not-a-key']) {
      const res = await t.call('POST', '/v1/steps', { steps: [step('s-anon', 0)] }, key);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('unauthorized');
    }
  });

  it('accepts batches for the key tenant, refuses bad ones with reasons, and loses nothing', async () => {
    const accepted: string[] = [];
    for (let b = 0; b < 5; b++) {
      const steps = Array.from({ length: 4 }, (_, s) => Array.from({ length: 5 }, (_, seq) => step(`b${b}s${s}`, seq))).flat();
      const res = await t.call('POST', '/v1/steps', { steps });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ accepted: 20, tenantId: 'acme' });
      accepted.push(...steps.map((s) => s.eventId));
    }
    const bad = await t.call('POST', '/v1/steps', { steps: [step('bad', 0), step('bad', 1, { toolName: null }), step('bad', 2, { parametersJson: 'not json' })] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_body');
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['steps.1.toolName', 'steps.2.parametersJson']);
    const forged = await t.call('POST', '/v1/steps', { steps: [step('forged', 0, { tenantId: 'globex' })] });
    expect(forged.status).toBe(400);
    expect(forged.body.message).toMatch(/steps\.0\.tenantId: is set from the API key/);
    expect((await t.call('POST', '/v1/steps', { steps: [] })).status).toBe(400);
    expect((await t.call('POST', '/v1/steps', '{"steps": [', KEYS.acme)).status).toBe(400);
    const globex = await t.call('POST', '/v1/steps', { steps: [step('g1', 0), step('g1', 1)] }, KEYS.globex);
    expect(globex.body).toEqual({ accepted: 2, tenantId: 'globex' });

    const records = await onTopic();
    const byId = new Map(records.map((r) => [r.eventId, r]));
    expect(accepted.filter((id) => !byId.has(id))).toEqual([]);
    expect(records.filter((r) => r.sessionId.startsWith('b')).length).toBe(accepted.length);
    expect(records.filter((r) => r.sessionId.startsWith('b')).every((r) => r.tenantId === 'acme')).toBe(true);
    expect(records.filter((r) => r.sessionId === 'g1').map((r) => r.tenantId)).toEqual(['globex', 'globex']);
    expect(records.some((r) => r.sessionId === 'bad' || r.sessionId === 'forged' || r.sessionId === 's-anon')).toBe(false);
  });

  it('takes OTLP JSON GenAI spans: steps of the key tenant, refused spans as partial success', async () => {
    const res = await t.call('POST', '/v1/traces', otlp, KEYS.globex);
    expect(res.status).toBe(200);
    expect(res.body.partialSuccess).toMatchObject({ rejectedSpans: 1, errorMessage: expect.stringMatching(/needs gen_ai.tool.name/) });
    const protobuf = await fetch(`${t.router.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.globex}`, 'content-type': 'application/x-protobuf' }, body: new Uint8Array([10, 0]) });
    expect(protobuf.status).toBe(415);
    const notOtlp = await t.call('POST', '/v1/traces', { spans: [] }, KEYS.globex);
    expect(notOtlp.status).toBe(400);

    const fromSpans = (await onTopic()).filter((r) => r.agentId === 'travel');
    expect(fromSpans.filter((r) => r.kind === 'TOOL_CALL').map((r) => r.toolName).sort()).toEqual(['book_flight', 'book_flight', 'search_flights', 'search_hotels']);
    expect(fromSpans.every((r) => r.tenantId === 'globex')).toBe(true);
    expect(fromSpans.find((r) => r.kind === 'QUERY' && r.query?.includes('SFO'))).toBeDefined();
    // The same export again is the same events: a retrying exporter does not duplicate work downstream.
    await t.call('POST', '/v1/traces', otlp, KEYS.globex);
    const again = (await onTopic()).filter((r) => r.agentId === 'travel');
    expect(new Set(again.map((r) => r.eventId))).toEqual(new Set(fromSpans.map((r) => r.eventId)));
  });

  it('the Python example of docs/ingest.md records a task (stdlib only)', async () => {
    const { stdout } = await promisify(execFile)('python3', [example], { env: { PATH: process.env.PATH ?? '', PRAXIS_URL: t.router.url, PRAXIS_KEY: KEYS.acme }, timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({ accepted: 3, tenantId: 'acme' });
    const recorded = (await onTopic()).filter((r) => r.agentId === 'py-agent' && r.kind === 'TASK_END');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ tenantId: 'acme', taskOutcome: 'SUCCEEDED' });
    const bad = await promisify(execFile)('python3', [example], { env: { PATH: process.env.PATH ?? '', PRAXIS_URL: t.router.url, PRAXIS_KEY: 'wrong' } }).catch((e: { stderr: string; code: number }) => e);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('401: unknown API key') });
  });
});
