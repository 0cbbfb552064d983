// Splits a migration file into statements: ClickHouse's HTTP interface runs one per request.

/**
 * Splits SQL text at top-level `;`, ignoring semicolons inside quoted strings, quoted
 * identifiers and comments. Comment-only pieces are dropped; statements are trimmed.
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  let hasCode = false;
  const flush = () => {
    if (hasCode) statements.push(current.trim());
    current = '';
    hasCode = false;
  };
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      current += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) throw new Error(`unterminated /* comment at offset ${i}`);
      current += text.slice(i, end + 2);
      i = end + 2;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = closingQuote(text, i);
      current += text.slice(i, end + 1);
      hasCode = true;
      i = end + 1;
      continue;
    }
    if (ch === ';') {
      flush();
      i++;
      continue;
    }
    if (!/\s/.test(ch)) hasCode = true;
    current += ch;
    i++;
  }
  flush();
  return statements;
}

/** Index of the quote that closes the one at `start` (backslash escapes and doubled quotes). */
function closingQuote(text: string, start: number): number {
  const quote = text[start]!;
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i;
    }
    i++;
  }
  throw new Error(`unterminated ${quote} quote starting at offset ${start}`);
}

/** A statement without its leading comment lines, for logs and checks. */
export function stripLeadingComments(statement: string): string {
  return statement.replace(/^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))*/, '').trim();
}
