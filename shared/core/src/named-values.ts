// Values a query names without writing them: an address whose local part is the first name the
// query writes ("for ines" -> ines.varga@example.org), a user name made of a name. The agents
// knew the value; the template learns the values the runs passed, and a new query names one of
// them by a word. The inducer detects the slots (named-values.ts there); the router binds them
// with the same relation, so both sides agree on what "named by the query" means.

/**
 * The queryForm of a slot whose value the query names by a word: the slot's examples are the
 * values past runs passed (each named by its run's query), and the router binds the one a word
 * of the new query names (docs/learning.md, "Values a query names by a word").
 */
export const KNOWN_VALUE_FORM = 'known_value';

/** At most this many learned values a known-value slot keeps (the router compares each with the query's words). */
export const MAX_KNOWN_VALUES = 50;

/** Parts shorter than this name nothing ("a", "jr", a domain's "io"). */
const MIN_PART = 3;

const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= MIN_PART);

/** The lower-case parts of a value one word of a query could name ("ines.varga@x.org" -> ines, varga, org). */
export function valueParts(value: string): string[] {
  return [...new Set(words(value))];
}

/** Whether a value is one token (no spaces): an address, an id, a user name; free text is never named by a word. */
export const isTokenValue = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200 && !/\s/.test(value.trim());

/** The parts of a value that are words of the query ("ines" for ines.varga@x.org and "... for ines ..."). */
export function partsNamedBy(value: string, query: string): string[] {
  const said = new Set(words(query));
  return valueParts(value).filter((p) => said.has(p));
}

/**
 * The learned values a query names: those with a part that is a word of the query and that
 * most learned values do not share (a common domain "example", "com" names nothing). Each
 * value once, in the learned order.
 */
export function valuesNamedBy(learned: readonly string[], query: string): string[] {
  return namedValueIndex(learned)(query);
}

/**
 * valuesNamedBy for many queries against one set of learned values: the distinguishing parts
 * are indexed once, and each query costs a look-up per word.
 */
export function namedValueIndex(learned: readonly string[]): (query: string) => string[] {
  const distinct = [...new Set(learned.filter(isTokenValue))];
  const byPart = new Map<string, number[]>();
  distinct.forEach((v, i) => {
    for (const p of valueParts(v)) byPart.set(p, [...(byPart.get(p) ?? []), i]);
  });
  // a part half the values hold or more is the values' common frame, not a name
  for (const [p, holders] of byPart) if (!(distinct.length === 1 || holders.length * 2 < distinct.length || holders.length === 1)) byPart.delete(p);
  return (query) => {
    const hit = new Set<number>();
    for (const w of new Set(words(query))) for (const i of byPart.get(w) ?? []) hit.add(i);
    return [...hit].sort((a, b) => a - b).map((i) => distinct[i]!);
  };
}

/** The one learned value the query names, or undefined when it names none or several (never a guess between them). */
export function knownValueNamedBy(learned: readonly string[], query: string): string | undefined {
  const named = valuesNamedBy(learned, query);
  return named.length === 1 ? named[0] : undefined;
}
