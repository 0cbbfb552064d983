import { describe, expect, it } from 'vitest';
import { deeperThan } from './json-depth.js';
import { MAX_SCHEMA_DEPTH, schemaCompileProblem, schemaProblem, schemaProblems } from './json-schema.js';
import { compileSafePattern, safePatternProblem, safePatternTest } from './safe-pattern.js';

const nested = (levels: number): Record<string, unknown> => {
  let v: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < levels; i++) v = { type: 'array', items: v };
  return v;
};

describe('safe patterns', () => {
  it('runs a catastrophic pattern in linear time: ^(a+)+$ against 33 a and a b answers false', () => {
    expect(safePatternTest('^(a+)+$', `${'a'.repeat(33)}b`)).toBe(false);
    // a native RegExp needs 2^33 steps for this; RE2 one pass, so a 100k input is fine too
    expect(safePatternTest('^(a+)+$', `${'a'.repeat(100_000)}b`)).toBe(false);
    expect(safePatternTest('^(a+)+$', 'aaaa')).toBe(true);
  });

  it('refuses what a linear-time engine cannot run, with the reason', () => {
    expect(safePatternProblem('(a)\\1')).toMatch(/linear-time engine.*backreferences/);
    expect(safePatternProblem('^(?=.*\\d)\\w+$')).toMatch(/lookaround/);
    expect(safePatternProblem('x'.repeat(2_000))).toMatch(/limited to 1000 characters/);
    expect(safePatternProblem('^[A-Z]-\\d+$')).toBeNull();
    expect(typeof compileSafePattern('(')).toBe('string');
  });
});

describe('the JSON Schema wrapper', () => {
  it('checks patterns with RE2: a ReDoS pattern in a schema answers at once', () => {
    expect(schemaProblem({ type: 'string', pattern: '^(a+)+$' }, `${'a'.repeat(50_000)}b`)).toMatch(/must match pattern/);
    expect(schemaProblem({ type: 'object', patternProperties: { '^(x+)+$': { type: 'number' } } }, { [`${'x'.repeat(40)}y`]: 'text' })).toBeNull();
  });

  it('refuses schemas RE2 cannot run and schemas nested too deep, without overflowing the stack', () => {
    expect(schemaCompileProblem({ type: 'string', pattern: '(a)\\1' })).toMatch(/escape/);
    expect(schemaCompileProblem(nested(4_500))).toBe(`nested deeper than ${MAX_SCHEMA_DEPTH} levels`);
    expect(schemaProblem(JSON.stringify(nested(100)), [])).toMatch(/invalid schema: nested deeper/);
    expect(schemaCompileProblem(nested(5))).toBeNull();
  });

  it('reports the first problem, or every problem', () => {
    const schema = { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' } } };
    expect(schemaProblem(schema, { a: 'x', b: 1 })).toBe('/a must be integer');
    expect(schemaProblems(schema, { a: 'x', b: 1 })).toBe('/a must be integer; /b must be string');
    expect(schemaProblems({ type: 'string' }, 1)).toBe('(value) must be string');
  });

  it('measures depth without recursion', () => {
    expect(deeperThan(nested(4_500), 64)).toBe(true);
    expect(deeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(deeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
    expect(deeperThan('text', 0)).toBe(false);
  });
});
