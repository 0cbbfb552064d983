import { describe, expect, it } from 'vitest';
import { RowBuffer, type BufferedRow } from './buffer.js';

const row = (topic: string, partition: number, offset: number, size = 10): BufferedRow => ({
  row: { table: 'steps', id: `${topic}-${partition}-${offset}`, row: {} },
  line: 'x'.repeat(size),
  source: { topic, partition, offset: String(offset) },
});
const limits = { maxRows: 4, maxBytes: 1_000, maxAgeMs: 500 };

describe('RowBuffer', () => {
  it('holds commits at the first buffered offset of each partition until flushed', () => {
    const b = new RowBuffer(limits);
    b.add([row('s', 0, 10), row('s', 0, 11)], { topic: 's', partition: 0, lastOffset: '12' }, 0);
    b.add([row('f', 1, 5)], { topic: 'f', partition: 1, lastOffset: '5' }, 0);
    expect(b.holdFor('s', 0)).toBe('10');
    expect(b.holdFor('f', 1)).toBe('5');
    expect(b.holdFor('s', 1)).toBeUndefined();
    expect(b.takeCommits()).toEqual([]);
    b.flushed();
    expect(b.holdFor('s', 0)).toBeUndefined();
    // everything received is released, including offset 12 that produced no row
    expect(b.takeCommits()).toEqual([
      { topic: 's', partition: 0, offset: '13' },
      { topic: 'f', partition: 1, offset: '6' },
    ]);
    expect(b.takeCommits()).toEqual([]);
  });

  it('is due when full by rows or bytes, or when its oldest row is old enough', () => {
    const b = new RowBuffer(limits);
    expect(b.isDue(10_000)).toBe(false);
    b.add([row('s', 0, 1)], { topic: 's', partition: 0, lastOffset: '1' }, 1_000);
    expect(b.isDue(1_499)).toBe(false);
    expect(b.isDue(1_500)).toBe(true);
    expect(b.hasRoomFor(3, 30)).toBe(true);
    expect(b.hasRoomFor(4, 30)).toBe(false);
    expect(b.hasRoomFor(1, 995)).toBe(false);
    b.add([row('s', 0, 2), row('s', 0, 3), row('s', 0, 4)], { topic: 's', partition: 0, lastOffset: '4' }, 1_100);
    expect(b.isFull()).toBe(true);
    const big = new RowBuffer(limits);
    expect(big.hasRoomFor(100, 10_000)).toBe(true); // an empty buffer takes any batch
    big.add([row('s', 0, 1, 1_000)], { topic: 's', partition: 0, lastOffset: '1' }, 0);
    expect(big.isFull()).toBe(true);
  });

  it('forgets rows and offsets of revoked partitions only', () => {
    const b = new RowBuffer(limits);
    b.add([row('s', 0, 1), row('s', 0, 2)], { topic: 's', partition: 0, lastOffset: '2' }, 0);
    b.add([row('s', 1, 7)], { topic: 's', partition: 1, lastOffset: '7' }, 0);
    expect(b.revoke([{ topic: 's', partition: 0 }])).toBe(2);
    expect(b.rows).toBe(1);
    expect(b.bytes).toBe(10);
    expect(b.holdFor('s', 0)).toBeUndefined();
    b.flushed();
    expect(b.takeCommits()).toEqual([{ topic: 's', partition: 1, offset: '8' }]);
  });

  it('gathers the next batch while one is written, and releases only what the written batch covered', () => {
    const b = new RowBuffer(limits);
    b.add([row('s', 0, 10), row('s', 0, 11)], { topic: 's', partition: 0, lastOffset: '11' }, 0);
    expect(b.beginFlush().map((e) => e.source.offset)).toEqual(['10', '11']);
    expect(() => b.beginFlush()).toThrow(/already/);
    b.add([row('s', 0, 12)], { topic: 's', partition: 0, lastOffset: '12' }, 5);
    expect([b.rows, b.inFlightRows]).toEqual([1, 2]);
    // commits stay behind the batch in flight
    expect(b.holdFor('s', 0)).toBe('10');
    b.flushed();
    expect(b.holdFor('s', 0)).toBe('12');
    expect(b.takeCommits()).toEqual([{ topic: 's', partition: 0, offset: '12' }]);
  });

  it('puts a failed batch back in front of the newer rows, holding commits at its first offset', () => {
    const b = new RowBuffer(limits);
    b.add([row('s', 0, 10)], { topic: 's', partition: 0, lastOffset: '10' }, 0);
    b.beginFlush();
    b.add([row('s', 0, 11)], { topic: 's', partition: 0, lastOffset: '11' }, 5);
    b.flushFailed(6);
    expect(b.contents().map((e) => e.source.offset)).toEqual(['10', '11']);
    expect([b.rows, b.inFlightRows, b.holdFor('s', 0)]).toEqual([2, 0, '10']);
    expect(b.takeCommits()).toEqual([]);
  });

  it('does not put back, nor release, rows of a partition revoked while their batch was written', () => {
    const b = new RowBuffer(limits);
    b.add([row('s', 0, 10)], { topic: 's', partition: 0, lastOffset: '10' }, 0);
    b.add([row('s', 1, 3)], { topic: 's', partition: 1, lastOffset: '3' }, 0);
    b.beginFlush();
    b.revoke([{ topic: 's', partition: 0 }]);
    b.flushFailed(1);
    expect(b.contents().map((e) => e.source.partition)).toEqual([1]);
    b.beginFlush();
    b.flushed();
    expect(b.takeCommits()).toEqual([{ topic: 's', partition: 1, offset: '4' }]);
  });
});
