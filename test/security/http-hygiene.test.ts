// The router's HTTP boundary against abuse (issue 11, findings 6 and 10), on real Kafka:
// a ReDoS slot pattern answers promptly and does not hold another tenant's lookup; patterns
// a linear-time engine cannot run are refused at submission; a partial body is cut off by
// the request timeout; a schema 4,500 levels deep is a 4xx; bad report days are clean
// usage errors.
import net from 'node:net';
import { runCli } from '@praxis/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startTestRouter, type TestRouter } from '../router/support.js';

const TOOLS = { acme: { run_code: { type: 'object', properties: { code: { type: 'string' } } } }, globex: { run_code: { type: 'object', properties: { code: { type: 'string' } } } } };
const workflow = (pattern: string) => ({
  name: `code ${pattern}`,
  triggerExamples: ['run the code aaaa'],
  slots: [{ name: 'code', schema: { type: 'string', pattern } }],
  steps: [{ toolName: 'run_code', params: { code: '{{slots.code}}' } }],
});

/** Sends raw bytes and resolves with what came back once the server closed the connection. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = '';
    socket.on('data', (d) => (received += d.toString()));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('the router HTTP boundary', () => {
  let t: TestRouter;

  beforeAll(async () => {
    t = await startTestRouter('http-hygiene', { env: { ROUTER_TOOLS: JSON.stringify(TOOLS), ROUTER_REQUEST_TIMEOUT_MS: '1000' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers a ReDoS slot pattern at once, and another tenant is not held behind it', async () => {
    expect((await t.call('POST', '/v1/workflows', workflow('^(a+)+$'))).status).toBe(201);
    expect((await t.call('POST', '/v1/workflows', workflow('^(a+)+$'), KEYS.globex)).status).toBe(201);
    // 33 a's and a b: 2^33 backtracking steps on a native engine (75 s in the report), one pass on RE2
    const hostile = t.call('POST', '/v1/lookup', { query: `run the code "${'a'.repeat(33)}b"`, agentId: 'bot' });
    const other = t.call('POST', '/v1/lookup', { query: 'run the code "aaaa"', agentId: 'bot' }, KEYS.globex);
    const [h, o] = await Promise.all([hostile, other]);
    expect(h.status).toBe(200);
    expect(h.body.workflow?.bindings ?? {}).not.toHaveProperty('code');
    expect(o.status).toBe(200);
    expect(o.body.workflow.bindings).toEqual({ code: 'aaaa' });
  });

  it.each([
    ['a backreference', '^(a)\\1$', /backreferences/],
    ['a lookahead', '^(?=.*\\d).+$', /lookaround/],
  ])('refuses a pattern with %s at submission with a 4xx and the reason', async (_what, pattern, reason) => {
    const res = await t.call('POST', '/v1/workflows', workflow(pattern));
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('forbidden_content');
    expect(JSON.stringify(res.body.issues)).toMatch(reason);
  });

  it('refuses a slot schema 4,500 levels deep with a 4xx, not a 500', async () => {
    // written by hand: JSON.stringify itself overflows at this depth
    const schema = `${'{"type":"array","items":'.repeat(4_500)}{"type":"string"}${'}'.repeat(4_500)}`;
    const body = `{"name":"deep","triggerExamples":["x"],"slots":[{"name":"code","schema":${schema}}],"steps":[{"toolName":"run_code","params":{"code":"{{slots.code}}"}}]}`;
    const res = await t.call('POST', '/v1/workflows', body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.message).toMatch(/nested deeper|too large/);
  });

  it('cuts off a partial body at the request timeout with 408 and closes the connection', async () => {
    const port = new URL(t.router.url).port;
    const head = `POST /v1/lookup HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${KEYS.acme}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n`;
    const answer = await rawExchange(Number(port), `${head}{"query": "where is`);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // the router still serves everyone else
    expect((await t.call('GET', '/v1/workflows')).status).toBe(200);
  });

  it('gives clean usage errors for report days that do not exist or cannot be stored', async () => {
    for (const [day, message] of [
      ['0000-01-01', /--from must be a day between 1970-01-01 and 2106-02-06/],
      ['2026-02-30', /--from must be a calendar day like 2026-11-01 \(got "2026-02-30"\)/],
    ] as const) {
      const err: string[] = [];
      const code = await runCli(['report', '--tenant', 'acme', '--from', day], { out: () => undefined, err: (s) => err.push(s), env: {} });
      expect(code).toBe(2);
      expect(err.join('\n')).toMatch(message);
      expect(err.join('\n')).not.toMatch(/\n\s+at /);
    }
  });
});
