import { createHash, createHmac } from 'node:crypto';

/** JSON with object keys sorted, so equal values always give equal text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Hex sha-256 of a value's stable JSON, cut to `length` characters. */
export function stableHash(value: unknown, length = 16): string {
  return createHash('sha256').update(typeof value === 'string' ? value : stableStringify(value)).digest('hex').slice(0, length);
}

/**
 * A deterministic id that only holders of `key` can compute: HMAC-SHA-256 of the parts.
 * Still the same for the same parts (replays, retries), but another tenant who knows the
 * parts cannot derive it.
 */
export function keyedId(prefix: string, key: string, ...parts: (string | number)[]): string {
  return `${prefix}_${createHmac('sha256', key).update(parts.map(String).join('\u0000')).digest('hex').slice(0, 20)}`;
}

/** A deterministic id: the same parts always give the same id (replays, retries). */
export function deterministicId(prefix: string, ...parts: (string | number)[]): string {
  return `${prefix}_${stableHash(parts.map(String).join('\u0000'), 20)}`;
}
