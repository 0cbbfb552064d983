import { describe, expect, it } from 'vitest';
import { bindParams, formatDateTime, literal, parseUtc, placeholders, quoteIdentifier, quoteString, raw, sql, SqlValueError } from './escape.js';

// Unit tests of the text the helper writes. test/analytics/escaping.test.ts sends the same
// values through the Debian server and chDB and checks they come back unchanged.

describe('quoteString', () => {
  it('escapes quotes and backslashes, so a value can never close its literal', () => {
    expect(quoteString("O'Brien")).toBe("'O\\'Brien'");
    expect(quoteString('C:\\path\\')).toBe("'C:\\\\path\\\\'");
    expect(quoteString("\\'")).toBe("'\\\\\\''");
    expect(quoteString("'; DROP TABLE steps; --")).toBe("'\\'; DROP TABLE steps; --'");
  });

  it('writes NUL and control characters as escapes', () => {
    expect(quoteString('a\0b')).toBe("'a\\0b'");
    expect(quoteString('l1\nl2\r\t')).toBe("'l1\\nl2\\r\\t'");
    expect(quoteString('\x01\x1f\x7f')).toBe("'\\x01\\x1f\\x7f'");
  });

  it('keeps unicode as it is (the request is UTF-8)', () => {
    expect(quoteString('é 😀 中文 \u2028')).toBe("'é 😀 中文 \u2028'");
  });

  it('leaves no unescaped quote in any output', () => {
    const nasty = ["'", "''", "\\'", "\\\\'", "a\\", "'\\'", "x' OR '1'='1", "\\x27"];
    for (const value of nasty) {
      const inner = quoteString(value).slice(1, -1);
      // every quote inside is preceded by an odd number of backslashes
      for (const m of inner.matchAll(/(\\*)'/g)) expect(m[1]!.length % 2).toBe(1);
      // and it never ends inside an escape (an even run of trailing backslashes)
      expect(/\\*$/.exec(inner)![0].length % 2).toBe(0);
    }
  });
});

describe('literal', () => {
  it('writes numbers and refuses the ones without a literal', () => {
    expect(literal(42)).toBe('42');
    expect(literal(1.5)).toBe('1.5');
    expect(literal(-3)).toBe('(-3)');
    expect(literal(1e21)).toBe('1e+21');
    expect(literal(12345678901234567890n)).toBe('12345678901234567890');
    expect(literal(-5n)).toBe('(-5)');
    expect(() => literal(Number.NaN)).toThrow(SqlValueError);
    expect(() => literal(Number.POSITIVE_INFINITY)).toThrow(SqlValueError);
  });

  it('writes booleans, nulls, dates and arrays', () => {
    expect(literal(true)).toBe('1');
    expect(literal(false)).toBe('0');
    expect(literal(null)).toBe('NULL');
    expect(literal(undefined)).toBe('NULL');
    expect(literal(new Date(Date.UTC(2026, 10, 1, 12, 30, 5, 999)))).toBe("toDateTime('2026-11-01 12:30:05', 'UTC')");
    expect(() => literal(new Date('nope'))).toThrow(SqlValueError);
    expect(literal(['a', "b'c", 1, null, [2, -3]])).toBe("['a', 'b\\'c', 1, NULL, [2, (-3)]]");
    expect(literal([])).toBe('[]');
  });

  it('refuses objects', () => {
    expect(() => literal({ a: 1 } as never)).toThrow(/unsupported/);
  });
});

describe('sql tag', () => {
  it('escapes every interpolated value and inserts fragments as they are', () => {
    const tenant = "acme' OR 1=1 --";
    expect(sql`SELECT count() FROM ${raw('steps')} WHERE tenant_id = ${tenant} AND seq > ${-1}`).toBe(
      "SELECT count() FROM steps WHERE tenant_id = 'acme\\' OR 1=1 --' AND seq > (-1)",
    );
    expect(sql`x - ${-1}`).toBe('x - (-1)'); // never "x --1", a comment
  });
});

describe('quoteIdentifier', () => {
  it('backquotes and escapes', () => {
    expect(quoteIdentifier('steps').text).toBe('`steps`');
    expect(quoteIdentifier('we`ird\\').text).toBe('`we\\`ird\\\\`');
    expect(() => quoteIdentifier('')).toThrow(SqlValueError);
    expect(() => quoteIdentifier('a\0b')).toThrow(SqlValueError);
  });
});

describe('bindParams', () => {
  it('binds ClickHouse-style placeholders as typed literals', () => {
    const q = 'SELECT * FROM steps WHERE tenant_id = {tenant:String} AND ts >= {from:DateTime} AND day <= {to:Date} LIMIT {n:UInt32}';
    expect(placeholders(q)).toEqual([
      { name: 'tenant', type: 'String' },
      { name: 'from', type: 'DateTime' },
      { name: 'to', type: 'Date' },
      { name: 'n', type: 'UInt32' },
    ]);
    expect(bindParams(q, { tenant: "a'b", from: '2026-11-01', to: new Date(Date.UTC(2026, 10, 2)), n: 10 })).toBe(
      "SELECT * FROM steps WHERE tenant_id = 'a\\'b' AND ts >= toDateTime('2026-11-01 00:00:00', 'UTC') AND day <= toDate('2026-11-02') LIMIT 10",
    );
  });

  it('binds arrays, empty arrays and nullables', () => {
    expect(bindParams('x IN {ids:Array(String)}', { ids: ['a', "b'"] })).toBe("x IN ['a', 'b\\'']");
    expect(bindParams('x IN {ids:Array(String)}', { ids: [] })).toBe('x IN CAST([] AS Array(String))');
    expect(bindParams('{v:Nullable(Float64)}', { v: null })).toBe('NULL');
    expect(bindParams('{v:Nullable(Float64)}', { v: 0.5 })).toBe('0.5');
    expect(bindParams('{v:Int64}', { v: -7 })).toBe('(-7)');
  });

  it('refuses missing, mistyped and out-of-range values with the parameter name', () => {
    expect(() => bindParams('{tenant:String}', {})).toThrow(/parameter tenant \(String\): no value given/);
    expect(() => bindParams('{tenant:String}', { tenant: 5 })).toThrow(/expected a string/);
    expect(() => bindParams('{n:UInt32}', { n: -1 })).toThrow(/>= 0/);
    expect(() => bindParams('{n:Int32}', { n: 1.5 })).toThrow(/integer/);
    expect(() => bindParams('{n:Float64}', { n: 'abc' })).toThrow(/number/);
    expect(() => bindParams('{d:DateTime}', { d: 'not a date' })).toThrow(/valid date/);
    expect(() => bindParams('{x:Map(String, String)}', { x: 'a' })).toThrow(/unsupported parameter type/);
  });

  it('leaves braces that are not placeholders alone', () => {
    expect(bindParams("SELECT '{not a placeholder}', {'k': 1}")).toBe("SELECT '{not a placeholder}', {'k': 1}");
  });

  it('binds only in code, never inside literals, quoted names or comments', () => {
    const q = "SELECT 'a {x:String}', `b {x:String}`, 'it\\'s {x:String}', 'q''{x:String}' -- {x:String}\n/* {x:String} */ {x:String}";
    expect(bindParams(q, { x: 'v' })).toBe("SELECT 'a {x:String}', `b {x:String}`, 'it\\'s {x:String}', 'q''{x:String}' -- {x:String}\n/* {x:String} */ 'v'");
    // a value written by sql`` that looks like a placeholder stays a value
    expect(bindParams(sql`SELECT ${'{tenant:String}'} AS v`)).toBe("SELECT '{tenant:String}' AS v");
  });
});

describe('dates', () => {
  it('formats in UTC and parses times without a zone as UTC', () => {
    expect(formatDateTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02 03:04:05');
    expect(parseUtc('2026-11-01').toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(parseUtc('2026-11-01 10:20').toISOString()).toBe('2026-11-01T10:20:00.000Z');
    expect(parseUtc('2026-11-01T10:20:30+02:00').toISOString()).toBe('2026-11-01T08:20:30.000Z');
  });
});
