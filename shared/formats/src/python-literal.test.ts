import { describe, expect, it } from 'vitest';
import { parsePythonLiteral, PyCall, PyName, pyToJson, PythonLiteralError } from './python-literal.js';

const json = (text: string) => pyToJson(parsePythonLiteral(text));

describe('parsePythonLiteral', () => {
  it('reads constants, numbers and both quote styles', () => {
    expect(json("[None, True, False, 1, -2.5, 1e3, 0x1f, 'a', \"b\"]")).toEqual([null, true, false, 1, -2.5, 1000, 31, 'a', 'b']);
  });

  it('reads escapes the way Python repr writes them', () => {
    expect(json(String.raw`'it\'s\n"q"\t\\ \x41\u00e9'`)).toEqual(`it's\n"q"\t\\ Aé`);
    expect(json(String.raw`"I'm"`)).toBe("I'm");
    expect(json(String.raw`r'\d+'`)).toBe(String.raw`\d+`);
    expect(json(`'''multi\nline'''`)).toBe('multi\nline');
    expect(json(`'con' "cat"`)).toBe('concat');
  });

  it('reads dicts, tuples, lists and sets; non-string keys become text', () => {
    expect(json("{'a': (1, 2), 'b': [3,], 'c': {4, 5}, 1: (7,), 'e': ()}")).toEqual({ a: [1, 2], b: [3], c: [4, 5], '1': [7], e: [] });
    expect(json('(1)')).toBe(1);
  });

  it('keeps calls and bare names as data', () => {
    const v = parsePythonLiteral("AgentAction(tool='t', tool_input={'x': 1}, log='l')");
    expect(v).toBeInstanceOf(PyCall);
    expect((v as PyCall).kwargs).toEqual({ tool: 't', tool_input: { x: 1 }, log: 'l' });
    expect(parsePythonLiteral('object')).toBeInstanceOf(PyName);
  });

  it('turns numpy, pandas and datetime reprs into their values, nan into null', () => {
    expect(json("array(['a@b.c'], dtype=object)")).toEqual(['a@b.c']);
    expect(json("{'t': Timestamp('2023-11-30 00:00:00'), 'p': nan, 'q': -inf}")).toEqual({ t: '2023-11-30 00:00:00', p: null, q: null });
    expect(json('datetime.datetime(2023, 11, 30, 9, 5)')).toBe('2023-11-30T09:05:00');
    expect(json("Decimal('1.50')")).toBe(1.5);
    expect(json("Other(1, k='v')")).toEqual({ __type: 'Other', args: [1], k: 'v' });
  });

  it('does not let a key named __proto__ change the prototype', () => {
    const v = json("{'__proto__': {'polluted': 1}}") as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses what is not a literal, with the position', () => {
    expect(() => parsePythonLiteral("{'a': 1")).toThrow(PythonLiteralError);
    expect(() => parsePythonLiteral("{'a': 1} x")).toThrow(/after the value at 1:10/);
    expect(() => parsePythonLiteral("'open")).toThrow(/unterminated string/);
    expect(() => parsePythonLiteral('1 + 2')).toThrow(/after the value/);
    expect(() => parsePythonLiteral('lambda: 1')).toThrow(PythonLiteralError);
    expect(() => parsePythonLiteral('['.repeat(10_000))).toThrow(/nested deeper/);
  });
});
