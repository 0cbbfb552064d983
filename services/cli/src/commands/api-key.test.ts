import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCli } from '../main.js';

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {} } };
};

describe('praxis api-key', () => {
  it('hashes a given key the way the router checks it', async () => {
    const c = io();
    expect(await runCli(['api-key', 'acme', '--key', 'k-1', '--json'], c.io)).toBe(0);
    const printed = JSON.parse(c.out[0]!);
    expect(printed).toEqual({ tenant: 'acme', key: 'k-1', sha256: createHash('sha256').update('k-1').digest('hex'), entry: `acme:${printed.sha256}` });
  });

  it('makes a fresh key each time, and refuses a bad tenant', async () => {
    const a = io();
    const b = io();
    await runCli(['api-key', 'acme', '--json'], a.io);
    await runCli(['api-key', 'acme', '--json'], b.io);
    expect(JSON.parse(a.out[0]!).key).not.toBe(JSON.parse(b.out[0]!).key);
    const bad = io();
    expect(await runCli(['api-key', 'a:b'], bad.io)).toBe(2);
    expect(bad.err[0]).toMatch(/may not contain/);
  });
});
