// Slot values read by their place in the query: the template's trigger examples show where
// each learned value sat ("... emails from nia last week ..."), between which words. A new
// query with the same words around a span gives that span ("... from akira last week ...").
// This reads values no typed pattern finds (a lowercase first name, a free phrase) without a
// model; the words the examples share (the template's own wording) are never taken as values.
import { querySpans } from '@praxis/core';

/** Character ranges of the query already bound to a slot. */
type UsedRanges = [number, number][];

interface Word {
  text: string;
  start: number;
  end: number;
}

/** The longest value read between two neighbouring words, in words (as for the learned values). */
const MAX_VALUE_WORDS = 12;

const wordsOf = (text: string): Word[] => querySpans(text, 'token', { nowMs: 0 }).map((s) => ({ text: s.value.toLowerCase(), start: s.start, end: s.end }));

/** Words that occur in at least half of the examples: the template's wording, not values. */
function wordingOf(examples: readonly Word[][]): Set<string> {
  const counts = new Map<string, number>();
  for (const ws of examples) for (const w of new Set(ws.map((x) => x.text))) counts.set(w, (counts.get(w) ?? 0) + 1);
  return new Set([...counts].filter(([, n]) => examples.length >= 2 && n * 2 >= examples.length).map(([w]) => w));
}

/** (left word, right word, length in words) around each learned value in the trigger examples; '^'/'$' at the ends. */
function anchorsOf(examples: readonly Word[][], values: readonly string[]): { left: string; right: string; n: number }[] {
  const out: { left: string; right: string; n: number }[] = [];
  for (const value of values) {
    const vw = wordsOf(value).map((w) => w.text);
    const n = vw.length;
    if (n === 0 || n > MAX_VALUE_WORDS) continue;
    for (const ws of examples) {
      for (let i = 0; i + n <= ws.length; i++) {
        if (!vw.every((w, j) => ws[i + j]!.text === w)) continue;
        out.push({ left: i > 0 ? ws[i - 1]!.text : '^', right: i + n < ws.length ? ws[i + n]!.text : '$', n });
      }
    }
  }
  return out;
}

/**
 * The span of the query that sits where the slot's learned values sat in the trigger
 * examples: both neighbouring words agreeing first (with the words between them, whatever
 * their number, when the query's value is longer or shorter than the learned ones), then one
 * (the most frequent anchor), each
 * candidate accepted by `accept`; undefined when none. The span is marked used.
 */
export function anchoredValue(query: string, triggerExamples: readonly string[], values: readonly string[], used: UsedRanges, accept: (value: string) => boolean): string | undefined {
  if (triggerExamples.length === 0 || values.length === 0) return undefined;
  const examples = triggerExamples.map(wordsOf);
  const anchors = anchorsOf(examples, values);
  if (anchors.length === 0) return undefined;
  const wording = wordingOf(examples);
  const learned = new Set(values.map((v) => v.toLowerCase()));
  const qw = wordsOf(query);
  const candidates = new Map<string, { score: number; start: number; end: number }>();
  for (const a of anchors) {
    for (let i = 0; i + a.n <= qw.length; i++) {
      const leftOk = a.left === '^' ? i === 0 : i > 0 && qw[i - 1]!.text === a.left;
      const rightOk = a.right === '$' ? i + a.n === qw.length : i + a.n < qw.length && qw[i + a.n]!.text === a.right;
      if (!leftOk && !rightOk) continue;
      const span = qw.slice(i, i + a.n);
      // a span of the template's own words is wording, unless it is a value seen before
      const text = query.slice(span[0]!.start, span[span.length - 1]!.end);
      if (span.some((w) => wording.has(w.text)) && !learned.has(text.toLowerCase())) continue;
      const start = span[0]!.start;
      const end = span[span.length - 1]!.end;
      if (used.some(([s, e]) => start < e && end > s)) continue;
      const key = `${start}:${end}`;
      const c = candidates.get(key) ?? { score: 0, start, end };
      c.score += leftOk && rightOk ? 10 : 1;
      candidates.set(key, c);
    }
    // both neighbours with a value of another length between them ("called Board of Directors
    // Conclave on" where the examples held three words): the words up to the nearest right neighbour
    if (a.left === '^' || a.right === '$') continue;
    for (let i = 1; i < qw.length; i++) {
      if (qw[i - 1]!.text !== a.left) continue;
      let j = i;
      while (j < qw.length && j - i <= MAX_VALUE_WORDS && qw[j]!.text !== a.right) j++;
      if (j === i || j >= qw.length || j - i > MAX_VALUE_WORDS || j - i === a.n) continue;
      const span = qw.slice(i, j);
      const text = query.slice(span[0]!.start, span[span.length - 1]!.end);
      if (span.every((w) => wording.has(w.text)) && !learned.has(text.toLowerCase())) continue;
      const start = span[0]!.start;
      const end = span[span.length - 1]!.end;
      if (used.some(([s, e]) => start < e && end > s)) continue;
      const key = `${start}:${end}`;
      const c = candidates.get(key) ?? { score: 0, start, end };
      c.score += 10;
      candidates.set(key, c);
    }
  }
  const ranked = [...candidates.values()].sort((a, b) => b.score - a.score || a.start - b.start);
  for (const c of ranked) {
    const text = query.slice(c.start, c.end);
    if (!accept(text)) continue;
    used.push([c.start, c.end]);
    return text;
  }
  return undefined;
}
