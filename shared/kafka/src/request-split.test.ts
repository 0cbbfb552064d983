import { describe, expect, it } from 'vitest';
import { messageBytes, partsOf, requestsOf } from './request-split.js';

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

describe('partsOf', () => {
  const sizes = (parts: ReturnType<typeof partsOf>) => parts.map((p) => p.map((tm) => `${tm.topic}:${tm.messages.map((m) => (m.value as Buffer).length).join(',')}`));

  it('keeps a send that fits whole', () => {
    expect(sizes(partsOf(send('a', 100, 100).messages, 1_000))).toEqual([['t:100,100']]);
  });

  it('cuts a send above the bound into parts under it, in order, across topics', () => {
    const messages = [...send('a', 400, 400, 400).messages, { topic: 'u', messages: [{ key: null, value: Buffer.alloc(400) }, { key: null, value: Buffer.alloc(100) }] }];
    expect(sizes(partsOf(messages, 1_000))).toEqual([['t:400,400'], ['t:400', 'u:400,100']]);
  });

  it('gives a message above the bound a part of its own', () => {
    expect(sizes(partsOf(send('a', 10, 2_000, 10).messages, 1_000))).toEqual([['t:10'], ['t:2000'], ['t:10']]);
  });
});
