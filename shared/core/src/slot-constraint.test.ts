import { describe, expect, it } from 'vitest';
import { slotConstraint } from './slot-constraint.js';

describe('slotConstraint', () => {
  it('keeps a learned enum out of the constraint and everything else in', () => {
    expect(slotConstraint({ type: 'string', enum: ['Berlin', 'Paris'], minLength: 2 }, 'LEARNED')).toEqual({ type: 'string', minLength: 2 });
  });

  it('keeps a user-declared enum whole', () => {
    const schema = { type: 'string', enum: ['low', 'high'] };
    expect(slotConstraint(schema, 'USER')).toEqual(schema);
  });
});
