// How the executor uses avoidance hints (docs/sdk.md, "Avoidance hints"). The inducer
// records a PARAM_CHANGE fix per parameter path either as the literal value that worked
// (a JSON primitive) or, when the working values differed, as the JSON Schema they all
// satisfied (an object); an EXTRA_STEP fix may map the extra tool's arguments to the failed
// call's ({"image": {"fromParam": "service"}}).
import { getPath, parseCalendarDate, schemaProblems, setPath, type ToolRegistry } from '@praxis/core';
import type { AvoidanceHint } from '@praxis/schemas';

type Schema = Record<string, unknown>;
type Fix = { path: string; literal: unknown } | { path: string; schema: Schema };

/** The per-path fixes of a PARAM_CHANGE hint; null when its JSON is unusable. */
export function parseParamChanges(hint: AvoidanceHint): Fix[] | null {
  let changes: unknown;
  try {
    changes = JSON.parse(hint.paramChangesJson ?? '{}');
  } catch {
    return null;
  }
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) return null;
  return Object.entries(changes as Record<string, unknown>)
    .filter(([path]) => path !== '')
    .map(([path, v]) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? { path, schema: v as Schema } : { path, literal: v }));
}

/**
 * The value made to satisfy `schema`, when a known repair does it: ISO dates from other
 * date spellings, the enum symbol that differs only in case or spacing, numbers from
 * numeric text, text trimmed or re-cased to fit a pattern. Null when nothing fits.
 */
export function conformToSchema(value: unknown, schema: Schema): { value: unknown } | null {
  if (schemaProblems(schema, value) === null) return { value };
  const candidates: unknown[] = [];
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (schema.format === 'date') candidates.push(parseCalendarDate(trimmed));
    if (schema.format === 'date-time') {
      const ms = Date.parse(trimmed);
      if (!Number.isNaN(ms)) candidates.push(new Date(ms).toISOString());
    }
    if (Array.isArray(schema.enum)) {
      const norm = (s: unknown) => String(s).trim().toLowerCase().replace(/[\s-]+/g, '_');
      candidates.push(schema.enum.find((e) => norm(e) === norm(trimmed)));
    }
    if (schema.type === 'integer' || schema.type === 'number') candidates.push(Number(trimmed));
    candidates.push(trimmed, trimmed.toLowerCase(), trimmed.toUpperCase());
  } else if (typeof value === 'number' && schema.type === 'string') {
    candidates.push(String(value));
  }
  for (const c of candidates) if (c !== undefined && c !== null && !Number.isNaN(c) && schemaProblems(schema, c) === null) return { value: c };
  return null;
}

/** The arguments after a PARAM_CHANGE hint: literals set, schema fixes conformed. Null when a fix cannot be made. */
export function applyParamChange(hint: AvoidanceHint, params: Record<string, unknown>): Record<string, unknown> | null {
  const fixes = parseParamChanges(hint);
  if (!fixes) return null;
  const next = structuredClone(params);
  for (const fix of fixes) {
    if ('literal' in fix) {
      setPath(next, fix.path, fix.literal);
      continue;
    }
    const conformed = conformToSchema(getPath(next, fix.path), fix.schema);
    if (!conformed) return null;
    setPath(next, fix.path, conformed.value);
  }
  return next;
}

/**
 * Fixes made before the first call: a schema-form PARAM_CHANGE hint of this tool whose
 * schema the argument violates and can be made to satisfy. Literal fixes wait for the
 * failure, since a literal that once worked is no proof the current value is wrong.
 */
export function preventiveFixes(toolName: string, hints: readonly AvoidanceHint[], params: Record<string, unknown>): { params: Record<string, unknown>; applied: AvoidanceHint[] } {
  let current = params;
  const applied: AvoidanceHint[] = [];
  for (const hint of hints) {
    if (hint.toolName !== toolName || hint.kind !== 'PARAM_CHANGE') continue;
    const fixes = parseParamChanges(hint);
    if (!fixes || fixes.length === 0 || fixes.some((f) => 'literal' in f)) continue;
    const violated = fixes.some((f) => 'schema' in f && schemaProblems(f.schema, getPath(current, f.path)) !== null);
    if (!violated) continue;
    const next = applyParamChange(hint, current);
    if (!next) continue;
    current = next;
    applied.push(hint);
  }
  return { params: current, applied };
}

/** The arguments of an EXTRA_STEP hint's extra call: mapped from the failed call when the hint says how, else the same. */
export function extraStepParams(hint: AvoidanceHint, failedParams: Record<string, unknown>): Record<string, unknown> {
  let mapping: unknown = null;
  try {
    mapping = JSON.parse(hint.paramChangesJson ?? 'null');
  } catch {
    mapping = null;
  }
  if (!mapping || typeof mapping !== 'object') return structuredClone(failedParams);
  const params: Record<string, unknown> = {};
  for (const [path, source] of Object.entries(mapping as Record<string, unknown>)) {
    const from = (source as { fromParam?: unknown } | null)?.fromParam;
    if (typeof from === 'string') setPath(params, path, getPath(failedParams, from));
  }
  return params;
}

type HintResult = { ok: true; params: Record<string, unknown> } | { ok: false; reason: string };

/** Applies a hint after its failure: PARAM_CHANGE fixes the arguments, EXTRA_STEP calls the extra tool first, RETRY retries. */
export async function applyHint(hint: AvoidanceHint, params: Record<string, unknown>, tools: ToolRegistry): Promise<HintResult> {
  if (hint.kind === 'RETRY') return { ok: true, params };
  if (hint.kind === 'PARAM_CHANGE') {
    const next = applyParamChange(hint, params);
    return next ? { ok: true, params: next } : { ok: false, reason: 'its parameter change does not apply to these arguments' };
  }
  const extra = hint.extraToolName ? tools[hint.extraToolName] : undefined;
  if (!extra) return { ok: false, reason: `no tool "${hint.extraToolName}" for the extra step` };
  try {
    await extra(extraStepParams(hint, params));
  } catch (error) {
    return { ok: false, reason: `extra step ${hint.extraToolName} failed: ${(error as Error).message}` };
  }
  return { ok: true, params };
}
