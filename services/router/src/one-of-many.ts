// "Cancel my next meeting with X" is not "cancel all future meetings with X": the words are
// nearly the same, but the first asks for one element of what a search finds and the second
// for each of them. A template whose state-changing step loops over an earlier result acts
// on every element; a query that names one element by its position ("my next meeting", "the
// last email"), where the matched example speaks of them in the plural ("meetings"), asks for
// one. Such a candidate is refused (docs/router.md, "Structural check").
import type { Template } from '@praxis/schemas';

// Words that pick one element by its place in an ordered result.
const POSITION = new Set(['next', 'first', 'last', 'latest', 'earliest', 'upcoming', 'previous', 'newest', 'oldest']);
/** Words after a position word in which its noun is looked for ("my next team meeting"). */
const NOUN_WINDOW = 3;

const wordsOf = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Whether the template acts on each element of an earlier result (a loop step over a step's result). */
function loopsOverResult(t: Pick<Template, 'steps'>): boolean {
  return t.steps.some((s) => s.loop != null && s.loop.overStepIndex != null);
}

/**
 * The noun the query names one of by position, when the matched example names it in the
 * plural and the template loops over a result; null when there is none.
 */
export function oneOfMany(query: string, example: string, t: Pick<Template, 'steps'> | null): string | null {
  if (!t || !loopsOverResult(t)) return null;
  const q = wordsOf(query);
  const e = new Set(wordsOf(example));
  for (let i = 0; i < q.length; i++) {
    if (!POSITION.has(q[i]!)) continue;
    for (let j = i + 1; j <= i + NOUN_WINDOW && j < q.length; j++) {
      const noun = q[j]!;
      if (noun.length < 3 || e.has(noun)) continue;
      if (e.has(`${noun}s`) || e.has(`${noun}es`)) return noun;
    }
  }
  return null;
}
