// A safe reader of Python literal reprs (what `repr()` / `str()` of a dict prints), as
// LangChain agents' results are often logged: single-quoted strings, tuples, None/True/False,
// nan/inf, and constructor calls such as `AgentAction(tool=..., tool_input=...)`. Nothing is
// evaluated: calls and bare names become data (PyCall, PyName) for the caller to interpret.
// No JS library offers this (py-ast parses whole programs and is barely used), and the
// grammar is small.

/** A constructor call in a repr, e.g. `AgentAction(tool='x')` or `array([1], dtype=object)`. */
export class PyCall {
  constructor(
    readonly name: string,
    readonly args: PyValue[],
    readonly kwargs: Record<string, PyValue>,
  ) {}
}

/** A bare name that is not a constant, e.g. `object` in `dtype=object`. */
export class PyName {
  constructor(readonly name: string) {}
}

/** A parsed Python value: dicts become objects (keys as text), lists, tuples and sets arrays. */
export type PyValue = null | boolean | number | string | PyValue[] | PyCall | PyName | { [key: string]: PyValue };

/** A syntax error with the offset and line:column inside the parsed text. */
export class PythonLiteralError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly lineColumn: string,
  ) {
    super(`${message} at ${lineColumn}`);
  }
}

const MAX_DEPTH = 256;
const CONSTANTS: Record<string, PyValue> = { None: null, True: true, False: false, nan: Number.NaN, inf: Number.POSITIVE_INFINITY, NaN: Number.NaN };
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** Parses one Python literal expression; throws PythonLiteralError on anything else. */
export function parsePythonLiteral(text: string): PyValue {
  const parser = new Parser(text);
  const value = parser.value(0);
  parser.skipSpace();
  if (parser.pos < text.length) throw parser.fail('unexpected text after the value');
  return value;
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(message: string, at = this.pos): PythonLiteralError {
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    return new PythonLiteralError(message, at, `${line}:${column}`);
  }

  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === ' ' || c === '\n' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\\' && this.text[this.pos + 1] === '\n') this.pos += 2;
      else break;
    }
  }

  private expect(c: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== c) throw this.fail(`expected "${c}"`);
    this.pos++;
  }

  value(depth: number): PyValue {
    if (depth > MAX_DEPTH) throw this.fail(`nested deeper than ${MAX_DEPTH}`);
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === undefined) throw this.fail('unexpected end of text');
    if (c === '{') return this.dictOrSet(depth);
    if (c === '[') {
      this.pos++;
      return this.items(']', depth);
    }
    if (c === '(') return this.tupleOrGroup(depth);
    if (c === '-' || c === '+') {
      this.pos++;
      const v = this.value(depth + 1);
      if (typeof v !== 'number') throw this.fail('a sign must precede a number');
      return c === '-' ? -v : v;
    }
    if (/[0-9.]/.test(c)) return this.number();
    if (/[A-Za-z_]/.test(c)) {
      const start = this.pos;
      const prefix = /^([rRbBuUfF]{1,2})['"]/.exec(this.text.slice(this.pos, this.pos + 3));
      if (prefix) return this.strings();
      const name = this.dottedName();
      this.skipSpace();
      if (this.text[this.pos] === '(') return this.call(name, depth);
      if (name in CONSTANTS) return CONSTANTS[name]!;
      if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(name)) throw this.fail('not a name', start);
      return new PyName(name);
    }
    if (c === "'" || c === '"') return this.strings();
    throw this.fail(`unexpected character ${JSON.stringify(c)}`);
  }

  private dottedName(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_]*(\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) throw this.fail('expected a name');
    this.pos += m[0].length;
    return m[0].replace(/\s+/g, '');
  }

  /** Comma-separated values up to `close`; a trailing comma is allowed. */
  private items(close: string, depth: number): PyValue[] {
    const out: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) {
        this.pos++;
        return out;
      }
      out.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== close) throw this.fail(`expected "," or "${close}"`);
    }
  }

  private tupleOrGroup(depth: number): PyValue {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return [];
    }
    const first = this.value(depth + 1);
    this.skipSpace();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return first;
    }
    this.expect(',');
    return [first, ...this.items(')', depth)];
  }

  private dictOrSet(depth: number): PyValue {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return {};
    }
    const firstKey = this.value(depth + 1);
    this.skipSpace();
    if (this.text[this.pos] !== ':') {
      // A set: {a, b}
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      return [firstKey, ...this.items('}', depth)];
    }
    const out: { [key: string]: PyValue } = {};
    let key: PyValue = firstKey;
    for (;;) {
      this.expect(':');
      Object.defineProperty(out, keyText(key), { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      this.skipSpace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      key = this.value(depth + 1);
    }
  }

  private call(name: string, depth: number): PyCall {
    this.pos++;
    const args: PyValue[] = [];
    const kwargs: Record<string, PyValue> = {};
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === ')') {
        this.pos++;
        return new PyCall(name, args, kwargs);
      }
      const kw = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)/.exec(this.text.slice(this.pos, this.pos + 200));
      if (kw) {
        this.pos += kw[0].length;
        Object.defineProperty(kwargs, kw[1]!, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      } else args.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== ')') throw this.fail('expected "," or ")" in a call');
    }
  }

  private number(): number {
    const m = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*)?\.?\d[\d_]*([eE][+-]?\d+)?j?|\d[\d_]*\.)/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m || m[0] === '') throw this.fail('not a number');
    this.pos += m[0].length;
    const raw = m[0].replace(/_/g, '');
    if (raw.endsWith('j')) throw this.fail('complex numbers are not supported', this.pos - m[0].length);
    const n = /^0[xob]/i.test(raw) ? Number(raw.toLowerCase()) : Number(raw);
    if (Number.isNaN(n)) throw this.fail('not a number', this.pos - m[0].length);
    return n;
  }

  /** One string, or several adjacent ones, which Python concatenates. */
  private strings(): string {
    let out = this.string();
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === "'" || c === '"' || (c !== undefined && /^[rRbBuU]{1,2}['"]/.test(this.text.slice(this.pos, this.pos + 3)))) out += this.string();
      else {
        this.pos = save;
        return out;
      }
    }
  }

  private string(): string {
    const start = this.pos;
    let raw = false;
    while (/[rRbBuUfF]/.test(this.text[this.pos] ?? '')) {
      if (/[rR]/.test(this.text[this.pos]!)) raw = true;
      this.pos++;
    }
    const q = this.text[this.pos];
    if (q !== "'" && q !== '"') throw this.fail('expected a string', start);
    const triple = this.text.startsWith(q.repeat(3), this.pos);
    const close = triple ? q.repeat(3) : q;
    this.pos += close.length;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) throw this.fail('unterminated string', start);
      if (this.text.startsWith(close, this.pos)) {
        this.pos += close.length;
        return out;
      }
      if (c === '\n' && !triple) throw this.fail('newline inside a string', start);
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = this.text[this.pos + 1];
      if (e === undefined) throw this.fail('unterminated string', start);
      if (raw) {
        out += c + e;
        this.pos += 2;
        continue;
      }
      this.pos += 2;
      if (e === '\n') continue;
      if (e in SIMPLE_ESCAPES && !/[0-7]/.test(this.text[this.pos] ?? '')) out += SIMPLE_ESCAPES[e];
      else if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw this.fail(`bad \\${e} escape`, this.pos - 2);
        out += String.fromCodePoint(parseInt(hex, 16));
        this.pos += len;
      } else if (/[0-7]/.test(e)) {
        const oct = /^[0-7]{0,2}/.exec(this.text.slice(this.pos, this.pos + 2))![0];
        out += String.fromCharCode(parseInt(e + oct, 8));
        this.pos += oct.length;
      } else out += `\\${e}`; // Python keeps unknown escapes as written
    }
  }
}

function keyText(key: PyValue): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'boolean' || key === null) return String(key === null ? 'None' : key === true ? 'True' : key === false ? 'False' : key);
  return JSON.stringify(pyToJson(key));
}

/**
 * A JSON value for a parsed repr. Non-finite numbers become null (JSON has none); the
 * common reprs of array and time types (`array([...], dtype=...)`, `Timestamp('...')`,
 * `datetime.datetime(2023, 1, 2, ...)`, `Decimal('1.5')`) become their value; any other call
 * becomes `{ "__type": name, "args": [...], ...kwargs }` and a bare name its text.
 */
export function pyToJson(value: PyValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(pyToJson);
  if (value instanceof PyName) return value.name;
  if (value instanceof PyCall) return callToJson(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: pyToJson(v), enumerable: true, writable: true, configurable: true });
  return out;
}

function callToJson(call: PyCall): unknown {
  const short = call.name.slice(call.name.lastIndexOf('.') + 1);
  const [first] = call.args;
  if ((short === 'array' || short === 'ndarray' || short === 'Series') && first !== undefined) return pyToJson(first);
  if ((short === 'Timestamp' || short === 'Decimal') && typeof first === 'string') return short === 'Decimal' && Number.isFinite(Number(first)) ? Number(first) : first;
  if ((short === 'datetime' || short === 'date') && call.args.length >= 3 && call.args.every((a) => typeof a === 'number')) {
    const [y, mo, d, h = 0, mi = 0, s = 0] = call.args as number[];
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const day = `${pad(y!, 4)}-${pad(mo!)}-${pad(d!)}`;
    return short === 'date' ? day : `${day}T${pad(h)}:${pad(mi)}:${pad(s)}`;
  }
  const out: Record<string, unknown> = { __type: call.name };
  if (call.args.length > 0) out.args = call.args.map(pyToJson);
  for (const [k, v] of Object.entries(call.kwargs)) Object.defineProperty(out, k, { value: pyToJson(v), enumerable: true, writable: true, configurable: true });
  return out;
}
