import { describe, expect, it } from 'vitest';
import { calibrationFor, DEFAULT_POLICY, Policies } from './policy.js';
import { band, decideTier } from './tiering.js';

const facts = { similarity: 0.9, confidence: 0.9, status: 'ACTIVE' as const, belowThreshold: false, missingSlots: [], entityConflicts: [] };

describe('tiers', () => {
  it('names the band and its thresholds', () => {
    const p = { ...DEFAULT_POLICY, reuseSimilarity: 0.88, rewriteSimilarity: 0.56 };
    expect(band(0.9, p)).toBe('reuse band (0.90 >= 0.88)');
    expect(band(0.62, p)).toBe('rewrite band (0.56 <= 0.62 < 0.88)');
    expect(band(0.3, p)).toBe('plan band (0.30 < 0.56)');
  });

  it('says which checks decided', () => {
    expect(decideTier(facts, DEFAULT_POLICY).decidedBy).toEqual(['every reuse condition']);
    const review = decideTier({ ...facts, similarity: 0.7, entityConflicts: [{ kind: 'action', detail: 'the query asks to return; the template does exchange' }] }, DEFAULT_POLICY);
    expect(review).toMatchObject({ tier: 'rewrite', decidedBy: ['reuseSimilarity', 'structural check (review)'] });
    expect(decideTier(null, DEFAULT_POLICY, 0.2).decidedBy).toEqual(['rewriteSimilarity']);
  });
});

describe('threshold precedence', () => {
  const calibrated = { embedder: 'emb-1', reuseSimilarity: 0.9, rewriteSimilarity: 0.6, source: 'test' };

  it('uses the thresholds calibrated for the embedder unless a policy sets its own', () => {
    const p = new Policies({ globex: { reuseSimilarity: 0.95 }, initech: { rateLimitPerSecond: 5 } }, calibrated);
    expect(p.of('acme')).toMatchObject({ reuseSimilarity: 0.9, rewriteSimilarity: 0.6 });
    expect(p.thresholdsOf('acme')).toBe('thresholds calibrated for emb-1');
    expect(p.of('globex')).toMatchObject({ reuseSimilarity: 0.95, rewriteSimilarity: 0.6 });
    expect(p.thresholdsOf('globex')).toBe("thresholds of globex's policy");
    expect(p.thresholdsOf('initech')).toBe('thresholds calibrated for emb-1');
    expect(new Policies({ '*': { rewriteSimilarity: 0.5 } }, calibrated).thresholdsOf('acme')).toBe('thresholds of the "*" policy');
    expect(new Policies({}).thresholdsOf('acme')).toBe('uncalibrated default thresholds');
  });

  it('has calibrated thresholds for the hashing embedder, and none for an unknown one', () => {
    expect(calibrationFor('hashing-v1-256')).toMatchObject({ embedder: 'hashing-v1-256', reuseSimilarity: expect.any(Number), rewriteSimilarity: expect.any(Number) });
    expect(calibrationFor('no-such-embedder')).toBeUndefined();
  });
});
