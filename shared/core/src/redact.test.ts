import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyWords, luhnValid, redact, redactStepRecord, Redactor, redactText, redactTrajectoryRecord } from './redact.js';

interface Corpus {
  keys: { id: string; key: string; secret: string }[];
  texts: { id: string; text: string; secret: string }[];
  keep: { id: string; key?: string; value?: unknown; text?: string }[];
}
const corpus = JSON.parse(readFileSync(new URL('../../../test/security/fixtures/secret-corpus.json', import.meta.url), 'utf8')) as Corpus;

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

  it('replaces secret-looking substrings anywhere, keeping what names them', () => {
    expect(r.text('call with Bearer abc.def-123 now')).toBe('call with Bearer [REDACTED] now');
    expect(r.text('key sk-abcdefghijklmnopqrstu and AKIAABCDEFGHIJKLMNOP')).toBe('key [REDACTED] and [REDACTED]');
    expect(r.text('https://x.io/cb?token=abc123&user=bob')).toBe('https://x.io/cb?token=[REDACTED]&user=bob');
    expect(r.text('jwt eyJhbGciOi.eyJzdWIiOiIx.SflKxwRJSM')).toBe('jwt [REDACTED]');
    expect(r.text('postgres://admin:pw123@db:5432/x')).toBe('postgres://admin:[REDACTED]@db:5432/x');
    expect(r.text('api_key=sk-abcdefghijklmnopqrstu')).toBe('api_key=[REDACTED]');
  });

  it('removes every secret of the committed corpus, under its key and in text', () => {
    for (const { id, key, secret } of corpus.keys) {
      expect(JSON.stringify(r.value({ outer: { [key]: secret } })), id).not.toContain(secret);
      expect(r.text(`${key}=${secret}`), `${id} as text`).not.toContain(secret);
    }
    for (const { id, text, secret } of corpus.texts) {
      const out = r.text(text);
      expect(out, id).not.toContain(secret);
      expect(out, id).toContain('[REDACTED]');
      // inside JSON values too
      expect(JSON.stringify(r.value({ note: text })), id).not.toContain(secret);
    }
  });

  it('keeps what only looks like a secret: token counts, dates, timestamps, ids, invalid card numbers', () => {
    for (const k of corpus.keep) {
      if (k.key) expect(r.value({ [k.key]: k.value }), k.id).toEqual({ [k.key]: k.value });
      if (k.text) expect(r.text(k.text), k.id).toBe(k.text);
    }
  });

  it('splits keys into words and checks card numbers with Luhn', () => {
    expect(keyWords('passwordConfirmation')).toEqual(['password', 'confirmation']);
    expect(keyWords('AWS_SECRET_ACCESS_KEY')).toEqual(['aws', 'secret', 'access', 'key']);
    expect(keyWords('x-api-key')).toEqual(['x', 'api', 'key']);
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('redacts step and trajectory records field by field, JSON text as JSON', () => {
    const step = redactStepRecord({ query: 'my password is pw1234567', parametersJson: '{"pin":"1234","city":"Paris"}', resultJson: 'not json sk-abcdefghijklmnopqrstu', errorMessage: 'token=abcdef1', attributes: { secret: 'x', region: 'eu' }, kind: 'TOOL_CALL' });
    expect(step).toEqual({ query: 'my password is [REDACTED]', parametersJson: '{"pin":"[REDACTED]","city":"Paris"}', resultJson: 'not json [REDACTED]', errorMessage: 'token=[REDACTED]', attributes: { secret: '[REDACTED]', region: 'eu' }, kind: 'TOOL_CALL' });
    const t = redactTrajectoryRecord({ query: 'card 4111111111111111', steps: [{ parametersJson: '{"password":"p"}', errorMessage: null }] });
    expect(t).toEqual({ query: 'card [REDACTED]', steps: [{ parametersJson: '{"password":"[REDACTED]"}', errorMessage: null }] });
  });

  it('offers the default redactor as functions', () => {
    expect(redactText('Password: abc12345')).toBe('Password: [REDACTED]');
    expect(redact({ pwd: 'x', n: 1 })).toEqual({ pwd: '[REDACTED]', n: 1 });
  });

  it('takes extra key and value patterns', () => {
    const custom = new Redactor({ extraKeys: [/^memberNo$/i], extraValues: [/\bEMP-\d{6}\b/], replacement: '***' });
    expect(custom.value({ memberNo: '1234', note: 'employee EMP-123456' })).toEqual({ memberNo: '***', note: 'employee ***' });
  });

  it('stays linear on hostile input', () => {
    // quadratic backtracking on a native engine; one pass on RE2
    const hostile = `${'a'.repeat(50_000)}=`;
    expect(r.text(hostile)).toBe(hostile);
    expect(r.text(`password${'_'.repeat(50_000)}`)).toContain('password');
  });
});

describe('assignments in text', () => {
  const r = new Redactor();
  it('finds a secret name right after a name that is none, quoted values whole, scheme:// untouched', () => {
    expect(r.text('log me in: Password: pw12345')).toBe('log me in: Password: [REDACTED]');
    expect(r.text('note: https://x.io/cb?token=tk12345&user=bob')).toBe('note: https://x.io/cb?token=[REDACTED]&user=bob');
    expect(r.text(`{"password": "a b:c", "user": "bob"}`)).toBe(`{"password": [REDACTED], "user": "bob"}`);
    expect(r.text('password=ab:cd/ef next')).toBe('password=[REDACTED] next');
  });
});
