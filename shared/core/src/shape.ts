import { stableHash } from './hash.js';

/**
 * The structure of a JSON value without its values: primitives become their type name
 * ("string", "integer", "number", "boolean", "null"), objects map keys to shapes, arrays
 * become [shape of their elements] (elements merged; [] when empty). Depth-limited.
 */
export type Shape = string | Shape[] | { [key: string]: Shape };

export function shapeOf(value: unknown, maxDepth = 8): Shape {
  if (maxDepth <= 0) return 'any';
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    return [value.slice(0, 20).map((v) => shapeOf(v, maxDepth - 1)).reduce(mergeShapes)];
  }
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'object': {
      const out: Record<string, Shape> = {};
      for (const key of Object.keys(value as object).sort()) out[key] = shapeOf((value as Record<string, unknown>)[key], maxDepth - 1);
      return out;
    }
    default:
      return 'any';
  }
}

/** The shape that covers both (keys united; conflicting leaf types become "a|b"). */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length === 0) return b;
    if (b.length === 0) return a;
    return [mergeShapes(a[0]!, b[0]!)];
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, Shape> = {};
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      out[key] = key in a && key in b ? mergeShapes(a[key]!, b[key]!) : (a[key] ?? b[key])!;
    }
    return out;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    if ((a === 'integer' && b === 'number') || (a === 'number' && b === 'integer')) return 'number';
    return [...new Set([...a.split('|'), ...b.split('|')])].sort().join('|');
  }
  return 'any';
}

/** A short stable hash of a value's shape: changes exactly when the structure changes. */
export function shapeHash(value: unknown): string {
  return stableHash(shapeOf(value), 16);
}

/**
 * Whether a value has elements: a non-empty array or an object with a key. Null, an empty
 * array or object and every scalar (a message such as "nothing found") have none. It reads
 * a value and its shape (shapeOf) alike, so a condition learned from recorded shapes holds
 * on the live results.
 */
export function hasElements(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}
