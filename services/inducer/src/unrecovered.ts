// Fixes learned across runs. Real agents often fail a call and never retry it: the run just
// fails (in WorkBench's logs most failing calls are never followed by a successful retry of
// the same call). The successful runs that call the same tool with the same parameters show
// the fix: where the failed value does not have the form every successful value has (a date
// in another format, an enum value in another case, a number as text), a PARAM_CHANGE hint
// in schema form says what form works; the executor conforms arguments to it before calling.
import type { JsonPrimitive } from '@praxis/core';
import type { AvoidanceHint } from '@praxis/schemas';
import { fitsSchema, schemaOf, type JsonSchema } from './slot-schema.js';
import type { InstanceStep, TrajectorySummary } from './summary.js';

/** Successful calls of a tool needed before their common form counts as the fix. */
export const MIN_SUCCESSFUL_CALLS = 2;

/** Indices of failed steps that no later step of the same trajectory retried successfully. */
function unrecovered(t: TrajectorySummary): number[] {
  const fixed = new Set(t.steps.filter((s) => s.status === 'OK' && s.retryOf !== null).map((s) => s.retryOf!));
  return t.steps.flatMap((s, i) => (s.status === 'ERROR' && s.errorFingerprint && !fixed.has(i) ? [i] : []));
}

const describeSchema = (s: JsonSchema) => (s.format ? `a ${String(s.format)}` : s.pattern ? `text matching ${String(s.pattern)}` : Array.isArray(s.enum) ? `one of ${s.enum.slice(0, 5).map((v) => JSON.stringify(v)).join(', ')}` : `a ${String(s.type)}`);

/** PARAM_CHANGE hints (schema form) for failures nobody fixed in their own run, from the successful calls of the same tool. */
export function crossRunHints(summaries: readonly TrajectorySummary[], maxEnum: number): AvoidanceHint[] {
  const ok = new Map<string, InstanceStep[]>();
  for (const t of summaries) {
    if (!t.success) continue;
    for (const s of t.steps) {
      if (s.status !== 'OK') continue;
      const key = `${s.toolName}\u0000${s.paramShapeHash}`;
      const list = ok.get(key);
      if (list) list.push(s);
      else ok.set(key, [s]);
    }
  }
  // the form of a parameter's successful values, once per (tool, shape, path): many failures share them
  const schemas = new Map<string, { seen: JsonPrimitive[]; schema: JsonSchema }>();
  const successfulForm = (shape: string, good: readonly InstanceStep[], path: string) => {
    const key = `${shape}\u0000${path}`;
    let found = schemas.get(key);
    if (!found) {
      const seen = good.map((s) => s.values.get(path)).filter((v): v is JsonPrimitive => v !== undefined);
      found = { seen, schema: seen.length < MIN_SUCCESSFUL_CALLS ? {} : schemaOf(seen, maxEnum) };
      schemas.set(key, found);
    }
    return found;
  };
  const groups = new Map<string, { hint: AvoidanceHint; failed: InstanceStep }>();
  for (const t of summaries) {
    for (const i of unrecovered(t)) {
      const failed = t.steps[i]!;
      const shape = `${failed.toolName}\u0000${failed.paramShapeHash}`;
      const good = ok.get(shape) ?? [];
      if (good.length < MIN_SUCCESSFUL_CALLS) continue;
      const changes: Record<string, JsonSchema> = {};
      for (const [path, value] of failed.values) {
        const { seen, schema } = successfulForm(shape, good, path);
        if (seen.length < MIN_SUCCESSFUL_CALLS) continue;
        if (fitsSchema(schema, value)) continue;
        // a value outside the values seen is only wrong in form when it is one of them written otherwise ("qualified" for "Qualified")
        const norm = (v: unknown) => String(v).trim().toLowerCase().replace(/[\s-]+/g, '_');
        if (Array.isArray(schema.enum) && !schema.enum.some((e) => norm(e) === norm(value))) continue;
        changes[path] = schema;
      }
      const paths = Object.keys(changes).sort();
      if (paths.length === 0) continue;
      const key = [failed.toolName, failed.errorFingerprint, ...paths].join('\u0000');
      const g = groups.get(key);
      if (g) {
        g.hint.occurrences++;
        continue;
      }
      const shown = paths.map((p) => `${p} as ${describeSchema(changes[p]!)} (not ${JSON.stringify(failed.values.get(p))})`).join(', ');
      groups.set(key, {
        failed,
        hint: {
          toolName: failed.toolName,
          fingerprint: failed.errorFingerprint!,
          kind: 'PARAM_CHANGE',
          description: `${failed.toolName} failed with "${failed.errorMessage ?? failed.errorType ?? ''}" in runs that did not recover; successful runs pass ${shown}`,
          paramChangesJson: JSON.stringify(Object.fromEntries(paths.map((p) => [p, changes[p]]))),
          extraToolName: null,
          occurrences: 1,
        },
      });
    }
  }
  return [...groups.values()].map((g) => g.hint);
}
