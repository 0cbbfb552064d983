import { describe, expect, it } from 'vitest';
import { confidenceOf, decayTo, decayWeight, DEFAULT_CONFIDENCE, NO_EVIDENCE, observe, taskEvidence, wilsonLowerBound } from './confidence.js';

const DAY = 86_400_000;

describe('Wilson lower bound', () => {
  it('matches hand-computed values', () => {
    // p = 1, n = 10, z = 1.28: (1 + 0.0819 - 0.0819) / 1.1638
    expect(wilsonLowerBound(10, 10, 1.28)).toBeCloseTo(0.8592, 3);
    // p = 0.9, n = 20, z = 1.28
    expect(wilsonLowerBound(18, 20, 1.28)).toBeCloseTo(0.7818, 3);
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(0, 5)).toBe(0);
  });

  it('grows with evidence at the same rate and never exceeds the rate', () => {
    expect(wilsonLowerBound(9, 10)).toBeLessThan(wilsonLowerBound(90, 100));
    expect(wilsonLowerBound(90, 100)).toBeLessThan(0.9);
  });
});

describe('decayed evidence', () => {
  it('halves evidence every half-life', () => {
    expect(decayWeight(DEFAULT_CONFIDENCE.halfLifeMs)).toBeCloseTo(0.5);
    const e = decayTo({ successes: 8, trials: 10, asOfMs: 0 }, 30 * DAY);
    expect(e.trials).toBeCloseTo(5);
    expect(e.successes).toBeCloseTo(4);
  });

  it('lets recent failures outweigh old successes', () => {
    let e = NO_EVIDENCE;
    for (let i = 0; i < 20; i++) e = observe(e, true, i * 1000);
    const before = confidenceOf(e, 20_000);
    for (let i = 0; i < 5; i++) e = observe(e, false, 90 * DAY + i);
    expect(confidenceOf(e, 90 * DAY + 10)).toBeLessThan(before / 2);
  });

  it('counts late observations with their own smaller weight and is order-independent enough', () => {
    const inOrder = observe(observe(NO_EVIDENCE, true, 0), false, 10 * DAY);
    const late = observe(observe(NO_EVIDENCE, false, 10 * DAY), true, 0);
    expect(late.trials).toBeCloseTo(inOrder.trials, 10);
    expect(late.successes).toBeCloseTo(inOrder.successes, 10);
  });
});

describe('evidence counted by task', () => {
  it('makes one observation per task: a success when any of its runs succeeded, a failure when all failed', () => {
    const runs = [
      { task: 'a', success: false, atMs: 1 },
      { task: 'a', success: true, atMs: 2 },
      { task: 'a', success: false, atMs: 3 },
      { task: 'b', success: false, atMs: 4 },
      { task: 'b', success: false, atMs: 5 },
      { task: 'c', success: true, atMs: 6 },
    ];
    const { evidence, succeeded, failed } = taskEvidence(runs);
    expect(succeeded).toEqual(['a', 'c']);
    expect(failed).toEqual(['b']);
    expect(evidence.trials).toBeCloseTo(3, 6);
    expect(evidence.successes).toBeCloseTo(2, 6);
    expect(evidence.asOfMs).toBe(6);
  });

  it('does not depend on the order the runs arrive in', () => {
    const runs = Array.from({ length: 12 }, (_, i) => ({ task: `t${i % 5}`, success: i % 3 === 0, atMs: i * DAY }));
    const a = taskEvidence(runs).evidence;
    const b = taskEvidence([...runs].reverse()).evidence;
    expect(b).toEqual(a);
    expect(wilsonLowerBound(a.successes, a.trials)).toBeLessThan(1);
  });
});
