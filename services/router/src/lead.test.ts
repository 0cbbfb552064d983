import { describe, expect, it } from 'vitest';
import { leadOf } from './lead.js';
import { DEFAULT_POLICY } from './policy.js';
import { decideTier } from './tiering.js';

const policy = { ...DEFAULT_POLICY, rewriteSimilarity: 0.57, reuseSimilarity: 0.85, leadBelowRewrite: 0.12, leadMargin: 0.25 };
const cand = (similarity: number, signature: string[], cosine = similarity) => ({ similarity, cosine, signature });
const yes = () => true;

describe('leadOf (a clear lead below the rewrite band)', () => {
  it('admits a top candidate within the window, far ahead of every template of other calls, every slot bound', () => {
    expect(leadOf(cand(0.5, ['search', 'delete']), [cand(0.24, ['search', 'update']), cand(0.2, ['add'])], yes, policy)).toEqual({ margin: expect.closeTo(0.26, 5), rival: 0.24 });
  });

  it('ignores templates of the same calls: they are the same answer, not a rival', () => {
    expect(leadOf(cand(0.5, ['search', 'delete']), [cand(0.49, ['search', 'delete']), cand(0.2, ['add'])], yes, policy)?.rival).toBe(0.2);
  });

  it('reads a rival at its cosine, not at a similarity lowered for its unbound slots', () => {
    expect(leadOf(cand(0.5, ['a']), [cand(0.2, ['b'], 0.3)], yes, policy)).toBeNull();
  });

  it('refuses a lead that is too small, a candidate too far under the band or already in it, and one with a slot unbound', () => {
    expect(leadOf(cand(0.5, ['a']), [cand(0.26, ['b'])], yes, policy)).toBeNull();
    expect(leadOf(cand(0.44, ['a']), [cand(0.1, ['b'])], yes, policy)).toBeNull();
    expect(leadOf(cand(0.6, ['a']), [cand(0.1, ['b'])], yes, policy)).toBeNull();
    expect(leadOf(cand(0.5, ['a']), [cand(0.1, ['b'])], () => false, policy)).toBeNull();
  });

  it('asks for the binding only when everything else admits the candidate (the extraction is the costly part)', () => {
    let asked = 0;
    const bound = () => (asked++, true);
    leadOf(cand(0.5, ['a']), [cand(0.4, ['b'])], bound, policy);
    leadOf(cand(0.3, ['a']), [], bound, policy);
    expect(asked).toBe(0);
    leadOf(cand(0.5, ['a']), [], bound, policy);
    expect(asked).toBe(1);
  });

  it('is off at leadMargin 0 or leadBelowRewrite 0', () => {
    expect(leadOf(cand(0.5, ['a']), [], yes, { ...policy, leadMargin: 0 })).toBeNull();
    expect(leadOf(cand(0.5, ['a']), [], yes, { ...policy, leadBelowRewrite: 0 })).toBeNull();
  });
});

describe('decideTier with a lead', () => {
  const facts = { similarity: 0.5, confidence: 0.9, status: 'ACTIVE' as const, belowThreshold: false, missingSlots: [], entityConflicts: [] };

  it('makes a candidate under the rewrite threshold a rewrite, never a reuse, and says why', () => {
    expect(decideTier(facts, policy).tier).toBe('plan');
    const d = decideTier({ ...facts, lead: { margin: 0.3, rival: 0.2 } }, policy);
    expect(d).toMatchObject({ tier: 'rewrite', decidedBy: ['lead'] });
    expect(d.reason).toContain('0.30 ahead of any template with other calls (best 0.20)');
  });
});
