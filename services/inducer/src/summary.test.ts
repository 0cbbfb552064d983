import { describe, expect, it } from 'vitest';
import { minedSteps, succeeded, summarise } from './summary.js';
import { trajectoriesOf } from './test-tasks.js';

describe('the calls that count for mining', () => {
  it('drops retried failures and the detours between a failure and its retry', () => {
    const steps = [
      { status: 'OK' as const, retryOf: null },
      { status: 'ERROR' as const, retryOf: null },
      { status: 'OK' as const, retryOf: null }, // detour (the fix)
      { status: 'OK' as const, retryOf: 1 },
      { status: 'ERROR' as const, retryOf: null }, // never retried: it counts
    ];
    expect(minedSteps(steps)).toEqual([0, 3, 4]);
  });

  it('follows retry chains', () => {
    expect(minedSteps([{ status: 'ERROR', retryOf: null }, { status: 'ERROR', retryOf: 0 }, { status: 'OK', retryOf: 1 }])).toEqual([2]);
  });

  it('keeps one of a successful call repeated right after with the same arguments', () => {
    const call = (toolName: string, params: Record<string, unknown>, status: 'OK' | 'ERROR' = 'OK') => ({ toolName, params, status, retryOf: null });
    expect(minedSteps([call('search', { q: 'a' }), call('search', { q: 'a' }), call('search', { q: 'b' }), call('send', { to: 'x' })])).toEqual([1, 2, 3]);
    expect(minedSteps([call('search', { q: 'a' }, 'ERROR'), call('search', { q: 'a' })])).toEqual([0, 1]);
  });
});

describe('success', () => {
  it('trusts the TASK_END, and without one asks that every counted call succeeded', () => {
    expect(succeeded({ outcome: 'SUCCEEDED' }, [], [])).toBe(true);
    expect(succeeded({ outcome: 'FAILED' }, [{ status: 'OK' }], [0])).toBe(false);
    expect(succeeded({ outcome: 'UNKNOWN' }, [{ status: 'OK' }, { status: 'ERROR' }], [0])).toBe(true);
    expect(succeeded({ outcome: 'UNKNOWN' }, [{ status: 'OK' }, { status: 'ERROR' }], [0, 1])).toBe(false);
  });

  it('is summarised from a real trajectory with its mining sequence', () => {
    const [t] = trajectoriesOf([
      {
        at: 0,
        query: 'deploy checkout v1.2.3',
        calls: [
          { tool: 'deploy', params: { service: 'checkout', version: 'v1.2.3' }, error: { type: 'PreconditionFailed', message: 'No image' } },
          { tool: 'build', params: { service: 'checkout', version: 'v1.2.3' } },
          { tool: 'deploy', params: { service: 'checkout', version: 'v1.2.3' } },
          { tool: 'announce', params: { text: 'done' } },
        ],
      },
    ]);
    const s = summarise(t!, 2, 40);
    expect(s.sequence).toEqual(['deploy', 'announce']);
    expect([s.partition, s.offset, s.success]).toEqual([2, 40, true]);
    expect(s.steps[2]!.values.get('service')).toBe('checkout');
  });
});
