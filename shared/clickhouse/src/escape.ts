// THE way a value from outside enters Praxis's ClickHouse SQL. The Debian server (18.16) has
// no server-side query parameters, so every value is written as a literal by these
// functions, which the suite proves on that server and on a current engine (chDB).

/** Trusted SQL text that `sql` inserts as is (identifiers, composed fragments). */
export class SqlFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A value `sql` can write as a literal. */
export type SqlValue = string | number | bigint | boolean | null | undefined | Date | SqlFragment | readonly SqlValue[];

/** Thrown for a value that has no safe literal (NaN, an invalid date, an unsupported type). */
export class SqlValueError extends Error {
  override name = 'SqlValueError';
}

// Backslash escapes understood by ClickHouse string literals since before 18.16 (tested there).
const NAMED_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A quoted ClickHouse string literal whose value is exactly `value` (UTF-8). */
export function quoteString(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `'${value.replace(/[\\'\x00-\x1f\x7f]/g, (ch) => NAMED_ESCAPES[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}

/** A backquoted identifier (table, column, database); refuses empty names and NUL. */
export function quoteIdentifier(name: string): SqlFragment {
  if (name.length === 0 || name.includes('\0')) throw new SqlValueError(`not a usable identifier: ${JSON.stringify(name)}`);
  return new SqlFragment(`\`${name.replace(/[\\`]/g, (ch) => `\\${ch}`)}\``);
}

/** Trusted SQL text, inserted without escaping. Never pass input from outside. */
export function raw(text: string): SqlFragment {
  return new SqlFragment(text);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 'YYYY-MM-DD hh:mm:ss' in UTC: what DateTime('UTC') columns read and print. */
export function formatDateTime(ms: number | Date): string {
  const d = typeof ms === 'number' ? new Date(ms) : ms;
  if (Number.isNaN(d.getTime())) throw new SqlValueError('invalid date');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** 'YYYY-MM-DD' in UTC. */
export function formatDate(ms: number | Date): string {
  return formatDateTime(ms).slice(0, 10);
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new SqlValueError(`number ${value} has no SQL literal`);
  // Negative numbers in parentheses, so `x - ${v}` never reads as a comment (`--`).
  return value < 0 || Object.is(value, -0) ? `(${String(value)})` : String(value);
}

/** The SQL literal of one value: strings quoted, numbers checked, dates in UTC, arrays nested. */
export function literal(value: SqlValue): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof SqlFragment) return value.text;
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'bigint') return value < 0n ? `(${value.toString()})` : value.toString();
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Date) return `toDateTime(${quoteString(formatDateTime(value))}, 'UTC')`;
  if (Array.isArray(value)) return `[${value.map((v) => literal(v)).join(', ')}]`;
  throw new SqlValueError(`unsupported SQL value of type ${typeof value}`);
}

/**
 * Tagged template that writes every interpolated value as a safe literal:
 * sql`SELECT count() FROM steps WHERE tenant_id = ${tenant}`.
 */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += literal(value) + (strings[i + 1] ?? '');
  });
  return out;
}

/** Values for `{name:Type}` placeholders. */
export type SqlParams = Record<string, SqlValue>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):([A-Za-z0-9_(), ']+)\}/g;

/** The placeholders `{name:Type}` of a query, in order of first appearance. */
export function placeholders(query: string): { name: string; type: string }[] {
  const seen = new Map<string, string>();
  for (const m of query.matchAll(PLACEHOLDER)) if (!seen.has(m[1]!)) seen.set(m[1]!, m[2]!.trim());
  return [...seen].map(([name, type]) => ({ name, type }));
}

function typedLiteral(name: string, type: string, value: SqlValue): string {
  const fail = (why: string): never => {
    throw new SqlValueError(`parameter ${name} (${type}): ${why}, got ${JSON.stringify(typeof value === 'bigint' ? value.toString() : value)}`);
  };
  if (value === undefined) fail('no value given');
  const array = /^Array\((.+)\)$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) fail('expected an array');
    const items = (value as SqlValue[]).map((v, i) => typedLiteral(`${name}[${i}]`, array[1]!, v));
    // An empty literal array has type Array(Nothing); the cast gives it the declared one.
    return items.length === 0 ? `CAST([] AS ${type})` : `[${items.join(', ')}]`;
  }
  const nullable = /^Nullable\((.+)\)$/.exec(type);
  if (nullable) return value === null ? 'NULL' : typedLiteral(name, nullable[1]!, value);
  if (value === null) fail('NULL for a type that is not Nullable');
  if (type === 'String') {
    if (typeof value !== 'string') fail('expected a string');
    return quoteString(value as string);
  }
  if (/^U?Int(8|16|32|64)$/.test(type) || /^Float(32|64)$/.test(type)) {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' && typeof n !== 'bigint') fail('expected a number');
    if (typeof n === 'number' && !Number.isFinite(n)) fail('expected a finite number');
    if (type.startsWith('U') && (typeof n === 'bigint' ? n < 0n : (n as number) < 0)) fail('expected a number >= 0');
    if (type.includes('Int') && typeof n === 'number' && !Number.isInteger(n)) fail('expected an integer');
    // A bare literal: 18.16 accepts no expression where a number is required (LIMIT n).
    return literal(n as number | bigint);
  }
  if (type === 'Date' || type === 'DateTime' || type === "DateTime('UTC')") {
    const d = value instanceof Date ? value : typeof value === 'number' ? new Date(value) : typeof value === 'string' ? parseUtc(value) : fail('expected a date');
    if (Number.isNaN((d as Date).getTime())) fail('expected a valid date');
    return type === 'Date' ? `toDate(${quoteString(formatDate(d as Date))})` : `toDateTime(${quoteString(formatDateTime(d as Date))}, 'UTC')`;
  }
  return fail('unsupported parameter type (String, [U]Int*, Float*, Date, DateTime, Nullable(T), Array(T))');
}

/** Reads 'YYYY-MM-DD', 'YYYY-MM-DD hh:mm:ss' or an ISO string; times without a zone are UTC. */
export function parseUtc(text: string): Date {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return new Date(`${t}T00:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) return new Date(`${t.replace(' ', 'T')}Z`);
  return new Date(t);
}

/**
 * Replaces the `{name:Type}` placeholders of a query (ClickHouse's own parameter syntax,
 * which the Debian server lacks) with typed literals. Every placeholder needs a value.
 */
export function bindParams(query: string, params: SqlParams = {}): string {
  // Only in code: a value already written as a literal may itself contain "{x:String}".
  return mapCode(query, (code) =>
    code.replace(PLACEHOLDER, (_, name: string, type: string) => {
      if (!Object.hasOwn(params, name)) throw new SqlValueError(`parameter ${name} (${type.trim()}): no value given`);
      return typedLiteral(name, type.trim(), params[name]);
    }),
  );
}

/** Applies `fn` to the parts of SQL text outside quotes ('', "", ``) and comments; the rest is kept. */
export function mapCode(text: string, fn: (code: string) => string): string {
  let out = '';
  let code = '';
  let i = 0;
  const keep = (end: number) => {
    out += fn(code) + text.slice(i, end);
    code = '';
    i = end;
  };
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' ? 2 : 1;
      keep(Math.min(text.length, j + 1));
    } else if (ch === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      keep(end === -1 ? text.length : end);
    } else if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      keep(end === -1 ? text.length : end + 2);
    } else {
      code += ch;
      i++;
    }
  }
  return out + fn(code);
}
