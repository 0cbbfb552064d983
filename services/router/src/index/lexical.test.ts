import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../embedding/hashing.js';
import { contentTokens, maskEntities } from '../text.js';
import { TermStats } from './lexical.js';
import { VectorIndex } from './vector-index.js';

const embedder = new HashingEmbedder(256);
const example = (text: string) => ({ text, tokens: contentTokens(maskEntities(text)), vector: embedder.embedOne(text) });

describe('lexical coverage', () => {
  it('weights the query words by how rare they are among the templates', () => {
    const terms = new TermStats();
    terms.set('a', ['cancel', 'meet', 'next']);
    terms.set('b', ['cancel', 'meet', 'futur']);
    terms.set('c', ['send', 'email']);
    // "next" is in one template, "cancel" in two: sharing the rare word covers more of the query
    expect(terms.coverage(['cancel', 'next'], 'a')).toBeGreaterThan(terms.coverage(['cancel', 'next'], 'b'));
    expect(terms.coverage(['cancel', 'next'], 'a')).toBeCloseTo(1, 9);
    expect(terms.coverage(['cancel', 'next'], 'c')).toBe(0);
    terms.remove('a');
    // once the only template with "next" is gone, no candidate covers it
    expect(terms.coverage(['cancel', 'next'], 'b')).toBeLessThan(1);
    expect(terms.coverage(['cancel'], 'missing')).toBe(0);
  });

  it('ranks the template that covers the query above one whose example is merely closer in cosine', () => {
    const index = new VectorIndex();
    // extra detail in the right template's example costs it cosine
    index.upsert('with-person', [example('since <value> is off sick with the flu this whole week, please cancel the next standup with them')]);
    index.upsert('named-meeting', [example('cancel the next <value> meeting')]);
    // "meeting" is common among the tenant's templates, "standup" is not
    for (let i = 0; i < 10; i++) index.upsert(`other-${i}`, [example(`send the weekly meeting report number ${'abcdefghij'[i]} to finance`)]);
    const q = example('cancel the next standup meeting');
    const plain = index.search(q.vector, q.tokens, 2, () => true);
    const ranked = index.rank(q.vector, q.tokens, 2, () => true);
    expect(plain[0]!.templateId).toBe('named-meeting');
    expect(ranked[0]!.templateId).toBe('with-person');
    // cosine stays what the tiers read; the blend is the score
    for (const h of ranked) expect(h.similarity).toBe(plain.find((p) => p.templateId === h.templateId)?.similarity ?? h.similarity);
    expect(ranked[0]!.score).toBeGreaterThanOrEqual(ranked[1]!.score!);
    expect(index.rank(q.vector, q.tokens, 2, () => true, undefined, { depth: 24, lexicalWeight: 0, unboundSlotPenalty: 0, unboundSlotCandidates: 0, unboundSimilarityPenalty: 0, ownReadingCandidates: 0, ownReadingReach: 0, toolWordWeight: 0, toolWordReach: 0, toolWordCandidates: 0 }).map((h) => h.templateId)).toEqual(plain.map((h) => h.templateId));
  });
});
