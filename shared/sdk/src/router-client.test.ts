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

  it('goes to the router shard a 421 names, once, and stays there', async () => {
    const seen: string[] = [];
    const f: typeof fetch = async (url) => {
      seen.push(String(url));
      if (String(url).startsWith('http://shard-0')) return new Response(JSON.stringify({ error: 'misdirected', message: 'tenant t is served by router shard 1 of 2' }), { status: 421, headers: { 'x-praxis-shard': '1', 'x-praxis-shard-url': 'http://shard-1/' } });
      return new Response(JSON.stringify({ items: [], total: 0, nextCursor: null }), { status: 200 });
    };
    const client = new RouterClient({ baseUrl: 'http://shard-0', apiKey: 'k', fetch: f });
    await client.listTemplates();
    await client.listTemplates();
    expect(seen).toEqual(['http://shard-0/v1/templates', 'http://shard-1/v1/templates', 'http://shard-1/v1/templates']);
    expect(client.baseUrl).toBe('http://shard-1');
  });

  it('a 421 without a URL, or naming itself, is the caller\'s error, not a loop', async () => {
    for (const headers of [{ 'x-praxis-shard': '1' } as Record<string, string>, { 'x-praxis-shard': '1', 'x-praxis-shard-url': 'http://shard-0' }, { 'x-praxis-shard-url': 'file:///etc/passwd' }]) {
      let calls = 0;
      const f: typeof fetch = async () => {
        calls++;
        return new Response(JSON.stringify({ error: 'misdirected', message: 'served by router shard 1 of 2' }), { status: 421, headers });
      };
      const client = new RouterClient({ baseUrl: 'http://shard-0', apiKey: 'k', fetch: f });
      await expect(client.lookup({ query: 'q', agentId: 'a' })).rejects.toMatchObject({ status: 421, code: 'misdirected' });
      expect(calls).toBe(1);
    }
  });
});
