import { describe, expect, it } from 'vitest';
import { dlqHeaders, readDlqHeaders, reasonClass } from './dlq.js';
import { commitOffsetFor, lagOf, minOffset, nextOffset } from './offsets.js';
import { backoffDelay, DEFAULT_BACKOFF, withRetry } from './retry.js';
import { decodeWire, encodeWire } from './wire.js';

describe('wire format', () => {
  it('round-trips schema id and body', () => {
    const framed = encodeWire(258, Buffer.from([1, 2, 3]));
    expect([...framed.subarray(0, 5)]).toEqual([0, 0, 0, 1, 2]);
    expect(decodeWire(framed)).toEqual({ schemaId: 258, body: Buffer.from([1, 2, 3]) });
  });

  it('refuses anything without the magic byte or too short', () => {
    expect(decodeWire(Buffer.from('{"json":true}'))).toBeNull();
    expect(decodeWire(Buffer.from([0, 0, 1]))).toBeNull();
  });
});

describe('offsets', () => {
  it('commits the next offset, or the handler hold when it is earlier', () => {
    expect(nextOffset('41')).toBe('42');
    expect(commitOffsetFor('41')).toBe('42');
    expect(commitOffsetFor('41', '17')).toBe('17');
    expect(commitOffsetFor('41', '99')).toBe('42');
  });

  it('works beyond 2^53', () => {
    expect(nextOffset('9007199254740993')).toBe('9007199254740994');
    expect(minOffset('9007199254740993', '9007199254740992')).toBe('9007199254740992');
  });

  it('computes lag against the high watermark, never negative', () => {
    expect(lagOf('100', '90')).toBe(10);
    expect(lagOf('100', '100')).toBe(0);
    expect(lagOf('5', '9')).toBe(0);
  });
});

describe('backoff', () => {
  it('grows by the factor up to the cap, jitter within bounds', () => {
    const policy = { ...DEFAULT_BACKOFF, jitter: 0 };
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, policy))).toEqual([100, 200, 400, 800]);
    expect(backoffDelay(20, policy)).toBe(5_000);
    const jittered = { ...DEFAULT_BACKOFF, jitter: 0.5 };
    expect(backoffDelay(0, jittered, () => 0)).toBe(50);
    expect(backoffDelay(0, jittered, () => 1)).toBe(150);
  });

  it('retries until success, and gives up after the attempts with the last error', async () => {
    const fast = { ...DEFAULT_BACKOFF, initialMs: 1, attempts: 3 };
    let calls = 0;
    await expect(withRetry(async () => { calls++; if (calls < 3) throw new Error(`boom ${calls}`); return 'ok'; }, fast)).resolves.toBe('ok');
    calls = 0;
    await expect(withRetry(async () => { calls++; throw new Error(`boom ${calls}`); }, fast)).rejects.toThrow('boom 3');
    expect(calls).toBe(3);
  });

  it('does not retry what is not retryable', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw new Error('fatal'); }, DEFAULT_BACKOFF, { retryable: () => false })).rejects.toThrow('fatal');
    expect(calls).toBe(1);
  });
});

describe('dead-letter headers', () => {
  it('keeps the original headers and adds reason, step and source position', () => {
    const headers = dlqHeaders(
      { topic: 'praxis.steps.v1', partition: 3, offset: '42', timestamp: '1700000000000' },
      { reason: 'validation: seq: must be >= 0', step: 'validate', service: 'segmenter' },
      Date.UTC(2026, 0, 1),
      { traceparent: 'abc' },
    );
    expect(headers.traceparent).toBe('abc');
    const read = readDlqHeaders(headers);
    expect(read).toMatchObject({ reason: 'validation: seq: must be >= 0', step: 'validate', topic: 'praxis.steps.v1', partition: 3, offset: '42', service: 'segmenter' });
    expect(read.failedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('caps very long reasons', () => {
    const headers = dlqHeaders({ topic: 't', partition: 0, offset: '0', timestamp: '0' }, { reason: 'x'.repeat(5000), step: 's', service: 'v' }, 0);
    expect(readDlqHeaders(headers).reason!.length).toBeLessThan(2100);
  });

  it('classifies reasons by their first word', () => {
    expect(reasonClass('validation: a: b')).toBe('validation');
    expect(reasonClass('not Avro wire format')).toBe('other');
    expect(reasonClass('key_mismatch: x')).toBe('key_mismatch');
  });
});
