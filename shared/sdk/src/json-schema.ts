// JSON Schema checks of slot values and tool parameters (ajv, draft-07 with formats).
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** Null when `value` satisfies the schema, else every problem in words. Invalid schemas are a problem too. */
export function schemaProblems(schema: string | object, value: unknown): string | null {
  const text = typeof schema === 'string' ? schema : JSON.stringify(schema);
  let fn = compiled.get(text);
  if (!fn) {
    try {
      fn = ajv.compile(typeof schema === 'string' ? (JSON.parse(schema) as object) : schema);
    } catch (error) {
      return `invalid schema: ${(error as Error).message}`;
    }
    if (compiled.size > 5_000) compiled.delete(compiled.keys().next().value!);
    compiled.set(text, fn);
  }
  if (fn(value)) return null;
  return (fn.errors ?? []).map((e) => `${e.instancePath || '(value)'} ${e.message ?? 'is invalid'}`).join('; ');
}
