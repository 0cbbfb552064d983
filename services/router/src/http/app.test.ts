import { readFileSync } from 'node:fs';
import { createLogger } from '@praxis/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys, hashApiKey } from '../auth.js';
import { HashingEmbedder } from '../embedding/hashing.js';
import { Policies } from '../policy.js';
import { RateLimiter } from '../rate-limit.js';
import { RouterCore } from '../router-core.js';
import { MemorySink, template } from '../test-support/fixtures.js';
import { buildHttpApp } from './app.js';
import { HttpError } from './errors.js';
import { openApiDocument } from './openapi.js';

const KEY_A = 'key-of-acme';
const KEY_B = 'key-of-globex';
const sink = new MemorySink();
const core = new RouterCore({ embedder: new HashingEmbedder(), policies: new Policies({ limited: { rateLimitPerSecond: 1, rateLimitBurst: 2 } }), sink });
let ready = true;
const app = await buildHttpApp({
  env: { core, readiness: () => ({ status: ready ? 'ready' : 'not_ready', caughtUp: ready, lag: { '0': ready ? 0 : 5 }, templates: core.catalog.size, tenants: core.catalog.tenantCount }) },
  keys: new ApiKeys(new Map([[hashApiKey(KEY_A), 'acme'], [hashApiKey(KEY_B), 'globex'], [hashApiKey('key-limited'), 'limited']])),
  rateLimiter: new RateLimiter((t) => ({ perSecond: new Policies({ limited: { rateLimitPerSecond: 1, rateLimitBurst: 2 } }).of(t).rateLimitPerSecond, burst: new Policies({ limited: { rateLimitPerSecond: 1, rateLimitBurst: 2 } }).of(t).rateLimitBurst }), () => 0),
  logger: createLogger('router-test', 'silent'),
  bodyLimit: 16 * 1024,
  gate: () => (ready ? null : new HttpError(503, 'not_ready', 'catching up')),
});
beforeAll(async () => {
  await app.ready();
  await core.applyRecords([{ key: 'tpl-a', value: template({ templateId: 'tpl-a' }), partition: 0, offset: '0' }]);
});
afterAll(() => app.close());

const json = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, key: string | null = KEY_A, headers: Record<string, string> = {}) =>
  app.inject({ method, url, payload: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body), headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } });

const workflow = {
  name: 'track it',
  triggerExamples: ['where is my parcel A-1'],
  slots: [{ name: 'orderId', schema: { type: 'string', pattern: '^[A-Z]-\\d+$' } }],
  steps: [{ toolName: 'lookup_order', params: { orderId: '{{slots.orderId}}' } }, { toolName: 'get_tracking', params: { ref: '{{steps.0.order.carrierRef}}' } }],
};

describe('OpenAPI document', () => {
  it('is served, equals the checked-in file and the generated one', async () => {
    const served = (await json('GET', '/v1/openapi.json', undefined, null)).json();
    const checkedIn = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));
    expect(served).toEqual(checkedIn);
    expect(checkedIn).toEqual(openApiDocument()); // else: pnpm --filter @praxis/router openapi
  });

  it('covers every route the app serves', () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    for (const entry of documented) {
      const [method, path] = entry.split(' ') as [string, string];
      expect(app.hasRoute({ method: method as 'GET', url: path.replace(/\{(\w+)\}/g, ':$1') }), entry).toBe(true);
    }
    // and nothing is served that is not documented
    const expected = app.servedRoutes.map((r) => r.replace(/:(\w+)/g, '{$1}'));
    expect(documented.sort()).toEqual(expected.sort());
  });
});

describe('bad input', () => {
  it.each([
    ['malformed JSON', () => json('POST', '/v1/workflows', '{"name": "x",'), 400, 'invalid_json'],
    ['an empty body', () => json('POST', '/v1/lookup', ''), 400, 'invalid_json'],
    ['a missing field', () => json('POST', '/v1/workflows', { ...workflow, steps: undefined }), 400, 'invalid_body'],
    ['a lookup without a query', () => json('POST', '/v1/lookup', { agentId: 'a' }), 400, 'invalid_body'],
    ['an oversize body', () => json('POST', '/v1/workflows', { ...workflow, description: 'x'.repeat(20_000) }), 413, 'body_too_large'],
    ['a body that is not JSON', () => json('POST', '/v1/lookup', 'query=x', KEY_A, { 'content-type': 'text/plain' }), 415, 'unsupported_media_type'],
    ['an unknown tool', () => json('POST', '/v1/workflows', { ...workflow, steps: [{ toolName: 'rm_rf', params: {} }] }), 422, 'unknown_tool'],
    ['a bad reference', () => json('POST', '/v1/workflows', { ...workflow, steps: [{ toolName: 'lookup_order', params: { orderId: '{{steps.3.id}}' } }] }), 422, 'bad_reference'],
    ['an expression', () => json('POST', '/v1/workflows', { ...workflow, steps: [{ toolName: 'lookup_order', params: { orderId: '{{ eval(1) }}' } }] }), 422, 'forbidden_content'],
    ['prototype poisoning', () => json('POST', '/v1/workflows', '{"name":"x","__proto__":{"a":1}}'), 400, 'invalid_json'],
    ['no key', () => json('POST', '/v1/workflows', workflow, null), 401, 'unauthorized'],
    ['a wrong key', () => json('POST', '/v1/workflows', workflow, 'not-a-key'), 401, 'unauthorized'],
    ['a bad feedback', () => json('POST', '/v1/feedback', { executionId: 'e', templateId: 't', agentId: 'a', outcome: 'failed', stepsTotal: 2, stepsCompleted: 3, durationMs: 1 }), 400, 'invalid_body'],
    ['a bad query string', () => json('GET', '/v1/templates?limit=0'), 400, 'invalid_query'],
    ['an unknown route', () => json('GET', '/v1/nothing'), 404, 'not_found'],
    ['a body nested 4,500 levels deep', () => json('POST', '/v1/lookup', `{"query":"x","agentId":"a","context":{"a":${'['.repeat(4_500)}${']'.repeat(4_500)}}}`), 400, 'too_deep'],
    ['a slot schema nested 4,500 levels deep', () => json('POST', '/v1/workflows', `{"name":"deep","triggerExamples":["x"],"steps":[],"slots":[{"name":"s","schema":{"allOf":${'['.repeat(4_500)}${']'.repeat(4_500)}}}]}`), 400, 'too_deep'],
  ])('%s gets the right 4xx and a reason, and stores nothing', async (_name, call, status, error) => {
    const res = await call();
    expect(res.statusCode).toBe(status);
    const body = res.json();
    expect(body.error).toBe(error);
    expect(body.message.length).toBeGreaterThan(5);
    expect(sink.templates).toEqual([]);
    expect((await json('GET', '/v1/workflows')).json().items).toEqual([]);
  });

  it('names every problem of a body in issues', async () => {
    const res = await json('POST', '/v1/lookup', { query: '', agentId: 'a/b', extra: 1 });
    expect(res.json().issues.map((i: { path: string }) => i.path).sort()).toEqual(['(root)', 'agentId', 'query']);
  });
});

describe('tenants, keys and limits', () => {
  it('takes the key from x-api-key too', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/stats', headers: { 'x-api-key': KEY_A } })).json().tenantId).toBe('acme');
  });

  it('never shows one tenant\'s template to another: 404 on get and versions, absent from lists', async () => {
    expect((await json('GET', '/v1/templates/tpl-a')).statusCode).toBe(200);
    for (const url of ['/v1/templates/tpl-a', '/v1/templates/tpl-a/versions']) {
      const res = await json('GET', url, undefined, KEY_B);
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toBe('not_found');
    }
    expect((await json('DELETE', '/v1/templates/tpl-a', undefined, KEY_B)).statusCode).toBe(404);
    expect((await json('GET', '/v1/templates', undefined, KEY_B)).json()).toEqual({ items: [], total: 0, nextCursor: null });
    expect((await json('GET', '/v1/templates')).json().total).toBe(1);
  });

  it('limits each tenant with its own bucket, with retry-after', async () => {
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await json('GET', '/v1/stats', undefined, 'key-limited')).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    const res = await json('GET', '/v1/stats', undefined, 'key-limited');
    expect(res.headers['retry-after']).toBe('1');
    expect((await json('GET', '/v1/stats')).statusCode).toBe(200);
  });

  it('answers 503 with the lag while the index catches up, and readyz says why', async () => {
    ready = false;
    try {
      expect((await json('POST', '/v1/lookup', { query: 'x', agentId: 'a' })).statusCode).toBe(503);
      const readyz = await json('GET', '/readyz', undefined, null);
      expect(readyz.statusCode).toBe(503);
      expect(readyz.json()).toMatchObject({ status: 'not_ready', lag: { '0': 5 } });
    } finally {
      ready = true;
    }
    expect((await json('GET', '/readyz', undefined, null)).json()).toMatchObject({ status: 'ready', templates: 1 });
  });

  it('creates, reads, replaces and deletes a workflow', async () => {
    const created = await json('POST', '/v1/workflows', workflow);
    expect(created.statusCode).toBe(201);
    const id = created.json().template.templateId;
    expect((await json('POST', '/v1/workflows', workflow)).statusCode).toBe(409);
    expect((await json('GET', `/v1/workflows/${id}`, undefined, KEY_B)).statusCode).toBe(404);
    const replaced = await json('PUT', `/v1/workflows/${id}`, { ...workflow, triggerExamples: ['track my parcel A-1'] });
    expect(replaced.json().template.version).toBe(2);
    expect((await json('PUT', `/v1/workflows/${id}`, { ...workflow, name: 'renamed' })).json().error).toBe('invalid_body');
    expect((await json('DELETE', `/v1/workflows/${id}`)).json()).toEqual({ workflowId: id, deleted: true });
    expect((await json('GET', `/v1/workflows/${id}`)).statusCode).toBe(404);
    expect(sink.templates.map((r) => r.value?.version ?? null)).toEqual([1, 2, null]);
    sink.templates.length = 0;
  });
});
