import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Embedder } from './embedder.js';
import { HashingEmbedder } from './hashing.js';
import { StoredEmbedder, VectorStore } from './vector-store.js';

const dir = mkdtempSync(join(tmpdir(), 'praxis-vectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The hashing embedder, counting what it embeds, under a version of our choosing. */
class Counting implements Embedder {
  readonly id = 'counting';
  readonly dim = 64;
  embedded = 0;
  private readonly inner = new HashingEmbedder(64);
  constructor(readonly version: string) {}
  async embed(texts: string[]): Promise<Float32Array[]> {
    this.embedded += texts.length;
    return this.inner.embed(texts);
  }
}

describe('stored vectors (a restart does not embed again)', () => {
  const texts = ['cancel my order', 'where is my parcel', 'refund the last invoice'];

  it('a second process reads the vectors the first stored, and embeds only the new texts', async () => {
    const first = new Counting('w1');
    const storeA = VectorStore.open(dir);
    const a = await new StoredEmbedder(first, storeA).embed(texts);
    await storeA.close();
    expect(first.embedded).toBe(3);

    const second = new Counting('w1');
    const storeB = VectorStore.open(dir);
    const embedder = new StoredEmbedder(second, storeB);
    const b = await embedder.embed([...texts, 'a new request']);
    expect(second.embedded).toBe(1);
    expect(storeB.counts).toEqual({ stored: 3, embedded: 1 });
    expect(b.slice(0, 3)).toEqual(a);
    await storeB.close();
  });

  it('vectors of another version of the embedder are not reused', async () => {
    const other = new Counting('w2');
    const store = VectorStore.open(dir);
    await new StoredEmbedder(other, store).embed(texts);
    expect(other.embedded).toBe(3);
    await store.close();
  });
});
