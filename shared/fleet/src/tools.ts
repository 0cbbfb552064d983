// The tool model of the fleet: a tool has a JSON Schema of its parameters and a
// deterministic implementation against a small world state. Failures follow fixed rules
// with known fixes, so learned avoidance hints can be checked and can matter when a
// template is executed (see README.md).
import { stableStringify, ToolError, type ToolRegistry } from '@praxis/core';
import { hashInt } from './random.js';

export type JsonSchema = Record<string, unknown>;

/** What a simulated environment remembers between calls. */
export interface World {
  /** Calls seen per tool and parameters: a rate-limited call succeeds when repeated. */
  calls: Map<string, number>;
  /** Images built (`service@version`): the prerequisite of a deploy. */
  built: Set<string>;
}

/** A fresh world: nothing called, nothing built. */
export const newWorld = (): World => ({ calls: new Map(), built: new Set() });

/** A tool of an agent: name, parameter schema, and a deterministic implementation that throws ToolError. */
export interface ToolDef {
  name: string;
  description: string;
  parameters: JsonSchema;
  /** Exploration tools are looked at, never depended on (their results feed no later step). */
  exploration?: boolean;
  /** The error rules this tool enforces (documentation and ground truth). */
  errors?: ErrorKind[];
  run(params: Record<string, unknown>, world: World): unknown;
}

/** The injected error kinds, each with its deterministic rule and its known fix. */
export const ERROR_KINDS = {
  DATE_FORMAT: { hint: 'PARAM_CHANGE', rule: 'a date parameter not in YYYY-MM-DD fails with ValidationError; the fix is the ISO date' },
  ENUM_CASE: { hint: 'PARAM_CHANGE', rule: 'an enum parameter in the wrong case fails with ValidationError; the fix is the lower-case value' },
  PREREQUISITE: { hint: 'EXTRA_STEP', rule: 'deploy_service fails with PreconditionFailed when the image is not built; the fix is build_image first' },
  RATE_LIMIT: { hint: 'RETRY', rule: 'some calls are rate limited the first time (RateLimited, transient); the fix is to retry' },
} as const;
export type ErrorKind = keyof typeof ERROR_KINDS;

// ---- schema helpers -------------------------------------------------------------------

export const S = {
  str: (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra }),
  int: (extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', ...extra }),
  num: (extra: JsonSchema = {}): JsonSchema => ({ type: 'number', ...extra }),
  date: (): JsonSchema => ({ type: 'string', format: 'date' }),
  dateTime: (): JsonSchema => ({ type: 'string', format: 'date-time' }),
  email: (): JsonSchema => ({ type: 'string', format: 'email' }),
  id: (pattern: string): JsonSchema => ({ type: 'string', pattern }),
  oneOf: (values: readonly string[]): JsonSchema => ({ type: 'string', enum: [...values] }),
  obj: (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
    type: 'object',
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    additionalProperties: false,
  }),
};

// ---- the deterministic error rules ------------------------------------------------------

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** DATE_FORMAT: dates must be YYYY-MM-DD. */
export function requireIsoDate(value: unknown, field: string): void {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) {
    throw new ToolError(`Invalid date "${String(value)}" for field "${field}": expected YYYY-MM-DD`, 'ValidationError');
  }
}

/** ENUM_CASE (and any other bad enum value): the value must be one of the list, exactly. */
export function requireEnum(value: unknown, field: string, values: readonly string[]): void {
  if (typeof value !== 'string' || !values.includes(value)) {
    throw new ToolError(`Invalid ${field} "${String(value)}": expected one of ${values.join(', ')}`, 'ValidationError');
  }
}

/** RATE_LIMIT: the first call with these parameters fails for one call in `every`; a retry succeeds. */
export function rateLimit(world: World, tool: string, params: Record<string, unknown>, every = 4): void {
  const key = `${tool}:${stableStringify(params)}`;
  const seen = world.calls.get(key) ?? 0;
  world.calls.set(key, seen + 1);
  if (seen === 0 && hashInt('rate', key) % every === 0) {
    throw new ToolError(`Rate limit exceeded for ${tool}, retry after 2s`, 'RateLimited', true);
  }
}

/** Whether a call with these parameters is rate limited the first time (for generators and tests). */
export function isRateLimited(tool: string, params: Record<string, unknown>, every = 4): boolean {
  return hashInt('rate', `${tool}:${stableStringify(params)}`) % every === 0;
}

/** PREREQUISITE: an image exists when it was pre-built (3 in 4 versions) or built in this world. */
export function imageExists(world: World, service: string, version: string): boolean {
  return world.built.has(`${service}@${version}`) || hashInt('prebuilt', service, version) % 4 !== 0;
}

/** NotFound for ids whose number starts with 0: the fleet's failing tasks ask for those. */
export function requireExisting(value: unknown, what: string): void {
  const digits = String(value).replace(/^\D+/, '');
  if (digits.startsWith('0')) throw new ToolError(`No ${what} "${String(value)}" exists`, 'NotFound');
}

/** A ToolRegistry (the @praxis/core contract: async, throws ToolError) over tool definitions and one world. */
export function toRegistry(tools: readonly ToolDef[], world: World = newWorld()): ToolRegistry {
  return Object.fromEntries(tools.map((t) => [t.name, async (params: Record<string, unknown>) => t.run(structuredClone(params), world)]));
}
