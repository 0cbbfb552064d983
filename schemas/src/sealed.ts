import type { z } from 'zod';

/** Values a schema parsed in this process, frozen since: a later check by the same schema can trust them. */
const sealedBy = new WeakMap<object, z.ZodType>();

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/**
 * `schema.safeParse(value)`, and a success's data (an object) is frozen, deeply, and remembered
 * as valid for `schema`. A producer that is handed it later skips its own parse of the same
 * schema (isSealedBy): the value cannot have changed since, so one parse per value and process
 * is enough (the SDK's recorder parses each step as it is recorded; its producer used to parse
 * it again before encoding).
 */
export function parseSealed<S extends z.ZodType>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  const result = schema.safeParse(value) as z.ZodSafeParseResult<z.output<S>>;
  if (result.success && typeof result.data === 'object' && result.data !== null) {
    deepFreeze(result.data);
    sealedBy.set(result.data, schema);
  }
  return result;
}

/** Whether `value` is the frozen output of parseSealed(schema, ...). */
export function isSealedBy(schema: z.ZodType, value: unknown): boolean {
  return typeof value === 'object' && value !== null && sealedBy.get(value) === schema;
}
