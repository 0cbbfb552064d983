// Text normalisation shared by the embedder, the candidate index and the structural check.
// Entities (ids, emails, numbers, dates...) are masked before anything is compared, so
// "cancel order A-1001" and "cancel order B-77" read the same: the values are the slots,
// not the meaning.

const MASKS: [RegExp, string][] = [
  [/\bhttps?:\/\/\S+/gi, ' <url> '],
  [/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, ' <email> '],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, ' <uuid> '],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, ' <date> '],
  [/"[^"]{1,200}"|“[^”]{1,200}”/g, ' <str> '],
  // single quotes too ('Update on Q3'), but not an apostrophe: the quote opens after no letter or digit and closes before none
  [/(?<![\p{L}\p{N}])['‘][^'‘’\n]{1,200}['’](?![\p{L}\p{N}])/gu, ' <str> '],
  // identifiers mixing letters and digits: A-1001, ord_77xk, INV2026, v3.13.2
  [/\b(?=[\w.-]*\d)(?=[\w.-]*[A-Za-z])[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*\b/g, ' <id> '],
  [/[$€£]?\b\d+(?:[.,]\d+)?\b/g, ' <num> '],
];

/** The text with entity values replaced by their kind (<id>, <email>, <num>, ...), lower-cased. */
export function maskEntities(text: string): string {
  let out = text.slice(0, 4_000);
  for (const [pattern, placeholder] of MASKS) out = out.replace(pattern, placeholder);
  return out.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Words and placeholders of a masked text, with "n't" split off as a word of its own. */
export function words(masked: string): string[] {
  return (masked.replace(/n['’]t\b/g, ' not').match(/<[a-z]+>|[a-z]+/g) ?? []);
}

const STOPWORDS = new Set(
  'a an the my our your his her its their this that these those is are was were be been am do does did to of in on at for from by with and or but please can could would will should shall me i we you it us them as so if then than into onto about up down out over any some all what which who whom whose where when how why there here just also too very want need like get got have has had'.split(' '),
);

/** Negation cues are kept as words (they matter), never stop words. */
export const NEGATIONS = new Set(['not', 'no', 'never', 'without', 'dont', 'cannot', 'nor', 'neither', 'instead']);

/**
 * A light suffix stemmer: enough to make "cancelled", "cancelling", "cancels" and
 * "cancellation" meet at "cancel". Both sides of every comparison go through it, so a
 * stem only has to be consistent, not a real word.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || w.startsWith('<')) return w;
  for (const suffix of ['ations', 'ation', 'ments', 'ment', 'ings', 'ing', 'edly', 'ed', 'ies', 'es', 's']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      if (suffix === 's' && (w.endsWith('ss') || w.endsWith('us'))) break;
      w = suffix === 'ies' ? `${w.slice(0, -3)}y` : w.slice(0, -suffix.length);
      break;
    }
  }
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  // cancell -> cancel, shipp -> ship
  if (w.length > 3 && w[w.length - 1] === w[w.length - 2] && !/[aeiou]/.test(w[w.length - 1]!)) w = w.slice(0, -1);
  return w;
}

/** Stemmed words that carry meaning (no stop words), for the candidate index. */
export function contentTokens(masked: string): string[] {
  const out: string[] = [];
  for (const w of words(masked)) {
    if (STOPWORDS.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}

/** Every stemmed word, stop words included (the embedder weighs them down itself). */
export function allTokens(masked: string): string[] {
  return words(masked).map(stem);
}

/** Whether a word is a stop word. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}
