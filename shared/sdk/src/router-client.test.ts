import { describe, expect, it } from 'vitest';
import { RouterClient, RouterRequestError } from './router-client.js';

const answer = (status: number, body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('router client', () => {
  it('falls back to plan when the router cannot answer', async () => {
    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    for (const f of [down, answer(503, { error: 'not_ready', message: 'catching up' }), answer(429, { error: 'rate_limited', message: 'slow down' }), answer(200, { nonsense: true })]) {
      const r = await new RouterClient({ baseUrl: 'http://router', apiKey: 'k', fetch: f }).lookup({ query: 'q', agentId: 'a' });
      expect(r).toMatchObject({ tier: 'plan', fallback: true, workflow: null });
      expect(r.reason).toMatch(/^router unavailable/);
    }
  });

  it('throws the router\'s reason for bad input or a bad key', async () => {
    const client = new RouterClient({ baseUrl: 'http://router', apiKey: 'k', fetch: answer(401, { error: 'unauthorized', message: 'unknown API key' }) });
    await expect(client.lookup({ query: 'q', agentId: 'a' })).rejects.toThrow(RouterRequestError);
    await expect(client.stats()).rejects.toMatchObject({ status: 401, code: 'unauthorized', message: 'unknown API key' });
  });

  it('sends the key and the body', async () => {
    let seen: { url: string; init: RequestInit } | undefined;
    const f: typeof fetch = async (url, init) => {
      seen = { url: String(url), init: init! };
      return new Response(JSON.stringify({ items: [], total: 0, nextCursor: null }), { status: 200 });
    };
    await new RouterClient({ baseUrl: 'http://router/', apiKey: 'secret', fetch: f }).listTemplates({ limit: 5, status: 'ACTIVE' });
    expect(seen!.url).toBe('http://router/v1/templates?limit=5&status=ACTIVE');
    expect((seen!.init.headers as Record<string, string>).authorization).toBe('Bearer secret');
  });
});
