// WorkBench writes its ground-truth answers and the agents' `function_calls` as Python: a list
// literal of strings, each a call `domain.tool.func(key="value", ...)` that its scorer runs
// with `eval`. This reads exactly that much Python: string literals (both quotes, escapes,
// implicit concatenation), lists of them, and keyword-only calls with string arguments.
// Anything else is a syntax error, which WorkBench's `eval` inside `try` would skip too.

export class PythonSyntaxError extends Error {
  override name = 'PythonSyntaxError';
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Reads one string literal (with adjacent literals concatenated, as Python does) at `at`; returns its value and the index after it. */
export function readString(text: string, at: number): { value: string; end: number } {
  let i = skipSpace(text, at);
  let value = '';
  let read = false;
  while (i < text.length && (text[i] === '"' || text[i] === "'")) {
    const quote = text[i]!;
    i++;
    for (;;) {
      if (i >= text.length) throw new PythonSyntaxError(`unterminated string at ${at}`);
      const c = text[i]!;
      if (c === quote) {
        i++;
        break;
      }
      if (c !== '\\') {
        // a raw newline inside a literal: WorkBench's scorer turns it into "\\n" before eval
        value += c;
        i++;
        continue;
      }
      const e = text[i + 1];
      if (e === undefined) throw new PythonSyntaxError('dangling backslash');
      if (e in SIMPLE_ESCAPES) {
        value += SIMPLE_ESCAPES[e];
        i += 2;
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + width);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) throw new PythonSyntaxError(`bad \\${e} escape`);
        value += String.fromCodePoint(parseInt(hex, 16));
        i += 2 + width;
      } else if (/[0-7]/.test(e)) {
        const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
        value += String.fromCharCode(parseInt(oct, 8));
        i += 1 + oct.length;
      } else if (e === '\n') {
        i += 2; // line continuation
      } else {
        // unknown escapes stay as written
        value += `\\${e}`;
        i += 2;
      }
    }
    read = true;
    i = skipSpace(text, i);
  }
  if (!read) throw new PythonSyntaxError(`expected a string at ${at}`);
  return { value, end: i };
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** A Python list literal of strings, e.g. the `answer` column: `['a.b.func(x="1")', ...]`. */
export function parseStringList(text: string): string[] {
  let i = skipSpace(text, 0);
  if (text[i] !== '[') throw new PythonSyntaxError('expected a list');
  i = skipSpace(text, i + 1);
  const out: string[] = [];
  while (text[i] !== ']') {
    const s = readString(text, i);
    out.push(s.value);
    i = skipSpace(text, s.end);
    if (text[i] === ',') i = skipSpace(text, i + 1);
    else if (text[i] !== ']') throw new PythonSyntaxError(`expected , or ] at ${i}`);
  }
  if (skipSpace(text, i + 1) !== text.length) throw new PythonSyntaxError('text after the list');
  return out;
}

/** One call as WorkBench writes it: the tool (without `.func`) and its keyword arguments. */
export interface PythonCall {
  tool: string;
  args: Record<string, string>;
}

/** Parses `domain.tool.func(key="value", ...)`; throws PythonSyntaxError for anything `eval` would refuse to parse. */
export function parseCall(text: string): PythonCall {
  const head = /^\s*([A-Za-z_][\w.]*)\s*\(/.exec(text);
  if (!head) throw new PythonSyntaxError('not a call');
  const tool = head[1]!.replace(/\.func$/, '');
  const args: Record<string, string> = {};
  let i = skipSpace(text, head[0].length);
  while (text[i] !== ')') {
    const key = /^([A-Za-z_]\w*)\s*=/.exec(text.slice(i));
    if (!key) throw new PythonSyntaxError(`expected key= at ${i}`);
    if (key[1]! in args) throw new PythonSyntaxError(`keyword argument repeated: ${key[1]}`);
    const s = readString(text, i + key[0].length);
    args[key[1]!] = s.value;
    i = skipSpace(text, s.end);
    if (text[i] === ',') i = skipSpace(text, i + 1);
    else if (text[i] !== ')') throw new PythonSyntaxError(`expected , or ) at ${i}`);
  }
  if (skipSpace(text, i + 1) !== text.length) throw new PythonSyntaxError('text after the call');
  return { tool, args };
}
