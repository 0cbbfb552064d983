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
  /** The word without a possessive ending, and where it ends. */
  bare: string;
  bareEnd: number;
}

/** The longest value read between two neighbouring words, in words (as for the learned values). */
const MAX_VALUE_WORDS = 12;

/** A sentence ending inside a span: a full stop, question or exclamation mark before more words. */
const SENTENCE_END = /[.?!]\s/;

/** Personal pronouns: they stand for a value said elsewhere ("X is leaving. Cancel my meetings with them"), never are one. */
const PRONOUNS = new Set(['i', 'me', 'you', 'he', 'him', 'she', 'her', 'it', 'we', 'us', 'they', 'them', 'myself', 'yourself', 'himself', 'herself', 'themselves']);

/** A possessive ending ("anaya's", "James’"): the word is the name before it. */
const POSSESSIVE = /(?:['’]s|(?<=s)['’])$/i;

/** A neighbour keeps its text ("it's"); a value is the word without its possessive ("anaya's" -> anaya). */
const wordsOf = (text: string): Word[] =>
  querySpans(text, 'token', { nowMs: 0 }).map((s) => {
    const bare = s.value.length > 2 ? s.value.replace(POSSESSIVE, '') : s.value;
    return { text: s.value.toLowerCase(), start: s.start, end: s.end, bare: bare.toLowerCase(), bareEnd: s.end - (s.value.length - bare.length) };
  });

/** Words that occur in at least half of the examples: the template's wording, not values. */
function wordingOf(examples: readonly Word[][]): Set<string> {
  const counts = new Map<string, number>();
  for (const ws of examples) for (const w of new Set(ws.map((x) => x.text))) counts.set(w, (counts.get(w) ?? 0) + 1);
  return new Set([...counts].filter(([, n]) => examples.length >= 2 && n * 2 >= examples.length).map(([w]) => w));
}

/**
 * (left word, right word, length in words) around each learned value in the trigger examples;
 * '^'/'$' at the ends; whether the value sat as a possessive ("luis's"). A learned value can
 * also occur in an example in another role (values are shared between slots: "from anaya ... to
 * nadia" and "from fatima ... to anaya" for the recipient slot): where one example holds learned
 * values at several places, only the places most examples agree on count (the place other
 * examples confirm is the slot's; the other is another slot's value that happens to be learned
 * here too).
 */
function anchorsOf(examples: readonly Word[][], values: readonly string[]): { left: string; right: string; n: number; possessive: boolean }[] {
  type Anchor = { left: string; right: string; n: number; possessive: boolean };
  const perExample: Anchor[][] = examples.map(() => []);
  for (const value of values) {
    const vw = wordsOf(value).map((w) => w.text);
    const n = vw.length;
    if (n === 0 || n > MAX_VALUE_WORDS) continue;
    examples.forEach((ws, e) => {
      for (let i = 0; i + n <= ws.length; i++) {
        if (!vw.every((w, j) => ws[i + j]!.text === w || (j === n - 1 && ws[i + j]!.bare === w))) continue;
        perExample[e]!.push({ left: i > 0 ? ws[i - 1]!.text : '^', right: i + n < ws.length ? ws[i + n]!.text : '$', n, possessive: ws[i + n - 1]!.text !== vw[n - 1] });
      }
    });
  }
  const place = (a: Anchor) => `${a.left}\u0000${a.right}`;
  const places = perExample.map((anchors) => new Set(anchors.map(place)));
  const support = new Map<string, number>();
  for (const keys of places) for (const key of keys) support.set(key, (support.get(key) ?? 0) + 1);
  return perExample.flatMap((anchors, e) => {
    if (places[e]!.size <= 1) return anchors;
    const best = Math.max(...[...places[e]!].map((key) => support.get(key)!));
    return anchors.filter((a) => support.get(place(a)) === best);
  });
}

/**
 * The span of the query that sits where the slot's learned values sat in the trigger
 * examples: both neighbouring words agreeing first (with the words between them, whatever
 * their number, when the query's value is longer or shorter than the learned ones), then one
 * (the most frequent anchor; not with `bothNeighbours`), each
 * candidate accepted by `accept`; undefined when none. The span is marked used.
 */
export function anchoredValue(query: string, triggerExamples: readonly string[], values: readonly string[], used: UsedRanges, accept: (value: string) => boolean, bothNeighbours = false): string | undefined {
  if (triggerExamples.length === 0 || values.length === 0) return undefined;
  const examples = triggerExamples.map(wordsOf);
  const anchors = anchorsOf(examples, values);
  if (anchors.length === 0) return undefined;
  const wording = wordingOf(examples);
  const learned = new Set(values.map((v) => v.toLowerCase()));
  const valuesCrossSentences = values.some((v) => SENTENCE_END.test(v));
  const qw = wordsOf(query);
  const candidates = new Map<string, { score: number; start: number; end: number }>();
  /** Scores the span of query words unless it is the template's wording (`isWording`) and no value seen before, or overlaps a bound one. */
  const consider = (span: readonly Word[], score: number, isWording: (w: Word) => boolean) => {
    const start = span[0]!.start;
    const end = span[span.length - 1]!.bareEnd;
    if (span.some(isWording) && !learned.has(query.slice(start, end).toLowerCase())) return;
    if (span.every((w) => PRONOUNS.has(w.bare))) return;
    if (used.some(([s, e]) => start < e && end > s)) return;
    const key = `${start}:${end}`;
    const c = candidates.get(key) ?? { score: 0, start, end };
    c.score += score;
    candidates.set(key, c);
  };
  const wordingWord = (w: Word) => wording.has(w.text);
  for (const a of anchors) {
    for (let i = 0; i + a.n <= qw.length; i++) {
      const leftOk = a.left === '^' ? i === 0 : i > 0 && qw[i - 1]!.text === a.left;
      const rightOk = a.right === '$' ? i + a.n === qw.length : i + a.n < qw.length && qw[i + a.n]!.text === a.right;
      if (!leftOk && !rightOk) continue;
      if (bothNeighbours && !(leftOk && rightOk)) continue;
      // a span with any of the template's own words is wording, unless it is a value seen before
      consider(qw.slice(i, i + a.n), leftOk && rightOk ? 10 : 1, wordingWord);
    }
    // both neighbours with a value of another length between them ("called Board of Directors
    // Conclave on" where the examples held three words): the words up to the nearest right neighbour
    if (a.left === '^') continue;
    // a value that ran to the end of the examples (a closing phrase): the words after the left
    // neighbour up to the query's end, when they are of another length than the learned ones and
    // within one sentence ("from leila. Can you do that?" is a name, then another sentence)
    if (a.right === '$') {
      for (let i = 1; i < qw.length; i++) {
        if (qw[i - 1]!.text !== a.left || qw.length - i > MAX_VALUE_WORDS || qw.length - i === a.n) continue;
        if (SENTENCE_END.test(query.slice(qw[i]!.start, qw[qw.length - 1]!.end))) continue;
        const span = qw.slice(i);
        consider(span, 10, () => span.every(wordingWord));
      }
      continue;
    }
    for (let i = 1; i < qw.length; i++) {
      if (qw[i - 1]!.text !== a.left) continue;
      let j = i;
      while (j < qw.length && j - i <= MAX_VALUE_WORDS && qw[j]!.text !== a.right) j++;
      if (j === i || j >= qw.length || j - i > MAX_VALUE_WORDS || j - i === a.n) continue;
      // a longer span is wording only when all of it is
      const span = qw.slice(i, j);
      // within one sentence, unless a learned value ran over one ("lead status. Can you update that" is a status, then a request)
      if (!valuesCrossSentences && SENTENCE_END.test(query.slice(span[0]!.start, span[span.length - 1]!.end))) continue;
      // a value learned as a possessive ("of luis's tasks") ends at one: "carlos's unfinished" is a name and what it owns
      if (a.possessive && span.slice(0, -1).some((w) => w.bare !== w.text)) continue;
      consider(span, 10, () => span.every(wordingWord));
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

/** Words that join a list's elements ("A, B and C", "A & B"); a comma between two elements joins them too. */
const LIST_JOINERS = new Set(['and', '&']);

/**
 * A list slot's elements read from the query (docs/learning.md, "Binding: list slots"):
 * `examples` are the runs' lists. The first element sits where the learned lists' first
 * elements sat (anchoredValue); elements joined to it by a comma or "and" ("to A and B",
 * "A, B and C", as many words each as it has) follow it in reading order. When every learned
 * list had several elements and none is joined to the first (the elements sat apart: "A is
 * out, give their tasks to B"), element i is read where the learned lists' element i sat.
 * A single element is a one-element list; undefined when the first is not found.
 */
export function anchoredList(query: string, triggerExamples: readonly string[], examples: readonly unknown[], used: UsedRanges, accept: (value: string) => boolean): string[] | undefined {
  const lists = examples.filter((e): e is unknown[] => Array.isArray(e)).map((l) => l.filter((v): v is string => typeof v === 'string'));
  if (lists.length === 0) return undefined;
  const at = (i: number) => [...new Set(lists.map((l) => l[i]).filter((v): v is string => v !== undefined))];
  const mine: UsedRanges = [...used];
  // one element, not several read as one span between two neighbours ("to raj, sofia and" where "to A and" was learned)
  const single = (v: string) => !v.includes(',') && !wordsOf(v).some((w) => LIST_JOINERS.has(w.text)) && accept(v);
  const first = anchoredValue(query, triggerExamples, at(0), mine, single) ?? anchoredValue(query, triggerExamples, [...new Set(lists.flat())], mine, single);
  if (first === undefined) return undefined;
  const [fs, fe] = mine[mine.length - 1]!;
  const qw = wordsOf(query);
  const startIndex = qw.findIndex((w) => w.start === fs);
  const endIndex = qw.findIndex((w) => w.bareEnd === fe);
  const n = endIndex - startIndex + 1;
  const free = (s: number, e: number) => !mine.some(([a, b]) => s < b && e > a);
  const wording = wordingOf(triggerExamples.map(wordsOf));
  /** The element of n words at word index i, or undefined. */
  const element = (i: number): [number, number] | undefined => {
    if (i < 0 || i + n > qw.length) return undefined;
    const span = qw.slice(i, i + n);
    if (span.some((w) => LIST_JOINERS.has(w.text) || wording.has(w.text))) return undefined;
    const [s, e] = [span[0]!.start, span[n - 1]!.bareEnd];
    return free(s, e) && accept(query.slice(s, e)) ? [s, e] : undefined;
  };
  // a joiner between word indexes a (end of one element) and b (start of the next): ", " or " and " or ", and "
  const joinedAfter = (endWord: number): number | undefined => {
    let j = endWord + 1;
    if (j >= qw.length) return undefined;
    const comma = query.slice(qw[endWord]!.end, qw[j]!.start).includes(',');
    if (LIST_JOINERS.has(qw[j]!.text)) j++;
    else if (!comma) return undefined;
    return j;
  };
  const spans: [number, number][] = [[fs, fe]];
  for (let end = endIndex; ; ) {
    const next = joinedAfter(end);
    const span = next === undefined ? undefined : element(next);
    if (next === undefined || !span) break;
    spans.push(span);
    mine.push(span);
    end = next + n - 1;
  }
  for (let start = startIndex; ; ) {
    // the element before: n words ending right before a joiner that ends before `start`
    let prevEnd = start - 1;
    if (prevEnd < 0) break;
    const comma = query.slice(qw[prevEnd]!.end, qw[start]!.start).includes(',');
    if (LIST_JOINERS.has(qw[prevEnd]!.text)) prevEnd--;
    else if (!comma) break;
    const span = element(prevEnd - n + 1);
    if (!span) break;
    spans.unshift(span);
    mine.push(span);
    start = prevEnd - n + 1;
  }
  if (spans.length === 1 && lists.every((l) => l.length >= 2)) {
    const width = Math.min(...lists.map((l) => l.length));
    for (let i = 1; i < width; i++) {
      const value = anchoredValue(query, triggerExamples, at(i), mine, single);
      if (value === undefined) break;
      spans.push(mine[mine.length - 1]!);
    }
  }
  used.push(...spans);
  return spans.map(([s, e]) => query.slice(s, e));
}
