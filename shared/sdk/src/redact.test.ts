import { describe, expect, it } from 'vitest';
import { Redactor } from './redact.js';

describe('redaction', () => {
  const r = new Redactor();

  it('replaces values under secret keys, at any depth, and keeps the rest', () => {
    expect(r.value({ user: 'bob', password: 'hunter2', auth: { apiKey: 'k', access_token: 't', maxTokens: 100 }, list: [{ client_secret: 's' }] })).toEqual({
      user: 'bob',
      password: '[REDACTED]',
      auth: { apiKey: '[REDACTED]', access_token: '[REDACTED]', maxTokens: 100 },
      list: [{ client_secret: '[REDACTED]' }],
    });
  });

  it('replaces secret-looking substrings anywhere', () => {
    expect(r.text('call with Bearer abc.def-123 now')).toBe('call with Bearer [REDACTED] now');
    expect(r.text('key sk-abcdefghijklmnopqrstu and AKIAABCDEFGHIJKLMNOP')).toBe('key [REDACTED] and [REDACTED]');
    expect(r.text('https://x.io/cb?token=abc123&user=bob')).toBe('https://x.io/cb?token=[REDACTED]&user=bob');
    expect(r.text('jwt eyJhbGciOi.eyJzdWIiOiIx.SflKxwRJSM')).toBe('jwt [REDACTED]');
  });

  it('takes extra key and value patterns', () => {
    const custom = new Redactor({ extraKeys: [/^pin$/i], extraValues: [/\b\d{4}-\d{4}-\d{4}-\d{4}\b/], replacement: '***' });
    expect(custom.value({ pin: '1234', note: 'card 1111-2222-3333-4444' })).toEqual({ pin: '***', note: 'card ***' });
  });
});
