import { describe, expect, it } from 'vitest';
import { splitStatements, stripLeadingComments } from './statements.js';

describe('splitStatements', () => {
  it('splits at top-level semicolons and drops comment-only pieces', () => {
    const text = `-- header; with a semicolon
CREATE TABLE a (x String) ENGINE = Memory;
/* block; comment */
CREATE TABLE b (y String) ENGINE = Memory;
-- trailing comment only;
`;
    const parts = splitStatements(text);
    expect(parts).toHaveLength(2);
    expect(stripLeadingComments(parts[0]!)).toBe('CREATE TABLE a (x String) ENGINE = Memory');
    expect(stripLeadingComments(parts[1]!)).toBe('CREATE TABLE b (y String) ENGINE = Memory');
  });

  it('keeps semicolons inside strings, quoted identifiers and escapes', () => {
    const text = "SELECT 'a;b', 'it\\'s; ok', 'x'';y', `we;ird`, \"q;q\"; SELECT 2";
    expect(splitStatements(text)).toEqual(["SELECT 'a;b', 'it\\'s; ok', 'x'';y', `we;ird`, \"q;q\"", 'SELECT 2']);
  });

  it('reports unterminated quotes and comments', () => {
    expect(() => splitStatements("SELECT 'oops")).toThrow(/unterminated ' quote/);
    expect(() => splitStatements('SELECT 1 /* never closed')).toThrow(/unterminated \/\* comment/);
  });
});
