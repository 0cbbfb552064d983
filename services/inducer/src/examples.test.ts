import type { ValueSource } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { phrasingOf, selectSlotExamples, selectTriggerExamples, SLOT_EXAMPLES_MAX } from './examples.js';
import type { Instance } from './induce.js';
import type { TrajectorySummary } from './summary.js';

let n = 0;
function instance(query: string, values: Record<string, string>): Instance {
  const dataflow: ValueSource[] = Object.keys(values).map((paramPath) => ({ paramPath, origin: 'QUERY', stepIndex: null, path: null }));
  const summary = {
    trajectoryId: `t${n++}`,
    query,
    steps: [{ index: 0, toolName: 'book', values: new Map(Object.entries(values)), dataflow }],
  } as unknown as TrajectorySummary;
  return { summary, at: [0], iters: [[0]] };
}

describe('trigger examples', () => {
  it('reads the phrasing of a query by blanking the values that came from it', () => {
    expect(phrasingOf(instance('Fly LIS to BER on 2026-03-04', { from: 'LIS', to: 'BER', date: '2026-03-04' }).summary)).toBe('fly … to … on …');
    expect(phrasingOf(instance('Fly CDG to NBO on 2026-05-01', { from: 'CDG', to: 'NBO', date: '2026-05-01' }).summary)).toBe('fly … to … on …');
  });

  it('covers every phrasing before repeating one', () => {
    const runs = [
      ...Array.from({ length: 8 }, (_, i) => instance(`Fly LIS to BER${i}`, { to: `BER${i}` })),
      instance('Please book me on a flight to NBO', { to: 'NBO' }),
      instance('I need a seat to YYZ', { to: 'YYZ' }),
    ];
    const picked = selectTriggerExamples(runs, 4);
    expect(picked).toHaveLength(4);
    expect(picked).toContain('Please book me on a flight to NBO');
    expect(picked).toContain('I need a seat to YYZ');
    expect(picked.filter((q) => q.startsWith('Fly'))).toHaveLength(2);
  });

  it('keeps the most recent queries of a phrasing and never repeats a query', () => {
    const runs = [instance('Fly LIS to BER', { to: 'BER' }), instance('Fly LIS to BER', { to: 'BER' }), instance('Fly LIS to NBO', { to: 'NBO' })];
    expect(selectTriggerExamples(runs, 10)).toEqual(['Fly LIS to BER', 'Fly LIS to NBO']);
  });

  it('shows a query once when its runs read as different phrasings (agents that took other values)', () => {
    const runs = [instance('Rename the standup to Sync', { name: 'Sync' }), instance('Rename the standup to Sync', { name: 'standup' }), instance('Rename the review to Demo', { name: 'Demo' })];
    expect([...selectTriggerExamples(runs, 10)].sort()).toEqual(['Rename the review to Demo', 'Rename the standup to Sync']);
  });

  it("keeps a slot's value of each phrasing among its examples, not only the latest runs' values", () => {
    // the latest six runs all say "Cancel future X meetings"; an older one says "... meetings with Y"
    const runs = [
      ...Array.from({ length: 6 }, (_, i) => instance(`Cancel future review ${i} meetings`, { query: `review ${i}` })),
      instance('Cancel all future meetings with nia', { query: 'nia' }),
    ];
    const examples = selectSlotExamples(runs, runs.map((r) => r.summary.steps[0]!.values.get('query')));
    expect(examples).toHaveLength(5);
    expect(examples).toContain('"nia"');
    expect(examples[0]).toBe('"review 0"');
  });

  it('keeps one value per phrasing up to a bound, each value once, none for runs without one', () => {
    const runs = Array.from({ length: 20 }, (_, i) => instance(`Phrasing ${'x'.repeat(i)} of v${i}`, { name: `v${i}` }));
    const values = runs.map((r, i) => (i === 0 ? undefined : r.summary.steps[0]!.values.get('name')));
    const examples = selectSlotExamples(runs, values);
    expect(examples).toHaveLength(SLOT_EXAMPLES_MAX);
    expect(new Set(examples).size).toBe(examples.length);
    expect(examples).not.toContain('"v0"');
    expect(selectSlotExamples([runs[1]!, runs[1]!], ['v1', 'v1'])).toEqual(['"v1"']);
  });
});
