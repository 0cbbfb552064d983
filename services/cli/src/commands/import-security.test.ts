// The import reaches the topics through the same transport settings as every service: an
// inconsistent SASL/TLS setting is refused before any connection is tried.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../main.js';

const sample = fileURLToPath(new URL('../../../../test/fixtures/formats/openai-chat.jsonl', import.meta.url));

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env } };
}

describe('praxis import --to-topics, transport security', () => {
  it('refuses a SASL mechanism without credentials, naming the variables', async () => {
    const c = io({ KAFKA_BROKERS: '127.0.0.1:1', KAFKA_SASL_MECHANISM: 'scram-sha-512' });
    expect(await runCli(['import', sample, '--to-topics'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/KAFKA_SASL_USERNAME/);
  });

  it('refuses an unknown mechanism', async () => {
    const c = io({ KAFKA_BROKERS: '127.0.0.1:1', KAFKA_SASL_MECHANISM: 'kerberos' });
    expect(await runCli(['import', sample, '--to-topics'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/KAFKA_SASL_MECHANISM.*must be plain, scram-sha-256 or scram-sha-512/);
  });
});
