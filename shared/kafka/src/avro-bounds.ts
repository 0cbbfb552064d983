// A bounds check of Avro binary bodies against their writer schema, run before avsc decodes
// them. avsc trusts block counts: a map whose block claims 2^50 entries makes fromBuffer
// loop (synchronously, for hours) over an exhausted buffer. This walk reads the same bytes
// the same way but never allocates, and refuses a count, length or nesting that the
// remaining bytes or the caps cannot hold, so a poison record fails in microseconds.
import type avro from 'avsc';

/** Caps on one record's body; a body beyond any of them is refused before decoding. */
export interface DecodeLimits {
  /** Array items plus map entries over the whole record (bounds decoded size where items take no bytes, e.g. nulls). */
  maxItems: number;
  /** Longest string or bytes value. */
  maxValueBytes: number;
  /** Deepest nesting of records, arrays and maps. */
  maxDepth: number;
  /** Largest body (Kafka's own message size limit is usually lower). */
  maxBodyBytes: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxItems: 200_000, maxValueBytes: 8 * 1024 * 1024, maxDepth: 64, maxBodyBytes: 16 * 1024 * 1024 };

/** A body that breaks the writer schema's structure or a cap; the message says which. */
export class AvroBoundsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AvroBoundsError';
  }
}

interface Cursor {
  buf: Uint8Array;
  pos: number;
  items: number;
  depth: number;
  limits: DecodeLimits;
}

type Scan = (c: Cursor) => void;

const fail = (message: string): never => {
  throw new AvroBoundsError(message);
};

/** Reads a zigzag varint long as a number (exact below 2^53; beyond, only its size matters here). */
function readLong(c: Cursor): number {
  let n = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.buf.length) fail(`truncated at byte ${c.pos}`);
    const b = c.buf[c.pos++]!;
    n += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
    scale *= 128;
  }
  return fail(`varint longer than 10 bytes at byte ${c.pos}`);
}

function skip(c: Cursor, n: number, what: string): void {
  if (n > c.buf.length - c.pos) fail(`${what} of ${n} bytes at byte ${c.pos} exceeds the ${c.buf.length - c.pos} bytes left`);
  c.pos += n;
}

function scanBytes(c: Cursor): void {
  const len = readLong(c);
  if (len < 0) fail(`negative length ${len} at byte ${c.pos}`);
  if (len > c.limits.maxValueBytes) fail(`value of ${len} bytes exceeds the cap of ${c.limits.maxValueBytes}`);
  skip(c, len, 'value');
}

const typeNameOf = (t: avro.Type): string => {
  const logical = (t as unknown as { underlyingType?: avro.Type }).underlyingType;
  return logical ? typeNameOf(logical) : (t.typeName as string);
};

const underlying = (t: avro.Type): avro.Type => (t as unknown as { underlyingType?: avro.Type }).underlyingType ?? t;

/** The fewest bytes a value of the type can take (recursion counts as 0: the caps still apply). */
function minBytes(t: avro.Type, seen = new Set<avro.Type>()): number {
  const u = underlying(t);
  if (seen.has(u)) return 0;
  switch (typeNameOf(u)) {
    case 'null':
      return 0;
    case 'float':
      return 4;
    case 'double':
      return 8;
    case 'fixed':
      return (u as unknown as { size: number }).size;
    case 'record':
    case 'error': {
      seen.add(u);
      const sum = (u as unknown as { fields: { type: avro.Type }[] }).fields.reduce((n, f) => n + minBytes(f.type, seen), 0);
      seen.delete(u);
      return sum;
    }
    default:
      return 1; // boolean, int, long, enum, string, bytes, array, map, union: at least one byte
  }
}

function blocks(c: Cursor, what: string, entryMin: number, entry: Scan): void {
  if (++c.depth > c.limits.maxDepth) fail(`nesting deeper than ${c.limits.maxDepth}`);
  for (;;) {
    let n = readLong(c);
    if (n === 0) break;
    if (n < 0) {
      n = -n;
      const size = readLong(c);
      if (size < 0 || size > c.buf.length - c.pos) fail(`${what} block size ${size} at byte ${c.pos} exceeds the ${c.buf.length - c.pos} bytes left`);
    }
    if (n > c.limits.maxItems - c.items) fail(`${what} block count ${n} exceeds the cap of ${c.limits.maxItems} items per record`);
    if (entryMin > 0 && n * entryMin > c.buf.length - c.pos) fail(`${what} block count ${n} needs at least ${n * entryMin} bytes, ${c.buf.length - c.pos} left`);
    c.items += n;
    for (let i = 0; i < n; i++) entry(c);
  }
  c.depth--;
}

/** Builds the scanner of a type once; named (possibly recursive) types share one scanner. */
function compile(t: avro.Type, cache: Map<avro.Type, Scan>): Scan {
  const u = underlying(t);
  const known = cache.get(u);
  if (known) return known;
  let inner: Scan = () => fail('scanner used before it was built');
  const scan: Scan = (c) => inner(c);
  cache.set(u, scan);
  inner = build(u, cache);
  return scan;
}

function build(t: avro.Type, cache: Map<avro.Type, Scan>): Scan {
  const name = typeNameOf(t);
  switch (name) {
    case 'null':
      return () => {};
    case 'boolean':
      return (c) => skip(c, 1, 'boolean');
    case 'int':
    case 'long':
      return (c) => void readLong(c);
    case 'float':
      return (c) => skip(c, 4, 'float');
    case 'double':
      return (c) => skip(c, 8, 'double');
    case 'string':
    case 'bytes':
      return scanBytes;
    case 'fixed': {
      const size = (t as unknown as { size: number }).size;
      return (c) => skip(c, size, 'fixed');
    }
    case 'enum': {
      const count = (t as unknown as { symbols: string[] }).symbols.length;
      return (c) => {
        const i = readLong(c);
        if (i < 0 || i >= count) fail(`enum index ${i} out of ${count} symbols`);
      };
    }
    case 'record':
    case 'error': {
      const fields = (t as unknown as { fields: { type: avro.Type }[] }).fields.map((f) => compile(f.type, cache));
      return (c) => {
        if (++c.depth > c.limits.maxDepth) fail(`nesting deeper than ${c.limits.maxDepth}`);
        for (const f of fields) f(c);
        c.depth--;
      };
    }
    case 'array': {
      const items = (t as unknown as { itemsType: avro.Type }).itemsType;
      const item = compile(items, cache);
      const min = minBytes(items);
      return (c) => blocks(c, 'array', min, item);
    }
    case 'map': {
      const values = (t as unknown as { valuesType: avro.Type }).valuesType;
      const value = compile(values, cache);
      const min = 1 + minBytes(values);
      return (c) =>
        blocks(c, 'map', min, (c2) => {
          scanBytes(c2);
          value(c2);
        });
    }
    case 'union:unwrapped':
    case 'union:wrapped': {
      const branches = (t as unknown as { types: avro.Type[] }).types.map((b) => compile(b, cache));
      return (c) => {
        const i = readLong(c);
        if (i < 0 || i >= branches.length) fail(`union branch ${i} out of ${branches.length}`);
        branches[i]!(c);
      };
    }
    default:
      return () => fail(`unsupported Avro type ${name}`);
  }
}

/** A bounds check for bodies written with `writer`: throws AvroBoundsError, else returns. */
export function boundsCheckerFor(writer: avro.Type, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): (body: Uint8Array) => void {
  const scan = compile(writer, new Map());
  return (body) => {
    if (body.length > limits.maxBodyBytes) fail(`body of ${body.length} bytes exceeds the cap of ${limits.maxBodyBytes}`);
    const c: Cursor = { buf: body, pos: 0, items: 0, depth: 0, limits };
    scan(c);
    if (c.pos !== body.length) fail(`${body.length - c.pos} trailing bytes after the value`);
  };
}
