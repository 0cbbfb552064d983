import type { FeedbackRequest } from '@praxis/contracts';
import { errorFingerprint, ToolError, type ToolRegistry } from '@praxis/core';
import { TemplateSchema } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { executeWorkflow, type ProgressEvent } from './executor.js';

// lookup_order(orderId: slot) -> get_tracking(ref: step 0's order.carrierRef)
const workflow = () => ({ ...TemplateSchema.parse(makeTemplate({ templateId: 'tpl-x', version: 3 })), bindings: { orderId: 'A-7' } });

function fleet(overrides: Partial<Record<string, (p: Record<string, unknown>) => Promise<unknown>>> = {}) {
  const calls: { tool: string; params: Record<string, unknown> }[] = [];
  const wrap = (name: string, fn: (p: Record<string, unknown>) => Promise<unknown>) => async (p: Record<string, unknown>) => {
    calls.push({ tool: name, params: p });
    return fn(p);
  };
  const tools: ToolRegistry = {
    lookup_order: wrap('lookup_order', overrides.lookup_order ?? (async (p) => ({ order: { id: p.orderId, carrierRef: `ZX-${p.orderId}` } }))),
    get_tracking: wrap('get_tracking', overrides.get_tracking ?? (async (p) => ({ status: 'in transit', ref: p.ref }))),
    refresh_session: wrap('refresh_session', overrides.refresh_session ?? (async () => ({ ok: true }))),
  };
  return { tools, calls };
}

const noSleep = async () => undefined;

describe('executor', () => {
  it('replays every step, resolving slots and earlier results, and reports success', async () => {
    const { tools, calls } = fleet();
    const events: ProgressEvent['type'][] = [];
    const reports: FeedbackRequest[] = [];
    const r = await executeWorkflow({ workflow: workflow(), tools, onProgress: (e) => events.push(e.type), feedback: async (f) => void reports.push(f), agentId: 'bot', lookup: { lookupId: 'lk-1', tier: 'reuse' } });
    expect(r.outcome).toBe('succeeded');
    expect(calls).toEqual([
      { tool: 'lookup_order', params: { orderId: 'A-7' } },
      { tool: 'get_tracking', params: { ref: 'ZX-A-7' } },
    ]);
    expect(r.results).toEqual([{ order: { id: 'A-7', carrierRef: 'ZX-A-7' } }, { status: 'in transit', ref: 'ZX-A-7' }]);
    expect(events).toEqual(['started', 'step_started', 'step_succeeded', 'step_started', 'step_succeeded', 'finished']);
    expect(r.startupMs).not.toBeNull();
    expect(r.feedback).toEqual({ sent: true });
    expect(reports[0]).toMatchObject({ executionId: r.executionId, templateId: 'tpl-x', templateVersion: 3, outcome: 'succeeded', tier: 'reuse', lookupId: 'lk-1', stepsTotal: 2, stepsCompleted: 2, agentId: 'bot' });
  });

  it('stops at a failing step and returns the partial result, where it stopped, and the fingerprint', async () => {
    const { tools, calls } = fleet({ get_tracking: async () => { throw new ToolError('Carrier ref ZX-1 unknown (request 8f3a2c9d1e)', 'NotFound'); } });
    const reports: FeedbackRequest[] = [];
    const r = await executeWorkflow({ workflow: workflow(), tools, feedback: async (f) => void reports.push(f) });
    expect(r).toMatchObject({ outcome: 'failed', failedStep: 1, stepsCompleted: 1, results: [{ order: { id: 'A-7', carrierRef: 'ZX-A-7' } }] });
    expect(r.error).toEqual({ message: 'Carrier ref ZX-1 unknown (request 8f3a2c9d1e)', type: 'NotFound', transient: false, fingerprint: errorFingerprint('get_tracking', 'NotFound', 'Carrier ref ZX-1 unknown (request 8f3a2c9d1e)') });
    expect(calls).toHaveLength(2);
    expect(reports[0]).toMatchObject({ outcome: 'failed', failedStep: 1, stepsCompleted: 1, errorFingerprint: r.error!.fingerprint, errorMessage: 'Carrier ref <id> unknown (request <hex>)' });
  });

  it('retries transient errors with backoff, then succeeds', async () => {
    let attempts = 0;
    const delays: number[] = [];
    const { tools } = fleet({ lookup_order: async (p) => { if (++attempts < 3) throw new ToolError('rate limited, retry in 1s', 'RateLimit', true); return { order: { id: p.orderId, carrierRef: 'R' } }; } });
    const r = await executeWorkflow({ workflow: workflow(), tools, retry: { attempts: 3, initialMs: 10, factor: 2 }, sleep: async (ms) => void delays.push(ms) });
    expect(r).toMatchObject({ outcome: 'succeeded', retries: 2 });
    expect(r.steps[0]!.attempts).toBe(3);
    expect(delays).toEqual([10, 20]);
  });

  it('gives up on a transient error after the attempts', async () => {
    const { tools } = fleet({ lookup_order: async () => { throw new ToolError('timeout', 'Timeout', true); } });
    const r = await executeWorkflow({ workflow: workflow(), tools, retry: { attempts: 2 }, sleep: noSleep });
    expect(r).toMatchObject({ outcome: 'failed', failedStep: 0, retries: 1, stepsCompleted: 0, results: [] });
  });

  it('applies avoidance hints to fingerprinted failures: parameter change, extra step, retry', async () => {
    const msg = 'Order ref A-7 is in the legacy system';
    const fp = errorFingerprint('lookup_order', 'Legacy', msg);
    const hintFor = (kind: 'PARAM_CHANGE' | 'EXTRA_STEP' | 'RETRY') => ({ toolName: 'lookup_order', fingerprint: fp, kind, description: kind, paramChangesJson: kind === 'PARAM_CHANGE' ? '{"source":"legacy"}' : null, extraToolName: kind === 'EXTRA_STEP' ? 'refresh_session' : null, occurrences: 4 });
    for (const kind of ['PARAM_CHANGE', 'EXTRA_STEP', 'RETRY'] as const) {
      let refreshed = false;
      let tries = 0;
      const { tools, calls } = fleet({
        refresh_session: async () => { refreshed = true; return {}; },
        lookup_order: async (p) => {
          tries++;
          const fixed = kind === 'PARAM_CHANGE' ? p.source === 'legacy' : kind === 'EXTRA_STEP' ? refreshed : tries > 1;
          if (!fixed) throw new ToolError(msg, 'Legacy');
          return { order: { carrierRef: 'R' } };
        },
      });
      const events: ProgressEvent[] = [];
      const r = await executeWorkflow({ workflow: { ...workflow(), avoidanceHints: [hintFor(kind)] }, tools, onProgress: (e) => events.push(e) });
      expect(r.outcome, kind).toBe('succeeded');
      expect(r.hintsApplied).toBe(1);
      expect(r.steps[0]!.hintsApplied).toEqual([kind]);
      expect(events.some((e) => e.type === 'hint_applied' && e.kind === kind)).toBe(true);
      if (kind === 'PARAM_CHANGE') expect(calls.filter((c) => c.tool === 'lookup_order').map((c) => c.params)).toEqual([{ orderId: 'A-7' }, { orderId: 'A-7', source: 'legacy' }]);
      if (kind === 'EXTRA_STEP') expect(calls.map((c) => c.tool)).toEqual(['lookup_order', 'refresh_session', 'lookup_order', 'get_tracking']);
    }
  });

  it('validates parameters before each call, against the tool schema and the slot schema', async () => {
    const { tools, calls } = fleet();
    const bad = await executeWorkflow({ workflow: workflow(), tools, bindings: { orderId: 'not-an-id' } });
    expect(bad).toMatchObject({ outcome: 'failed', failedStep: 0, error: { type: 'ParameterError' } });
    expect(bad.error!.message).toMatch(/slot "orderId": \(value\) must match pattern/);
    const schemas = { get_tracking: { type: 'object', properties: { ref: { type: 'string', minLength: 20 } }, required: ['ref'] } };
    const invalid = await executeWorkflow({ workflow: workflow(), tools, toolSchemas: schemas });
    expect(invalid).toMatchObject({ outcome: 'failed', failedStep: 1, stepsCompleted: 1, error: { type: 'InvalidParameters' } });
    expect(calls.map((c) => c.tool)).toEqual(['lookup_order']);
  });

  it('fails cleanly on a missing slot, a missing result field or an unknown tool', async () => {
    const { tools } = fleet({ lookup_order: async () => ({ order: {} }) });
    const noSlot = await executeWorkflow({ workflow: { ...workflow(), bindings: {} }, tools });
    expect(noSlot.error!.message).toBe('step 0, parameter orderId: slot "orderId" has no value');
    const noField = await executeWorkflow({ workflow: workflow(), tools });
    expect(noField.error!.message).toBe("step 1, parameter ref: step 0's result has no order.carrierRef");
    const noTool = await executeWorkflow({ workflow: workflow(), tools: {} });
    expect(noTool.error).toMatchObject({ type: 'UnknownTool' });
  });

  it('stops when aborted, and reports the run as abandoned', async () => {
    const controller = new AbortController();
    const { tools } = fleet({ lookup_order: async () => { controller.abort(); return { order: { carrierRef: 'R' } }; } });
    const reports: FeedbackRequest[] = [];
    const r = await executeWorkflow({ workflow: workflow(), tools, signal: controller.signal, feedback: async (f) => void reports.push(f) });
    expect(r).toMatchObject({ outcome: 'abandoned', stepsCompleted: 1, failedStep: null });
    expect(reports[0]!.outcome).toBe('abandoned');
  });

  it('keeps the result when the feedback sink fails', async () => {
    const { tools } = fleet();
    const r = await executeWorkflow({ workflow: workflow(), tools, feedback: async () => { throw new Error('router down'); } });
    expect(r.outcome).toBe('succeeded');
    expect(r.feedback).toEqual({ sent: false, error: 'router down' });
  });
});
