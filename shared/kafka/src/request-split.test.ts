import { describe, expect, it } from 'vitest';
import { messageBytes, requestsOf } from './request-split.js';

const send = (id: string, ...sizes: number[]) => ({ id, messages: [{ topic: 't', messages: sizes.map((n) => ({ key: null, value: Buffer.alloc(n) })) }] });
const ids = (groups: { id: string }[][]) => groups.map((g) => g.map((p) => p.id));

describe('requestsOf', () => {
  it('keeps small sends in one request, in order', () => {
    expect(ids(requestsOf([send('a', 10), send('b', 10), send('c', 10)], 1_000))).toEqual([['a', 'b', 'c']]);
  });

  it('starts a new request before the bound is passed', () => {
    expect(ids(requestsOf([send('a', 400), send('b', 400), send('c', 400)], 1_000))).toEqual([['a', 'b'], ['c']]);
  });

  it('sends a send larger than the bound alone', () => {
    expect(ids(requestsOf([send('a', 10), send('big', 600, 600), send('c', 10)], 1_000))).toEqual([['a'], ['big'], ['c']]);
  });

  it('counts keys, values and headers', () => {
    expect(messageBytes({ key: 'abc', value: Buffer.alloc(10), headers: { h: 'xy', list: [Buffer.alloc(5), 'z'] } })).toBe(16 + 3 + 10 + 1 + 2 + 4 + 6);
    expect(requestsOf([], 1_000)).toEqual([]);
  });
});
