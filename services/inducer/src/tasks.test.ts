import { partitionOf } from '@praxis/kafka';
import { describe, expect, it } from 'vitest';
import { TaskTable } from './tasks.js';

describe('task table', () => {
  it('is caught up once every input partition of the task reached its end at takeover', () => {
    const table = new TaskTable(3);
    table.take(1, [
      { topic: 'traj', partition: 1, high: 10, committed: 4 },
      { topic: 'traj', partition: 4, high: 0, committed: -1 },
      { topic: 'fb', partition: 1, high: 3, committed: 3 },
    ]);
    expect(table.caughtUp(1)).toBe(false);
    expect(table.pendingInputs()).toEqual([{ topic: 'traj', partition: 1 }]);
    table.advance('traj', 1, 8);
    expect(table.restoring()).toBe(1);
    table.advance('traj', 1, 9);
    expect(table.caughtUp(1)).toBe(true);
    expect(table.appliedOf('traj')).toEqual(new Map([[1, 9], [4, -1]]));
  });

  it('sets targets at each takeover, so a task taken over again waits for its new end', () => {
    const table = new TaskTable(3);
    table.take(0, [{ topic: 'traj', partition: 0, high: 5, committed: 5 }]);
    expect(table.caughtUp(0)).toBe(true);
    table.drop(0);
    expect(table.caughtUp(0)).toBe(false);
    table.take(0, [{ topic: 'traj', partition: 0, high: 12, committed: 5 }]);
    expect(table.caughtUp(0)).toBe(false);
  });

  it('places a tenant on task murmur2(tenant) mod T, on every partition of that task', () => {
    const table = new TaskTable(3);
    const task = partitionOf('acme', 3);
    expect(table.taskOfAgent('acme/bot')).toBe(task);
    expect(table.inPlace('acme', partitionOf('acme', 6))).toBe(true);
    expect(table.inPlace('acme', (task + 1) % 3)).toBe(false);
  });
});
