import { describe, expect, it } from 'vitest';
import { assignTasks, taskCount } from './assignment.js';
import { partitionOf } from './partitioning.js';

const topics = [
  { topic: 'trajectories', partitions: 6 },
  { topic: 'feedback', partitions: 3 },
];

describe('co-partitioned assignment', () => {
  it('gives each member whole tasks: partition k of every topic goes with task k mod T', () => {
    const plan = assignTasks(['m-b', 'm-a'], topics);
    expect(plan.get('m-a')).toEqual({ trajectories: [0, 2, 3, 5], feedback: [0, 2] });
    expect(plan.get('m-b')).toEqual({ trajectories: [1, 4], feedback: [1] });
  });

  it('leaves members beyond the task count without partitions, and assigns every partition once', () => {
    const plan = assignTasks(['a', 'b', 'c', 'd'], topics);
    expect(plan.get('d')).toEqual({});
    const all = [...plan.values()].flatMap((a) => Object.entries(a).flatMap(([t, ps]) => ps.map((p) => `${t}:${p}`)));
    expect(all.sort()).toEqual(['feedback:0', 'feedback:1', 'feedback:2', 'trajectories:0', 'trajectories:1', 'trajectories:2', 'trajectories:3', 'trajectories:4', 'trajectories:5']);
  });

  it('refuses partition counts that are not multiples of the smallest', () => {
    expect(taskCount(topics)).toBe(3);
    expect(() => taskCount([{ topic: 'a', partitions: 4 }, { topic: 'b', partitions: 6 }])).toThrow(/b has 6/);
  });

  it('puts a tenant on the same task whichever co-partitioned topic carries it', () => {
    for (const tenant of ['acme', 'globex', 'initech', 't-42']) {
      expect(partitionOf(tenant, 6) % 3).toBe(partitionOf(tenant, 3));
    }
  });
});
