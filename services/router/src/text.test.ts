import { describe, expect, it } from 'vitest';
import { dot } from './embedding/embedder.js';
import { HashingEmbedder } from './embedding/hashing.js';
import { contentTokens, maskEntities, stem } from './text.js';

describe('entity masking', () => {
  it('replaces values by their kind so only the wording is compared', () => {
    expect(maskEntities('Refund order A-1001 to bob@example.com on 2026-11-02, 12.50 EUR')).toBe('refund order <id> to <email> on <date> , <num> eur');
    expect(maskEntities('ship "12 Main St" to https://x.io/a?b=1')).toBe('ship <str> to <url>');
    expect(maskEntities('Deploy pricing v3.12.6 to production.')).toBe('deploy pricing <id> to production.');
  });

  it('masks single-quoted strings as it masks double-quoted ones, but not apostrophes', () => {
    expect(maskEntities("make a task called 'Improve total visits' for raj")).toBe('make a task called <str> for raj');
    expect(maskEntities('book ‘Q3 review’ now')).toBe('book <str> now');
    expect(maskEntities("move Raj's leads, that's all, to the users' board")).toBe("move raj's leads, that's all, to the users' board");
  });

  it('stems the forms of a verb to one stem', () => {
    expect(new Set(['cancel', 'cancelled', 'cancelling', 'cancels', 'cancellation'].map(stem))).toEqual(new Set(['cancel']));
    expect(stem('orders')).toBe(stem('order'));
    expect(stem('addresses')).toBe(stem('address'));
  });

  it('keeps content words and negations, drops stop words', () => {
    expect(contentTokens(maskEntities("Please don't cancel my order A-1"))).toEqual(['not', 'cancel', 'order', '<id>']);
  });
});

describe('hashing embedder', () => {
  const e = new HashingEmbedder(256);
  const sim = async (a: string, b: string) => {
    const [x, y] = await e.embed([a, b]);
    return dot(x!, y!);
  };

  it('is deterministic and unit length', async () => {
    const [a, b] = await e.embed(['where is my order A-1001?', 'where is my order A-1001?']);
    expect([...a!]).toEqual([...b!]);
    expect(dot(a!, a!)).toBeCloseTo(1, 5);
  });

  it('ignores entity values and stop words, not meaning', async () => {
    expect(await sim('where is my order A-1001?', 'where is my order B-2002?')).toBeCloseTo(1, 5);
    expect(await sim('cancel my order A-1001', 'please cancel order B-22')).toBeGreaterThan(0.85);
    expect(await sim('where is my order A-1001?', 'what is the weather in Paris tomorrow')).toBeLessThan(0.2);
  });

  it('refuses a dimension that is not a power of two', () => {
    expect(() => new HashingEmbedder(300)).toThrow(/power of two/);
  });
});
