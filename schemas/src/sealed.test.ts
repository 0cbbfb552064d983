import { describe, expect, it } from 'vitest';
import { AgentStepSchema } from './agent-step.js';
import { TrajectorySchema } from './trajectory.js';
import { isSealedBy, parseSealed } from './sealed.js';

const step = { eventId: 'e1', tenantId: 't', agentId: 'a', sessionId: 's', seq: 0, kind: 'QUERY', timestampMs: Date.UTC(2026, 0, 1), query: 'q', attributes: { k: 'v' } };

describe('parseSealed', () => {
  it('returns the parse, and only its data is trusted, by that schema only', () => {
    const parsed = parseSealed(AgentStepSchema, step);
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(parsed.data).toEqual(AgentStepSchema.parse(step));
    expect(isSealedBy(AgentStepSchema, parsed.data)).toBe(true);
    expect(isSealedBy(TrajectorySchema, parsed.data)).toBe(false);
    expect(isSealedBy(AgentStepSchema, step)).toBe(false);
    expect(isSealedBy(AgentStepSchema, { ...parsed.data })).toBe(false);
  });

  it('freezes the data deeply, so it cannot change after the parse', () => {
    const parsed = parseSealed(AgentStepSchema, step);
    if (!parsed.success) throw new Error('expected a valid step');
    expect(() => {
      (parsed.data as { query: string | null }).query = null;
    }).toThrow(TypeError);
    expect(() => {
      parsed.data.attributes.k = 'changed';
    }).toThrow(TypeError);
    expect(parsed.data.attributes.k).toBe('v');
  });

  it('seals nothing when the value is invalid', () => {
    const parsed = parseSealed(AgentStepSchema, { ...step, query: null });
    expect(parsed.success).toBe(false);
  });
});
