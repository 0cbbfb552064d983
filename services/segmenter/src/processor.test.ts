import { describe, expect, it } from 'vitest';
import { end, feed, llm, MIN, query, SEC, segmenter, tool } from './test-steps.js';

const sig = (out: { trajectory: { signature: string[] } }[]) => out.map((o) => o.trajectory.signature);

describe('watermark and emission', () => {
  it('emits a task that is not complete by seq only once the watermark is past its end by the allowed lateness', () => {
    const seg = segmenter();
    // seq 0 never arrives: a late step could still join, so the TASK_END alone does not close the task
    const { out } = feed(seg, [query(1, 0), tool(2, SEC), end(3, 2 * SEC)]);
    expect(out).toEqual([]);
    // another session moves the watermark; 60 s after the TASK_END is not yet past it
    feed(seg, [tool(0, 2 * SEC + MIN, 'x', { sessionId: 's2' })], 3, out);
    expect(out).toEqual([]);
    feed(seg, [tool(1, 2 * SEC + MIN + 1, 'x', { sessionId: 's2' })], 4, out);
    expect(sig(out)).toEqual([['lookup_order']]);
    expect(out[0]!.trajectory.closeReason).toBe('TASK_END');
  });

  it('closes an open task for inactivity when the watermark passes the window and the lateness', () => {
    const seg = segmenter();
    const { out } = feed(seg, [query(0, 0), tool(1, SEC)]);
    feed(seg, [tool(0, SEC + 6 * MIN, 'x', { sessionId: 's2' })], 2, out);
    expect(out).toEqual([]);
    feed(seg, [tool(1, SEC + 6 * MIN + 1, 'x', { sessionId: 's2' })], 3, out);
    expect(out.map((o) => o.trajectory.closeReason)).toEqual(['INACTIVITY']);
  });
});

describe('lateness', () => {
  it('merges a late step within the allowed lateness, in seq order, and counts it', () => {
    const seg = segmenter();
    const { out, results } = feed(seg, [query(0, 0), tool(2, 2 * SEC, 'b'), tool(3, 30 * SEC, 'c'), tool(1, SEC, 'a'), end(4, 31 * SEC)]);
    feed(seg, [tool(0, 3 * MIN, 'x', { sessionId: 's2' })], 5, out);
    expect(results.every((r) => r.type === 'ok')).toBe(true);
    expect(sig(out)).toEqual([['a', 'b', 'c']]);
    expect(out[0]!.trajectory.lateSteps).toBe(1);
  });

  it('sends a step beyond the allowed lateness to the DLQ with the reason', () => {
    const seg = segmenter();
    feed(seg, [tool(0, 5 * MIN, 'x', { sessionId: 's2' })]);
    const { results, out } = feed(seg, [tool(1, 3 * MIN, 'late')], 1);
    expect(results[0]).toMatchObject({ type: 'dlq' });
    expect((results[0] as { reason: string }).reason).toMatch(/^late_event: event time .* is 120000 ms behind the partition watermark .*; allowed lateness 60000 ms$/);
    expect(out).toEqual([]);
  });
});

describe('duplicates', () => {
  it('drops a repeated eventId and counts it on the trajectory', () => {
    const seg = segmenter();
    const q = query(0, 0);
    const { results, out } = feed(seg, [q, tool(1, SEC), q, end(2, 2 * SEC)]);
    expect(results.map((r) => r.type)).toEqual(['ok', 'ok', 'drop', 'ok']);
    feed(seg, [tool(0, 5 * MIN, 'x', { sessionId: 's2' })], 4, out);
    expect(out[0]!.trajectory.duplicateSteps).toBe(1);
  });

  it('refuses a repeat of a step whose trajectory was already emitted as late', () => {
    const seg = segmenter();
    const q = query(0, 0);
    const { out } = feed(seg, [q, tool(1, SEC), end(2, 2 * SEC), tool(0, 5 * MIN, 'x', { sessionId: 's2' })]);
    expect(out).toHaveLength(1);
    expect(feed(seg, [q], 4).results[0]).toMatchObject({ type: 'dlq' });
  });
});

describe('processing-time closes', () => {
  it('closes a session first when its next step was produced more than the idle time later (log clock)', () => {
    const seg = segmenter({}, 10_000);
    const out: Parameters<typeof seg.apply>[3] = [];
    seg.apply(query(0, 0), 0, 1_000, out);
    seg.apply(tool(1, SEC), 1, 2_000, out);
    expect(out).toEqual([]);
    seg.apply(tool(2, 2 * SEC, 'next'), 2, 12_001, out);
    expect(out.map((o) => [o.trajectory.signature, o.trajectory.closeReason])).toEqual([[['lookup_order'], 'INACTIVITY']]);
  });

  it('the wall-clock fallback closes everything open and refuses a straggler produced within the idle time', () => {
    const seg = segmenter({}, 10_000);
    const out: Parameters<typeof seg.apply>[3] = [];
    seg.apply(query(0, 0), 0, 1_000, out);
    seg.apply(tool(1, SEC), 1, 2_000, out);
    expect(seg.flushAll(out)).toBe(1);
    expect(out).toHaveLength(1);
    expect(seg.openSessions).toBe(0);
    expect(seg.apply(tool(2, 2 * SEC), 2, 5_000, out)).toMatchObject({ type: 'dlq', reason: expect.stringMatching(/^late_event: session .* closed by the processing-time fallback/) });
    // produced after the idle time: a new task, accepted
    expect(seg.apply(tool(3, 30 * SEC), 3, 20_000, out)).toEqual({ type: 'ok' });
  });

  it('closes a session that holds too many steps', () => {
    const seg = segmenter();
    const { out } = feed(seg, Array.from({ length: 51 }, (_, i) => tool(i, i * SEC)));
    expect(out).toHaveLength(1);
    expect(out[0]!.trajectory.steps).toHaveLength(51);
  });
});

describe('commit hold', () => {
  it('holds at the first pending step, on a watermark record', () => {
    const seg = segmenter();
    feed(seg, [tool(0, 10 * SEC, 'x', { sessionId: 's2' }), query(0, 20 * SEC), tool(1, 21 * SEC)]);
    expect(seg.hold(3)).toBe(0); // offset 1 is pending; offset 0 is the last watermark record at or before it
  });

  it('moves past closed work', () => {
    const seg = segmenter();
    const { out } = feed(seg, [query(1, 0), tool(2, SEC), end(3, 2 * SEC), llm(0, 2 * MIN, { sessionId: 's2' })]);
    expect(out).toHaveLength(1);
    expect(seg.hold(4)).toBe(0); // s1 is remembered (closed-through.ts) for a learning window and the lateness
    feed(seg, [llm(1, 7 * MIN, { sessionId: 's2' })], 4, out);
    expect(seg.hold(5)).toBe(3);
  });
});

describe('replay from the hold', () => {
  it('starts on a record that set the watermark, so lateness is judged as before', () => {
    const steps = [tool(0, 10 * MIN, 'x', { sessionId: 's2' }), query(0, 9.5 * MIN), tool(0, 8.8 * MIN, 'y', { sessionId: 's3' })];
    const original = segmenter();
    const first = feed(original, steps.slice(0, 1));
    original.flushAll(first.out); // offset 0 is no longer pending
    feed(original, steps.slice(1, 2), 1, first.out);
    const hold = original.hold(2);
    expect(hold).toBe(0); // offset 1 is pending, but only offset 0 rebuilds the watermark
    const late = feed(original, steps.slice(2), 2).results[0];
    expect(late).toMatchObject({ type: 'dlq' });
    const replay = segmenter();
    expect(feed(replay, steps.slice(hold), hold).results[2 - hold]).toEqual(late);
  });
});
