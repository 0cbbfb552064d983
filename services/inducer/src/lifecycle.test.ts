import { describe, expect, it } from 'vitest';
import type { Candidate } from './candidate.js';
import { decideStatuses, variants } from './lifecycle.js';
import { policy } from './test-tasks.js';

const candidate = (id: string, signature: string[], confidence: number, executionTrials = 10, trials = 30): Candidate => ({
  trials,
  executionTrials,
  content: { templateId: id, signature, confidence, belowThreshold: confidence < 0.8, status: 'ACTIVE', supersededBy: null, statusReason: null, stats: { support: 10 } } as unknown as Candidate['content'],
});

describe('variants of a path', () => {
  it('share first and last tool, one inside the other', () => {
    expect(variants(['a', 'b', 'd'], ['a', 'b', 'c', 'd'])).toBe(true);
    expect(variants(['a', 'b', 'd'], ['a', 'c', 'd'])).toBe(false);
    expect(variants(['a', 'b', 'd'], ['x', 'a', 'b', 'd'])).toBe(false);
    expect(variants(['a', 'b', 'd'], ['a', 'b', 'd'])).toBe(false);
  });
});

describe('statuses across templates', () => {
  it('supersedes the clearly worse variant only', () => {
    const best = candidate('t1', ['a', 'b', 'd'], 0.9);
    const close = candidate('t2', ['a', 'b', 'c', 'd'], 0.87);
    const worse = candidate('t3', ['a', 'x', 'b', 'd'], 0.7);
    decideStatuses([worse, close, best], policy());
    expect([best.content.status, close.content.status, worse.content.status]).toEqual(['ACTIVE', 'ACTIVE', 'SUPERSEDED']);
    expect(worse.content.supersededBy).toBe('t1');
  });

  it('retires a template below the threshold only once there is enough evidence from executions', () => {
    const young = candidate('t1', ['a', 'b', 'c'], 0.5, 12);
    const old = candidate('t2', ['x', 'y', 'z'], 0.5, 25);
    // many learned runs but no executions: kept (the runs passed the success-rate gate), just never reused
    const learnedOnly = candidate('t3', ['u', 'v', 'w'], 0.5, 0, 100);
    decideStatuses([young, old, learnedOnly], policy());
    expect([young.content.status, old.content.status, learnedOnly.content.status]).toEqual(['ACTIVE', 'RETIRED', 'ACTIVE']);
  });
});
