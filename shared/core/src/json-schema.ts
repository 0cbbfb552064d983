// The one JSON Schema wrapper (ajv, draft-07 with formats) for slot values and tool
// parameters, used by the router and the SDK. Patterns (`pattern`, `patternProperties`)
// run on RE2 (safe-pattern.ts), so a user's or a learned schema cannot backtrack; schemas
// nested deeper than MAX_SCHEMA_DEPTH are refused before anything recurses into them.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { deeperThan } from './json-depth.js';
import { re2Engine } from './safe-pattern.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Deepest nesting of a JSON Schema that is compiled. */
export const MAX_SCHEMA_DEPTH = 32;

// Two engines, one configuration: the first error is enough for the router's many cheap
// checks (allErrors off is faster); the SDK reports every problem of a tool's arguments.
const engines = {
  first: addFormats(new Ajv({ strict: false, allErrors: false, validateSchema: true, code: { regExp: re2Engine } })),
  all: addFormats(new Ajv({ strict: false, allErrors: true, validateSchema: true, code: { regExp: re2Engine } })),
};
type Engine = keyof typeof engines;

const compiled = { first: new Map<string, ValidateFunction | Error>(), all: new Map<string, ValidateFunction | Error>() };
const MAX_CACHED = 10_000;

/** A compiled validator for a schema (cached by its JSON text). Throws when the schema is invalid, unsafe or too deep. */
export function validatorFor(schema: string | object, engine: Engine = 'first'): ValidateFunction {
  // checked before JSON.stringify, which would overflow the stack on a very deep object
  if (typeof schema === 'object' && deeperThan(schema, MAX_SCHEMA_DEPTH)) throw new Error(`nested deeper than ${MAX_SCHEMA_DEPTH} levels`);
  const text = typeof schema === 'string' ? schema : JSON.stringify(schema);
  const cache = compiled[engine];
  let fn = cache.get(text);
  if (!fn) {
    try {
      const parsed = typeof schema === 'string' ? (JSON.parse(schema) as unknown) : schema;
      if (typeof schema === 'string' && deeperThan(parsed, MAX_SCHEMA_DEPTH)) throw new Error(`nested deeper than ${MAX_SCHEMA_DEPTH} levels`);
      fn = engines[engine].compile(parsed as object);
    } catch (error) {
      fn = error as Error;
    }
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(text, fn);
  }
  if (fn instanceof Error) throw fn;
  return fn;
}

function problemsOf(engine: Engine, schema: string | object, value: unknown, root: string): string | null {
  let fn: ValidateFunction;
  try {
    fn = validatorFor(schema, engine);
  } catch (error) {
    return `invalid schema: ${(error as Error).message}`;
  }
  if (fn(value)) return null;
  const errors = fn.errors ?? [];
  if (errors.length === 0) return `${root} is invalid`;
  return errors.map((e) => `${e.instancePath || root} ${e.message ?? 'is invalid'}`).join('; ');
}

/** Null when `value` satisfies the schema, else the first problem in words. Invalid schemas are a problem too. */
export function schemaProblem(schema: string | object, value: unknown): string | null {
  return problemsOf('first', schema, value, 'value');
}

/** Null when `value` satisfies the schema, else every problem in words. Invalid schemas are a problem too. */
export function schemaProblems(schema: string | object, value: unknown): string | null {
  return problemsOf('all', schema, value, '(value)');
}

/** Null when the schema compiles, else why not. */
export function schemaCompileProblem(schema: object): string | null {
  try {
    validatorFor(schema);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
