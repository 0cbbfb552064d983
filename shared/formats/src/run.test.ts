import { describe, expect, it } from 'vitest';
import { makeCall, makeRun, stepsOfRuns } from './run.js';

describe('stepsOfRuns', () => {
  it('lays untimed runs one after another ending by endMs, and keeps timed runs at their times', () => {
    const runs = [
      makeRun({ runId: 'r1', line: 2, query: 'q1', calls: [makeCall({ name: 'a' }), makeCall({ name: 'b' })] }),
      makeRun({ runId: 'r2', line: 3, query: 'q2', startedAtMs: 5_000, calls: [makeCall({ name: 'c', startedAtMs: 6_000 })] }),
      makeRun({ runId: 'r3', line: 4, query: 'q3', calls: [makeCall({ name: 'a' })], outcome: 'FAILED' }),
    ];
    const steps = stepsOfRuns(runs, { tenantId: 't', agentId: 'bot', endMs: 100_000 });
    const times = (id: string) => steps.filter((s) => s.run.runId === id).map((s) => s.step.timestampMs);
    expect(times('r2')).toEqual([5_000, 6_000]);
    expect(Math.max(...times('r1'))).toBeLessThan(Math.min(...times('r3')));
    expect(Math.max(...steps.map((s) => s.step.timestampMs))).toBeLessThanOrEqual(100_000);
    expect(new Set(steps.map((s) => s.step.sessionId)).size).toBe(3);
  });
});
