import { DEFAULT_CONFIDENCE } from '@praxis/core';
import { FeedbackSchema } from '@praxis/schemas';
import { makeFeedback } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { applyFeedbackTo, newControl } from './control.js';

const fb = (o: Parameters<typeof makeFeedback>[0]) => FeedbackSchema.parse(makeFeedback(o));
const T = Date.UTC(2026, 0, 12);

describe('feedback on a template', () => {
  const c0 = newControl('tpl-1', 'acme', 'support-bot');

  it('counts executions into decayed evidence', () => {
    const ok = fb({ templateId: 'tpl-1', timestampMs: T, execution: { executionId: 'x1', outcome: 'SUCCEEDED', stepsTotal: 3, stepsCompleted: 3, durationMs: 10 } });
    const bad = fb({ templateId: 'tpl-1', timestampMs: T + 1000, execution: { executionId: 'x2', outcome: 'FAILED', stepsTotal: 3, stepsCompleted: 1, durationMs: 10 } });
    const ignored = fb({ templateId: 'tpl-1', timestampMs: T + 2000, execution: { executionId: 'x3', outcome: 'IGNORED', stepsTotal: 3, stepsCompleted: 0, durationMs: 10 } });
    const c1 = applyFeedbackTo(c0, ok, 0, 10, DEFAULT_CONFIDENCE)!;
    const c2 = applyFeedbackTo(c1, bad, 0, 11, DEFAULT_CONFIDENCE)!;
    const c3 = applyFeedbackTo(c2, ignored, 0, 12, DEFAULT_CONFIDENCE)!;
    expect([c3.executions, c3.executionSuccessCount]).toEqual([2, 1]);
    expect(c3.executionTrials).toBeCloseTo(2, 5);
    expect(c3.executionSuccesses).toBeCloseTo(1, 5);
    expect(c3.lastExecutionMs).toBe(T + 2000);
  });

  it('applies a record once: an offset at or below the last applied one changes nothing', () => {
    const ok = fb({ templateId: 'tpl-1', timestampMs: T });
    const c1 = applyFeedbackTo(c0, ok, 1, 5, DEFAULT_CONFIDENCE)!;
    expect(applyFeedbackTo(c1, ok, 1, 5, DEFAULT_CONFIDENCE)).toBeNull();
    expect(applyFeedbackTo(c1, ok, 1, 4, DEFAULT_CONFIDENCE)).toBeNull();
  });

  it('keeps an UNLEARN order with its time and reason, and ignores lookups', () => {
    const c1 = applyFeedbackTo(c0, fb({ kind: 'UNLEARN', templateId: 'tpl-1', timestampMs: T, execution: null, reason: 'wrong recipient' }), 0, 1, DEFAULT_CONFIDENCE)!;
    expect([c1.unlearnedAtMs, c1.unlearnReason]).toEqual([T, 'wrong recipient']);
    const lookup = fb({ kind: 'LOOKUP', execution: null, lookup: { query: 'q', tier: 'PLAN', similarity: 0, reason: 'none', latencyMs: 1 } });
    expect(applyFeedbackTo(c1, lookup, 0, 2, DEFAULT_CONFIDENCE)).toBeNull();
  });
});
