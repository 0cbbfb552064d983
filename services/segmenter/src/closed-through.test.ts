// Closing at TASK_END (docs/learning.md): a task complete by seq is emitted at its TASK_END;
// every other rule (lateness, the watermark, the hold) keeps its meaning.
import { describe, expect, it } from 'vitest';
import { end, feed, MIN, query, SEC, segmenter, tool } from './test-steps.js';

describe('closing at TASK_END', () => {
  it('emits a task complete by seq at its TASK_END, without waiting for the watermark', () => {
    const seg = segmenter();
    const { out, results } = feed(seg, [query(0, 0), tool(1, SEC), end(2, 2 * SEC)]);
    expect(results.map((r) => r.type)).toEqual(['ok', 'ok', 'ok']);
    expect(out.map((o) => [o.trajectory.closeReason, o.trajectory.signature])).toEqual([['TASK_END', ['lookup_order']]]);
    expect(seg.openSessions).toBe(0);
  });

  it('waits for a missing seq, merges it within the lateness and then emits at once', () => {
    const seg = segmenter();
    const { out } = feed(seg, [query(0, 0), tool(2, 2 * SEC, 'b'), end(3, 3 * SEC)]);
    expect(out).toEqual([]);
    feed(seg, [tool(1, SEC, 'a')], 3, out); // delivered late (behind the watermark), within the lateness
    expect(out.map((o) => [o.trajectory.signature, o.trajectory.lateSteps])).toEqual([[['a', 'b'], 1]]);
  });

  it('emits the next task of the session at its TASK_END too; drops a redelivery of an emitted step and refuses another step with its seq', () => {
    const seg = segmenter();
    const { out } = feed(seg, [query(0, 0), tool(1, SEC, 'a'), end(2, 2 * SEC)]);
    const { results } = feed(seg, [query(3, 10 * SEC, 'again'), tool(4, 11 * SEC, 'b'), tool(1, SEC, 'a'), tool(1, SEC, 'z', { eventId: 'other' }), end(5, 12 * SEC)], 3, out);
    expect(out.map((o) => o.trajectory.signature)).toEqual([['a'], ['b']]);
    expect(results[2]).toEqual({ type: 'drop', reason: 'duplicate_event: e-s1-1 already received (its task was emitted)' });
    expect(results[3]).toEqual({ type: 'dlq', reason: 'late_event: session acme/support-bot/s1 has emitted its tasks through seq 2; seq 1 arrived after its task was closed' });
  });

  it('does not close the first task seen of a session that started before (seq > 0): its start may still arrive', () => {
    const seg = segmenter();
    const { out } = feed(seg, [query(4, 0), tool(5, SEC), end(6, 2 * SEC)]);
    expect(out).toEqual([]);
    feed(seg, [tool(0, 2 * SEC + MIN + 1, 'x', { sessionId: 's2' })], 3, out);
    expect(out.map((o) => o.trajectory.closeReason)).toEqual(['TASK_END']);
  });

  it('chains tasks closed on the memory of the one before while the chain began within a learning window plus the lateness of the watermark; then one waits and starts a new chain', () => {
    const seg = segmenter();
    const out: Parameters<typeof feed>[3] = [];
    let seq = 0;
    let offset = 0;
    const task = (atMs: number) => feed(seg, [query(seq++, atMs, `q${seq}`), tool(seq++, atMs + SEC), end(seq++, atMs + 2 * SEC)], (offset += 3) - 3, out);
    // test-steps' policy: learning window 5 min, lateness 1 min; a task every 30 s
    const reach = 5 * MIN + MIN;
    let at = 0;
    for (; at + 2 * SEC <= reach; at += 30 * SEC) task(at);
    const chained = out.length;
    expect(chained).toBe(Math.floor((reach - 2 * SEC) / (30 * SEC)) + 1); // each closed at its TASK_END, far more than 8
    expect(out.every((o) => o.trajectory.closeReason === 'TASK_END')).toBe(true);
    task(at); // its TASK_END is past the chain's start by more than the reach: it waits for the watermark
    expect(out).toHaveLength(chained);
    at += 30 * SEC;
    task(at + 2 * MIN); // the watermark passes the waiting task's end by the lateness: it is emitted and starts a new chain, on which this one closes at once
    expect(out.map((o) => o.trajectory.closeReason).slice(chained)).toEqual(['TASK_END', 'TASK_END']);
    expect(out).toHaveLength(chained + 2);
    task(at + 2 * MIN + 30 * SEC);
    expect(out).toHaveLength(chained + 3);
  });

  it('holds commits at the records a session is remembered from, until it has been quiet for a learning window plus the lateness', () => {
    const seg = segmenter();
    const { out } = feed(seg, [query(0, 0), tool(1, SEC), end(2, 2 * SEC)]);
    expect(out).toHaveLength(1);
    feed(seg, [tool(0, 3 * MIN, 'x', { sessionId: 's2' }), end(1, 3 * MIN + SEC, 'SUCCEEDED', { sessionId: 's2' })], 3, out);
    // s1's memory (offsets 0..2) is what refuses its repeats: a replay must rebuild it
    expect(seg.hold(5)).toBe(0);
    feed(seg, [tool(0, 2 * SEC + 5 * MIN + MIN + 1, 'y', { sessionId: 's3' })], 5, out);
    expect(seg.hold(6)).toBe(3); // s1 forgotten; s2 (closed at offset 4) is still remembered
  });
});
