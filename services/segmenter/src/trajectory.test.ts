import { errorFingerprint } from '@praxis/core';
import { TrajectorySchema } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { buildTrajectory, trajectoryIdOf } from './trajectory.js';
import { end, llm, pending, query, SEC, tool } from './test-steps.js';

const session = { tenantId: 'acme', agentId: 'support-bot', sessionId: 's1' };

describe('building a trajectory', () => {
  const events = [
    query(0, 0, 'refund order A-1001'),
    llm(1, SEC, { promptTokens: 900, completionTokens: 120 }),
    tool(2, 2 * SEC, 'get_order', { status: 'ERROR', errorType: 'RateLimited', errorMessage: 'Rate limit for order A-1001, retry after 2s', resultJson: null }),
    tool(3, 3 * SEC, 'get_order', { parametersJson: '{"orderId":"A-1001"}', resultJson: JSON.stringify({ order: { id: 'A-1001', total: 19.5, secret: 'do-not-copy' } }) }),
    llm(4, 4 * SEC, { promptTokens: 300, completionTokens: 30 }),
    tool(5, 5 * SEC, 'create_refund', { parametersJson: '{"orderId":"A-1001","amount":19.5}', resultJson: '{"refund":{"id":"R-1"}}' }),
    end(6, 6 * SEC),
  ].map((s, i) => pending(s, 100 + i));
  const t = buildTrajectory(session, events, 'TASK_END');

  it('is a valid Trajectory with a deterministic id from its first step', () => {
    expect(TrajectorySchema.safeParse(t).success).toBe(true);
    expect(t.trajectoryId).toBe(trajectoryIdOf(session, events[0]!.eventId));
    expect(buildTrajectory(session, events, 'TASK_END')).toEqual(t);
  });

  it('keeps tool steps in order with their signature, outcome and token totals', () => {
    expect(t.signature).toEqual(['get_order', 'get_order', 'create_refund']);
    expect(t.query).toBe('refund order A-1001');
    expect(t.outcome).toBe('SUCCEEDED');
    expect([t.llmCalls, t.promptTokens, t.completionTokens]).toEqual([2, 1200, 150]);
    expect([t.startedAtMs, t.endedAtMs]).toEqual([events[0]!.timestampMs, events[6]!.timestampMs]);
  });

  it('normalises and fingerprints errors, and links the retry to the failure', () => {
    const [failed, retried] = t.steps;
    expect(failed!.errorMessage).toBe('Rate limit for order <id>, retry after <num>s');
    expect(failed!.errorFingerprint).toBe(errorFingerprint('get_order', 'RateLimited', 'Rate limit for order B-7, retry after 9s'));
    expect(retried!.retryOf).toBe(0);
    expect(t.steps[2]!.retryOf).toBeNull();
  });

  it('keeps the result structure, never its values', () => {
    const step = t.steps[1]!;
    expect(JSON.parse(step.resultShapeJson!)).toEqual({ order: { id: 'string', secret: 'string', total: 'number' } });
    expect(JSON.stringify(t)).not.toContain('do-not-copy');
  });

  it('records dataflow to the query and to earlier results', () => {
    expect(t.steps[2]!.dataflow).toEqual([
      { paramPath: 'orderId', origin: 'QUERY', stepIndex: null, path: null },
      { paramPath: 'orderId', origin: 'STEP_RESULT', stepIndex: 1, path: 'order.id', transform: null },
      { paramPath: 'amount', origin: 'STEP_RESULT', stepIndex: 1, path: 'order.total', transform: null },
    ]);
  });

  it('says UNKNOWN without a TASK_END', () => {
    expect(buildTrajectory(session, events.slice(0, 4), 'INACTIVITY').outcome).toBe('UNKNOWN');
  });
});

describe("a task's own time", () => {
  it("carries the QUERY step's reference time (a run logged on another day), null when it has none", () => {
    const day = Date.UTC(2023, 10, 30);
    const withTime = buildTrajectory(session, [query(0, 0, 'emails since Sunday', { referenceTimeMs: day }), tool(1, SEC, 'search'), end(2, 2 * SEC)].map((s, i) => pending(s, i)), 'TASK_END');
    expect(withTime.referenceTimeMs).toBe(day);
    expect(TrajectorySchema.parse(withTime).referenceTimeMs).toBe(day);
    const without = buildTrajectory(session, [query(0, 0), tool(1, SEC, 'search'), end(2, 2 * SEC)].map((s, i) => pending(s, i)), 'TASK_END');
    expect(without.referenceTimeMs).toBeNull();
  });
});

describe('value conditions in a trajectory', () => {
  it('records whether some and all of a result\'s numbers satisfy each comparison the query writes, never the numbers', () => {
    const events = [
      query(0, 0, 'If daily sales were more than 40 since May 1, open a ticket'),
      tool(1, SEC, 'daily_sales', { parametersJson: '{"since":"2026-05-01"}', resultJson: JSON.stringify({ '2026-05-01': 37, '2026-05-02': 43 }) }),
      tool(2, 2 * SEC, 'open_ticket', { parametersJson: '{"title":"Sales"}', resultJson: '{"id":"T-1"}' }),
      end(3, 3 * SEC),
    ].map((s, i) => pending(s, 200 + i));
    const t = buildTrajectory(session, events, 'TASK_END');
    expect(TrajectorySchema.safeParse(t).success).toBe(true);
    expect(JSON.parse(t.steps[0]!.resultComparisonsJson!)).toEqual([{ comparison: 0, path: '', some: true, all: false }]);
    expect(t.steps[0]!.resultComparisonsJson).not.toMatch(/37|43/);
    // a result with no numbers, and a query with no comparison, record nothing
    expect(t.steps[1]!.resultComparisonsJson).toBeNull();
    const plain = buildTrajectory(session, [query(0, 0, 'show daily sales since May 1'), tool(1, SEC, 'daily_sales', { resultJson: '{"2026-05-01":37}' }), end(2, 2 * SEC)].map((s, i) => pending(s, 300 + i)), 'TASK_END');
    expect(plain.steps[0]!.resultComparisonsJson).toBeNull();
  });
});
