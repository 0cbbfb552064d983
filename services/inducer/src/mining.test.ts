import { describe, expect, it } from 'vitest';
import { assignInstances, dropRareExtensions, embed, frequentPatterns } from './mining.js';

const seqs = (text: string) => text.split('|').map((s) => s.split(''));

describe('frequent patterns', () => {
  it('finds subsequences with gaps, with their supporting sequences', () => {
    const found = frequentPatterns(seqs('abcd|axbcd|abxcd|abc|zz'), 3, 3, 10);
    const byKey = new Map(found.map((p) => [p.signature.join(''), p.members]));
    expect(byKey.get('abcd')).toEqual([0, 1, 2]);
    expect(byKey.get('abc')).toEqual([0, 1, 2, 3]);
    expect(byKey.has('axc')).toBe(false);
    expect([...byKey.keys()].every((k) => k.length >= 3)).toBe(true);
  });

  it('counts a sequence once however often the pattern occurs in it', () => {
    expect(frequentPatterns(seqs('aaa|aaa'), 2, 3, 3).map((p) => [p.key, p.members])).toEqual([['a>a>a', [0, 1]]]);
  });

  it('respects the longest length', () => {
    expect(frequentPatterns(seqs('abcdef|abcdef'), 2, 3, 4).every((p) => p.signature.length <= 4)).toBe(true);
  });
});

describe('rare extensions', () => {
  it('drops a pattern that decorates a far more common one', () => {
    const runs = [...Array(20).fill('abcd'), ...Array(4).fill('axbcd')].join('|');
    const kept = dropRareExtensions(frequentPatterns(seqs(runs), 3, 3, 10), 0.2).map((p) => p.key);
    expect(kept).toContain('a>b>c>d');
    expect(kept).not.toContain('a>x>b>c>d');
  });

  it('keeps two workflows that share a prefix', () => {
    const runs = [...Array(10).fill('abcd'), ...Array(10).fill('abce')].join('|');
    const kept = dropRareExtensions(frequentPatterns(seqs(runs), 3, 3, 10), 0.2).map((p) => p.key);
    expect(kept).toEqual(expect.arrayContaining(['a>b>c>d', 'a>b>c>e']));
  });
});

describe('assigning instances', () => {
  it('gives each sequence to the longest pattern it contains, so sub-patterns get none', () => {
    const runs = seqs([...Array(6).fill('abcd'), ...Array(6).fill('abce'), 'abc'].join('|'));
    const assigned = assignInstances(frequentPatterns(runs, 3, 3, 10));
    expect(assigned.get('a>b>c>d')).toHaveLength(6);
    expect(assigned.get('a>b>c>e')).toHaveLength(6);
    expect(assigned.get('a>b>c')).toEqual([12]);
  });
});

describe('embedding', () => {
  it('takes the latest occurrences that keep the order', () => {
    expect(embed(['a', 'b', 'a', 'c'], ['a', 'c'])).toEqual([2, 3]);
    expect(embed(['a', 'x', 'b', 'b', 'c'], ['a', 'b', 'c'])).toEqual([0, 3, 4]);
    expect(embed(['b', 'a'], ['a', 'b'])).toBeNull();
  });
});
