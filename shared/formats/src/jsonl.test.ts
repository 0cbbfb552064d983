import { makeAgentStep, makeTrajectory } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { inEventTimeOrder, parseImportLine, type ImportLine } from './jsonl.js';

describe('import lines', () => {
  it('tells steps from trajectories by shape, or by their "type"', () => {
    expect(parseImportLine(JSON.stringify(makeAgentStep()), 1).kind).toBe('step');
    expect(parseImportLine(JSON.stringify(makeTrajectory()), 2).kind).toBe('trajectory');
    expect(parseImportLine(JSON.stringify({ type: 'step', ...makeAgentStep() }), 3).kind).toBe('step');
  });

  it('reports what is wrong with a line, by its number', () => {
    expect(parseImportLine('{"kind": "TOOL_CALL", ', 7)).toEqual({ kind: 'error', line: 7, reason: expect.stringMatching(/^not JSON/) });
    expect(parseImportLine('[1,2]', 8)).toEqual({ kind: 'error', line: 8, reason: 'not a JSON object' });
    expect(parseImportLine(JSON.stringify({ type: 'span', a: 1 }), 9)).toMatchObject({ kind: 'error', reason: 'unknown type "span" (expected "step" or "trajectory")' });
    expect(parseImportLine(JSON.stringify({ hello: 'world' }), 10)).toMatchObject({ kind: 'error', reason: expect.stringMatching(/^neither an AgentStep/) });
    expect(parseImportLine(JSON.stringify(makeAgentStep({ toolName: null })), 11)).toEqual({ kind: 'error', line: 11, reason: 'invalid AgentStep: toolName: is required for a TOOL_CALL step' });
    expect(parseImportLine(JSON.stringify({ ...makeTrajectory(), signature: ['x'] }), 12)).toMatchObject({ kind: 'error', reason: expect.stringMatching(/^invalid Trajectory: signature/) });
  });

  it('counts blank lines apart', () => {
    expect(parseImportLine('   ', 4)).toEqual({ kind: 'blank', line: 4 });
  });

  it('orders steps by event time, then session and seq', () => {
    const s = (sessionId: string, seq: number, t: number) => parseImportLine(JSON.stringify(makeAgentStep({ sessionId, seq, timestampMs: Date.UTC(2026, 0, 1) + t })), 1) as Extract<ImportLine, { kind: 'step' }>;
    const ordered = inEventTimeOrder([s('b', 1, 5), s('a', 2, 5), s('a', 0, 1)]).map((x) => `${x.step.sessionId}${x.step.seq}`);
    expect(ordered).toEqual(['a0', 'a2', 'b1']);
  });
});
