import { describe, expect, it } from 'vitest';
import { errorFingerprint, normaliseErrorMessage } from './fingerprint.js';
import { deterministicId, stableHash, stableStringify } from './hash.js';
import { getPath, joinPath, leaves, setPath, splitPath } from './json-path.js';
import { mergeShapes, shapeHash, shapeOf } from './shape.js';

describe('stable hashing', () => {
  it('ignores key order, not values', () => {
    expect(stableStringify({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(stableHash({ a: 1, b: 2 })).toBe(stableHash({ b: 2, a: 1 }));
    expect(stableHash({ a: 1 })).not.toBe(stableHash({ a: 2 }));
  });

  it('gives deterministic ids that separate their parts', () => {
    expect(deterministicId('traj', 't', 'a', 's')).toBe(deterministicId('traj', 't', 'a', 's'));
    expect(deterministicId('traj', 'ab', 'c')).not.toBe(deterministicId('traj', 'a', 'bc'));
    expect(deterministicId('tpl', 'x')).toMatch(/^tpl_[0-9a-f]{20}$/);
  });
});

describe('dot paths', () => {
  const doc = { order: { id: 'A-1', items: [{ sku: 'X' }, { sku: 'Y' }], 'a.b': 1 } };

  it('reads objects and arrays, and misses cleanly', () => {
    expect(getPath(doc, 'order.items.1.sku')).toBe('Y');
    expect(getPath(doc, 'order\\.missing')).toBeUndefined();
    expect(getPath(doc, 'order.items.x')).toBeUndefined();
    expect(getPath(doc, '')).toBe(doc);
    expect(getPath(doc, 'order.a\\.b')).toBe(1);
  });

  it('splits and joins with escaped dots', () => {
    expect(splitPath('a.b\\.c.0')).toEqual(['a', 'b.c', '0']);
    expect(joinPath(['a', 'b.c', 0])).toBe('a.b\\.c.0');
  });

  it('sets deep values, creating arrays for numeric segments', () => {
    const target: Record<string, unknown> = {};
    setPath(target, 'a.list.0.name', 'n');
    expect(target).toEqual({ a: { list: [{ name: 'n' }] } });
  });

  it('lists leaves with paths, bounded', () => {
    expect(leaves(doc).map((l) => l.path)).toEqual(['order.id', 'order.items.0.sku', 'order.items.1.sku', 'order.a\\.b']);
    expect(leaves({ a: Array.from({ length: 50 }, (_, i) => i) }, 10)).toHaveLength(10);
  });
});

describe('shapes', () => {
  it('keeps keys and types, never values', () => {
    const shape = shapeOf({ id: 'A-1', total: 12.5, n: 3, tags: ['a'], ok: true, none: null });
    expect(shape).toEqual({ id: 'string', n: 'integer', none: 'null', ok: 'boolean', tags: ['string'], total: 'number' });
    expect(JSON.stringify(shape)).not.toContain('A-1');
  });

  it('hash changes with structure, not with values', () => {
    expect(shapeHash({ id: 'A', items: [{ q: 1 }] })).toBe(shapeHash({ id: 'B', items: [{ q: 9 }, { q: 2 }] }));
    expect(shapeHash({ id: 'A' })).not.toBe(shapeHash({ id: 'A', extra: 1 }));
    expect(shapeHash({ id: 'A' })).not.toBe(shapeHash({ id: 1 }));
  });

  it('merges element shapes of arrays', () => {
    expect(shapeOf([{ a: 1 }, { b: 'x' }])).toEqual([{ a: 'integer', b: 'string' }]);
    expect(mergeShapes('integer', 'number')).toBe('number');
    expect(mergeShapes('string', 'null')).toBe('null|string');
  });
});

describe('error fingerprints', () => {
  it('strips what varies between occurrences', () => {
    expect(normaliseErrorMessage('Order A-1001 not found (request 8f3a2c9d1e) after 3 tries')).toBe('Order <id> not found (request <hex>) after <num> tries');
    expect(normaliseErrorMessage('rate limited: retry in 1.5s for user bob@example.com at 2026-11-01T10:00:00Z')).toBe('rate limited: retry in <num>s for user <email> at <ts>');
    expect(normaliseErrorMessage('invalid value "pending" for field \'status\'')).toBe('invalid value <str> for field <str>');
    expect(normaliseErrorMessage('GET https://api.x/y?id=7 failed, id 0b3c1f2e-1234-4abc-8def-0123456789ab')).toBe('GET <url> failed, id <uuid>');
  });

  it('gives one fingerprint per failure kind, per tool and type', () => {
    const a = errorFingerprint('get_order', 'NotFound', 'Order A-1001 not found');
    expect(errorFingerprint('get_order', 'NotFound', 'Order B-77 not found')).toBe(a);
    expect(errorFingerprint('get_invoice', 'NotFound', 'Order A-1001 not found')).not.toBe(a);
    expect(errorFingerprint('get_order', 'Timeout', 'Order A-1001 not found')).not.toBe(a);
    expect(errorFingerprint('get_order', 'NotFound', 'Customer A-1001 not found')).not.toBe(a);
  });
});
