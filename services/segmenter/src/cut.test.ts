import { describe, expect, it } from 'vitest';
import { cutTasks, horizonOf } from './cut.js';
import { DEFAULT_POLICY } from './policy.js';
import { end, llm, MIN, pending, query, SEC, tool } from './test-steps.js';

const cut = (steps: ReturnType<typeof tool>[], policy = DEFAULT_POLICY) => cutTasks(steps.map((s) => pending(s)), policy);
const shape = (cuts: ReturnType<typeof cutTasks>) => cuts.map((c) => [c.events.map((e) => e.seq), c.reason]);

describe('cutting a session into tasks', () => {
  it('closes at TASK_END, with the end as boundary', () => {
    const cuts = cut([query(0, 0), tool(1, SEC), end(2, 2 * SEC), query(3, 3 * SEC), tool(4, 4 * SEC)]);
    expect(shape(cuts)).toEqual([[[0, 1, 2], 'TASK_END'], [[3, 4], null]]);
    expect(cuts[0]!.boundaryMs).toBe(cuts[0]!.events[2]!.timestampMs);
  });

  it('closes for inactivity longer than the learning window, with the window end as boundary', () => {
    const cuts = cut([query(0, 0), tool(1, SEC), tool(2, SEC + 5 * MIN + 1)]);
    expect(shape(cuts)).toEqual([[[0, 1], 'INACTIVITY'], [[2], null]]);
    expect(cuts[0]!.boundaryMs).toBe(cuts[0]!.lastMs + 5 * MIN);
    // exactly the window is not inactivity
    expect(shape(cut([query(0, 0), tool(1, 5 * MIN)]))).toEqual([[[0, 1], null]]);
  });

  it('closes at the maximum duration', () => {
    const policy = { ...DEFAULT_POLICY, maxDurationMs: 10 * MIN };
    const steps = [query(0, 0), ...Array.from({ length: 6 }, (_, i) => tool(i + 1, (i + 1) * 2 * MIN))];
    expect(shape(cut(steps, policy))).toEqual([[[0, 1, 2, 3, 4, 5], 'MAX_DURATION'], [[6], null]]);
  });

  it('closes before the next QUERY, or the next taskId', () => {
    expect(shape(cut([query(0, 0), tool(1, SEC), query(2, 2 * SEC), tool(3, 3 * SEC)]))).toEqual([[[0, 1], 'NEXT_TASK'], [[2, 3], null]]);
    const withIds = [query(0, 0, 'q', { taskId: 'a' }), tool(1, SEC, 'x', { taskId: 'a' }), tool(2, 2 * SEC, 'y', { taskId: 'b' })];
    expect(shape(cut(withIds))).toEqual([[[0, 1], 'NEXT_TASK'], [[2], null]]);
    // a second QUERY of the same task id does not cut
    expect(shape(cut([query(0, 0, 'q', { taskId: 'a' }), tool(1, SEC, 'x', { taskId: 'a' }), query(2, 2 * SEC, 'q2', { taskId: 'a' })]))).toEqual([[[0, 1, 2], null]]);
  });

  it('closes after maxSteps tool calls', () => {
    const policy = { ...DEFAULT_POLICY, maxSteps: 2 };
    expect(shape(cut([query(0, 0), tool(1, SEC), llm(2, 2 * SEC), tool(3, 3 * SEC), tool(4, 4 * SEC)], policy))).toEqual([[[0, 1, 2, 3], 'MAX_STEPS'], [[4], null]]);
  });

  it('opens at the first tool call without a query, and a QUERY after only LLM calls joins the task', () => {
    expect(shape(cut([tool(0, 0), tool(1, SEC)]))).toEqual([[[0, 1], null]]);
    expect(shape(cut([llm(0, 0), query(1, SEC), tool(2, 2 * SEC)]))).toEqual([[[0, 1, 2], null]]);
  });

  it('a TASK_END after inactivity closes nothing of the earlier task', () => {
    expect(shape(cut([query(0, 0), tool(1, SEC), end(2, 7 * MIN)]))).toEqual([[[0, 1], 'INACTIVITY'], [[2], 'TASK_END']]);
  });

  it('an open task becomes final at the earlier of its inactivity and duration limits', () => {
    const [open] = cut([query(0, 0), tool(1, 2 * MIN)]);
    expect(horizonOf(open!, DEFAULT_POLICY)).toEqual({ atMs: open!.lastMs + 5 * MIN, reason: 'INACTIVITY' });
    const short = { ...DEFAULT_POLICY, maxDurationMs: 4 * MIN };
    expect(horizonOf(open!, short)).toEqual({ atMs: open!.firstMs + 4 * MIN, reason: 'MAX_DURATION' });
  });
});
