import { describe, expect, it } from 'vitest';
import { AssignerProtocol } from 'kafkajs';
import { assignTasks, coPartitionedAssigner, taskCount } from './assignment.js';
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

  const tasksOf = (plan: Map<string, Record<string, number[]>>, m: string) => [...new Set(plan.get(m)!.feedback ?? [])];

  it('leaves tasks with the members that held them when one joins, moving only what balance needs', () => {
    const before = assignTasks(['b', 'c'], topics); // b: tasks 0 and 2, c: task 1
    const held = new Map([...before].map(([m, a]) => [m, a.trajectories ?? []]));
    const after = assignTasks(['a', 'b', 'c'], topics, held); // a sorts first, but holds nothing
    expect(tasksOf(after, 'c')).toEqual([1]);
    expect(tasksOf(after, 'b')).toHaveLength(1);
    expect([...tasksOf(after, 'a'), ...tasksOf(after, 'b')].sort()).toEqual([0, 2]); // one of b's two moved
    // without history the newcomer would have taken task 0 and c would have lost task 1
    expect(tasksOf(assignTasks(['a', 'b', 'c'], topics), 'c')).toEqual([2]);
  });

  it('gives a leaver\'s tasks to the others and keeps theirs; the first in id order wins a task two claim', () => {
    const after = assignTasks(['a', 'c'], topics, new Map([['a', [0]], ['c', [2]]])); // b, which held 1, left
    expect(tasksOf(after, 'a').sort()).toEqual([0, 1]);
    expect(tasksOf(after, 'c')).toEqual([2]);
    const claimed = assignTasks(['a', 'b'], topics, new Map([['a', [0, 3]], ['b', [0, 1]]]));
    expect(tasksOf(claimed, 'a')).toContain(0);
    expect(tasksOf(claimed, 'b')).toContain(1);
    const all = [...claimed.values()].flatMap((x) => x.trajectories ?? []).sort();
    expect(all).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('never lets history unbalance the group', () => {
    const after = assignTasks(['a', 'b', 'c'], topics, new Map([['a', [0, 1, 2]]]));
    for (const m of ['a', 'b', 'c']) expect(tasksOf(after, m)).toHaveLength(1);
  });

  it('reads what each member said it held from its join, and ignores what it cannot read', async () => {
    const meta = (held: number[]) => coPartitionedAssigner(() => held)({ cluster: null as never }).protocol({ topics: ['trajectories', 'feedback'] }).metadata;
    const cluster = { findTopicPartitionMetadata: (t: string) => Array.from({ length: t === 'trajectories' ? 6 : 3 }) };
    const assigner = coPartitionedAssigner(() => [])({ cluster: cluster as never });
    const garbage = AssignerProtocol.MemberMetadata.encode({ version: 0, topics: [], userData: Buffer.from('not json') });
    const plan = await assigner.assign({ members: [{ memberId: 'a', memberMetadata: garbage }, { memberId: 'b', memberMetadata: meta([1, 2, 4, 5]) }], topics: ['trajectories', 'feedback'] } as never);
    const byMember = new Map(plan.map((p) => [p.memberId, AssignerProtocol.MemberAssignment.decode(p.memberAssignment)!.assignment]));
    expect(byMember.get('b')!.feedback!.sort()).toEqual([1, 2]); // kept both (b may hold 2 of 3)
    expect(byMember.get('a')!.feedback).toEqual([0]);
  });
});
