// JSON Schema checks of slot values and tool parameters (ajv, draft-07 with formats).
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: true });
addFormats(ajv);

const compiled = new Map<string, ValidateFunction>();
const MAX_CACHED = 10_000;

/** A compiled validator for a schema (cached by its JSON text). Throws when the schema is invalid. */
export function validatorFor(schema: string | Record<string, unknown>): ValidateFunction {
  const text = typeof schema === 'string' ? schema : JSON.stringify(schema);
  let fn = compiled.get(text);
  if (!fn) {
    fn = ajv.compile(typeof schema === 'string' ? (JSON.parse(schema) as object) : schema);
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
    compiled.set(text, fn);
  }
  return fn;
}

/** Null when `value` satisfies the schema, else the first problem in words. */
export function schemaProblem(schema: string | Record<string, unknown>, value: unknown): string | null {
  let fn: ValidateFunction;
  try {
    fn = validatorFor(schema);
  } catch (error) {
    return `invalid schema: ${(error as Error).message}`;
  }
  if (fn(value)) return null;
  const e = fn.errors?.[0];
  return e ? `${e.instancePath || 'value'} ${e.message ?? 'is invalid'}` : 'is invalid';
}

/** Null when the schema compiles, else why not. */
export function schemaCompileProblem(schema: Record<string, unknown>): string | null {
  try {
    validatorFor(schema);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
