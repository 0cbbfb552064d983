import { ToolError, type ToolRegistry } from '@praxis/core';
import type { AvoidanceHint } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { executeWorkflow, type RunnableWorkflow } from './executor.js';
import { applyHint, applyParamChange, conformToSchema, extraStepParams, preventiveFixes } from './hints.js';

const hint = (over: Partial<AvoidanceHint>): AvoidanceHint => ({
  toolName: 'book_flight',
  fingerprint: 'fp',
  kind: 'PARAM_CHANGE',
  description: 'd',
  paramChangesJson: null,
  extraToolName: null,
  occurrences: 3,
  ...over,
});

describe('conformToSchema', () => {
  it('repairs the value shapes the fleet and real tools refuse', () => {
    expect(conformToSchema('11/27/2026', { type: 'string', format: 'date' })).toEqual({ value: '2026-11-27' });
    expect(conformToSchema('Economy', { type: 'string', enum: ['business', 'economy'] })).toEqual({ value: 'economy' });
    expect(conformToSchema('first class', { type: 'string', enum: ['economy', 'first_class'] })).toEqual({ value: 'first_class' });
    expect(conformToSchema(' 42 ', { type: 'integer' })).toEqual({ value: 42 });
    expect(conformToSchema('ord-77', { type: 'string', pattern: '^ORD-\\d+$' })).toEqual({ value: 'ORD-77' });
  });

  it('keeps a value that already conforms and gives up when nothing fits', () => {
    expect(conformToSchema('2026-01-02', { type: 'string', format: 'date' })).toEqual({ value: '2026-01-02' });
    expect(conformToSchema('someday', { type: 'string', format: 'date' })).toBeNull();
    expect(conformToSchema('premium', { type: 'string', enum: ['economy'] })).toBeNull();
  });
});

describe('PARAM_CHANGE', () => {
  it('sets literal fixes and conforms schema fixes', () => {
    const h = hint({ paramChangesJson: JSON.stringify({ currency: 'usd', date: { type: 'string', format: 'date' } }) });
    expect(applyParamChange(h, { currency: 'USD', date: '3/4/2026', to: 'LIS' })).toEqual({ currency: 'usd', date: '2026-03-04', to: 'LIS' });
  });

  it('applies only schema fixes preventively, and only when the argument breaks them', () => {
    const schemaHint = hint({ paramChangesJson: JSON.stringify({ date: { type: 'string', format: 'date' } }) });
    const literalHint = hint({ paramChangesJson: JSON.stringify({ currency: 'usd' }) });
    const bad = preventiveFixes('book_flight', [schemaHint, literalHint], { date: '3/4/2026', currency: 'EUR' });
    expect(bad.params).toEqual({ date: '2026-03-04', currency: 'EUR' });
    expect(bad.applied).toEqual([schemaHint]);
    expect(preventiveFixes('book_flight', [schemaHint], { date: '2026-03-04' }).applied).toEqual([]);
    expect(preventiveFixes('other_tool', [schemaHint], { date: '3/4/2026' }).applied).toEqual([]);
  });
});

describe('EXTRA_STEP', () => {
  it('builds the extra call from the recorded mapping, or passes the failed arguments', () => {
    const mapped = hint({ kind: 'EXTRA_STEP', extraToolName: 'build_image', paramChangesJson: JSON.stringify({ service: { fromParam: 'service' }, tag: { fromParam: 'version' } }) });
    expect(extraStepParams(mapped, { service: 'api', version: '1.2.0', env: 'prod' })).toEqual({ service: 'api', tag: '1.2.0' });
    expect(extraStepParams(hint({ kind: 'EXTRA_STEP' }), { a: 1 })).toEqual({ a: 1 });
  });

  it('calls the extra tool with the mapped arguments', async () => {
    const calls: unknown[] = [];
    const tools: ToolRegistry = { build_image: async (p) => calls.push(p) };
    const h = hint({ kind: 'EXTRA_STEP', extraToolName: 'build_image', paramChangesJson: JSON.stringify({ service: { fromParam: 'service' } }) });
    await expect(applyHint(h, { service: 'api', env: 'prod' }, tools)).resolves.toEqual({ ok: true, params: { service: 'api', env: 'prod' } });
    expect(calls).toEqual([{ service: 'api' }]);
  });
});

describe('executor with hints', () => {
  const workflow = (hints: AvoidanceHint[]): RunnableWorkflow => ({
    templateId: 'tpl_1',
    version: 1,
    slots: [{ name: 'date', schemaJson: '{"type":"string"}', required: true, source: 'QUERY', description: null, examplesJson: [] }],
    steps: [{ index: 0, toolName: 'book_flight', params: [{ path: 'date', kind: 'SLOT', valueJson: null, slotName: 'date', stepIndex: null, resultPath: null }], paramShapeHash: null, resultShapeHash: null }],
    avoidanceHints: hints,
  });
  const strictTool = (calls: unknown[]): ToolRegistry => ({
    book_flight: async (p) => {
      calls.push(p);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(String(p.date))) throw new ToolError(`Invalid date "${String(p.date)}"`, 'ValidationError');
      return { ok: true };
    },
  });

  it('avoids a known failure instead of meeting it', async () => {
    const calls: unknown[] = [];
    const h = hint({ paramChangesJson: JSON.stringify({ date: { type: 'string', format: 'date' } }) });
    const result = await executeWorkflow({ workflow: workflow([h]), tools: strictTool(calls), bindings: { date: '11/27/2026' } });
    expect(result.outcome).toBe('succeeded');
    expect(calls).toEqual([{ date: '2026-11-27' }]);
    expect(result.hintsApplied).toBe(1);
  });

  it('without the hint, the same run fails at the tool', async () => {
    const calls: unknown[] = [];
    const result = await executeWorkflow({ workflow: workflow([]), tools: strictTool(calls), bindings: { date: '11/27/2026' } });
    expect(result.outcome).toBe('failed');
    expect(result.error?.type).toBe('ValidationError');
  });
});

describe('learned enums', () => {
  const cityWorkflow = (source: 'LEARNED' | 'USER'): RunnableWorkflow => ({
    templateId: 'tpl_hotel',
    version: 1,
    source,
    slots: [{ name: 'city', schemaJson: JSON.stringify({ type: 'string', enum: ['Berlin', 'Paris'] }), required: true, source: 'QUERY', description: null, examplesJson: [] }],
    steps: [{ index: 0, toolName: 'search_hotels', params: [{ path: 'city', kind: 'SLOT', valueJson: null, slotName: 'city', stepIndex: null, resultPath: null }], paramShapeHash: null, resultShapeHash: null }],
  });
  const tools: ToolRegistry = { search_hotels: async (p) => ({ city: p.city }) };

  it('runs a learned template with a value the learner never saw (the enum lists what was seen)', async () => {
    const result = await executeWorkflow({ workflow: cityWorkflow('LEARNED'), tools, bindings: { city: 'Seoul' } });
    expect(result.outcome).toBe('succeeded');
  });

  it('holds a user workflow to its declared enum', async () => {
    const result = await executeWorkflow({ workflow: cityWorkflow('USER'), tools, bindings: { city: 'Seoul' } });
    expect(result.outcome).toBe('failed');
    expect(result.error?.type).toBe('ParameterError');
  });
});
