// Regular expressions that come from users or from learned data (slot patterns) run on a
// linear-time engine (RE2), so no pattern and no input can make a match backtrack for
// seconds and stall the event loop for every tenant (docs/router.md, "Safe patterns").
// RE2 has no backreferences and no lookaround: a pattern that needs them is refused.
import RE2 from 're2';

/** A compiled linear-time pattern (RE2 behind RegExp's test/exec/replace interface). */
export type SafePattern = RE2;

/** Longest pattern source accepted; RE2 also bounds the compiled program's size. */
export const MAX_PATTERN_LENGTH = 1_000;

const compiled = new Map<string, SafePattern | string>();
const MAX_CACHED = 5_000;

/**
 * Compiles `source` (JSON Schema / ECMAScript syntax) with RE2, cached. Returns the pattern,
 * or the reason it is refused (too long, or a construct RE2 cannot run in linear time).
 */
export function compileSafePattern(source: string, flags = 'u'): SafePattern | string {
  const key = `${flags}/${source}`;
  const hit = compiled.get(key);
  if (hit !== undefined) return hit;
  let out: SafePattern | string;
  if (source.length > MAX_PATTERN_LENGTH) out = `patterns are limited to ${MAX_PATTERN_LENGTH} characters`;
  else {
    try {
      out = new RE2(source, flags);
    } catch (error) {
      out = `not a pattern a linear-time engine can run (no backreferences or lookaround): ${(error as Error).message}`;
    }
  }
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, out);
  return out;
}

/** Null when `source` compiles as a safe pattern, else why not. */
export function safePatternProblem(source: string): string | null {
  const out = compileSafePattern(source);
  return typeof out === 'string' ? out : null;
}

/** Whether `value` matches the safe pattern `source`; false when the pattern is refused. */
export function safePatternTest(source: string, value: string): boolean {
  const re = compileSafePattern(source);
  if (typeof re === 'string') return false;
  re.lastIndex = 0;
  return re.test(value);
}

/** RE2 as ajv's regular-expression engine (ajv's `code.regExp` option). */
export const re2Engine = Object.assign((pattern: string, flags: string) => new RE2(pattern, flags), { code: 'require("re2")' });
