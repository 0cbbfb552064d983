// What the ported tools share: how a tool is declared (its Python keyword parameters and
// defaults), Python truthiness, pandas' regular-expression `contains`, pd.Timestamp, and the
// two ways a WorkBench tool fails.
import { ToolError } from '@praxis/core';
import type { SandboxTables } from './tables.js';

/**
 * The error type of a WorkBench tool's own failure message ("Event not found."): none. The
 * tool returns it as text, and the importer reads such text as an error without a type, so
 * the executor's fingerprint of the same failure is the one learned from the logs.
 */
export const WORKBENCH_ERROR = '';
/** The error type of a Python exception inside a tool (an unknown keyword, a bad regular expression). */
export const PYTHON_EXCEPTION = 'PythonException';

/** A tool's own failure: the Python returns this string and changes nothing. */
export const fail = (message: string): never => {
  throw new ToolError(message, WORKBENCH_ERROR);
};

/** A Python exception: `eval` raised; WorkBench's replay skips the call. */
export const raise = (message: string): never => {
  throw new ToolError(message, PYTHON_EXCEPTION);
};

export type Args = Record<string, unknown>;

export interface ToolSpec {
  /** The LangChain tool name, e.g. "calendar.create_event". */
  name: string;
  /** Keyword parameters in signature order, with their Python defaults (None unless given). */
  params: string[];
  defaults?: Record<string, unknown>;
  /** Whether the tool changes the state (tools_with_side_effects). */
  sideEffects: boolean;
  run(state: SandboxTables, args: Args): unknown;
}

/** Python truthiness of an argument: None and "" are false. */
export const truthy = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && v !== false;

/** An argument as the tool uses it (the Python would have a str). */
export const text = (v: unknown): string => (typeof v === 'string' ? v : String(v));

/** `series.str.contains(pattern, case=...)` (regex=True by default); an invalid pattern raises. */
export function containsTest(pattern: unknown, caseSensitive: boolean): (value: unknown) => boolean {
  if (typeof pattern !== 'string') return raise(`first argument must be string or compiled pattern, not ${pattern === null ? 'NoneType' : typeof pattern}`);
  let re: RegExp;
  try {
    re = new RegExp(pattern, caseSensitive ? '' : 'i');
  } catch (error) {
    return raise(`re.error: ${(error as Error).message}`);
  }
  return (value) => typeof value === 'string' && re.test(value);
}

/** pd.Timestamp(text) for the forms the data and the agents use; anything else raises. */
export function timestamp(v: unknown): number {
  const s = text(v).trim();
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(s);
  if (!m) return raise(`could not convert string to Timestamp: ${JSON.stringify(s)}`);
  const [, y, mo, d, h = '0', mi = '0', se = '0'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  const back = new Date(ms);
  if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || Number(h) > 23) return raise(`day is out of range for month: ${JSON.stringify(s)}`);
  return ms;
}

/** The date part of a timestamp, as epoch ms of its midnight. */
export const dateOf = (ms: number) => ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000);

/** Binds keyword arguments like a Python call: unknown keywords raise, missing ones take their default. */
export function bind(spec: ToolSpec, given: Args): Args {
  const unknown = Object.keys(given).filter((k) => !spec.params.includes(k));
  if (unknown.length) raise(`${spec.name.split('.').pop()}() got an unexpected keyword argument '${unknown[0]}'`);
  return Object.fromEntries(spec.params.map((p) => [p, p in given ? given[p] : (spec.defaults?.[p] ?? null)]));
}

/** A dict keyed by date, sorted by key (pandas groupby sorts). */
export function byDate<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
