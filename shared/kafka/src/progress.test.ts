import { describe, expect, it } from 'vitest';
import { startOpsServer } from './ops-server.js';
import { LoopProgress } from './progress.js';

const BOUND = 60_000;

describe('stalled-loop check', () => {
  it('is not stalled while idle without lag, however long', () => {
    const p = new LoopProgress(0);
    p.setLag('t:0', 0);
    expect(p.check(10 * BOUND, BOUND)).toEqual({ stalled: false, lag: 0, busyForMs: 0, sinceProgressMs: 10 * BOUND });
  });

  it('is stalled when a batch runs longer than the bound, with the reason', () => {
    const p = new LoopProgress(0);
    p.begin('batch', 1_000);
    expect(p.check(1_000 + BOUND, BOUND).stalled).toBe(false);
    const s = p.check(1_001 + BOUND, BOUND);
    expect(s).toMatchObject({ stalled: true, busyForMs: BOUND + 1, reason: `a batch has been running for ${BOUND + 1} ms (bound ${BOUND} ms)` });
    p.end(2_000 + BOUND, true);
    expect(p.check(2_000 + BOUND, BOUND).stalled).toBe(false);
  });

  it('is stalled when records wait and no batch finished for longer than the bound; ticks do not count as progress', () => {
    const p = new LoopProgress(0);
    p.begin('batch', 0);
    p.end(10, true);
    p.setLag('t:0', 40);
    p.setLag('t:1', 2);
    for (let at = 1_000; at < 2 * BOUND; at += 1_000) {
      p.begin('tick', at);
      p.end(at + 5, true);
    }
    expect(p.check(2 * BOUND, BOUND)).toMatchObject({ stalled: true, lag: 42, reason: `42 records wait and no batch finished for ${2 * BOUND - 10} ms (bound ${BOUND} ms)` });
  });

  it('a failed batch is no progress; a finished one is', () => {
    const p = new LoopProgress(0);
    p.setLag('t:0', 5);
    p.begin('batch', BOUND);
    p.end(BOUND + 1, false);
    expect(p.check(BOUND + 2, BOUND).stalled).toBe(true);
    p.begin('batch', BOUND + 3);
    p.end(BOUND + 4, true);
    expect(p.check(BOUND + 5, BOUND).stalled).toBe(false);
  });

  it('counts the lag of owned partitions only', () => {
    const p = new LoopProgress(0);
    p.setLag('t:0', 7);
    p.setLag('t:1', 3);
    p.retain(new Set(['t:1']));
    expect(p.lag).toBe(3);
  });

  it('makes /readyz answer 503 with the reason', async () => {
    const p = new LoopProgress(0);
    p.begin('tick', 0);
    const ops = await startOpsServer({ host: '127.0.0.1', port: 0, checks: { consumer: () => { const loop = p.check(BOUND + 5, BOUND); return { ok: !loop.stalled, details: { loop } }; } } });
    try {
      const res = await fetch(`http://127.0.0.1:${ops.port}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; checks: { consumer: { details: { loop: { reason: string } } } } };
      expect(body.status).toBe('not_ready');
      expect(body.checks.consumer.details.loop.reason).toBe(`a tick has been running for ${BOUND + 5} ms (bound ${BOUND} ms)`);
    } finally {
      await ops.close();
    }
  });
});
