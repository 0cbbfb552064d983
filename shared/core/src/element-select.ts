// Choosing one element of a result array by a rule instead of by its index: the first or the
// last, or the one with the smallest or largest value of a field (docs/learning.md, "Values
// from an earlier result"). An agent that took "the latest email" took element 3 of one
// search and element 0 of another; the rule that picked both is what a template can replay.
// The segmenter lists the rules that pick the element a value came from; the inducer keeps
// the one the runs agree on; the executor applies it to the new result.
import { canonicalDate, dateFormatOf, parseDateIn } from './value-transforms.js';

/** The segment of a result path that stands for the element a selector chooses. */
export const SELECTED_ELEMENT = '*';

/** Arrays longer than this, and elements with more fields, are not described (bounds the work per result). */
export const MAX_SELECT_ELEMENTS = 100;
const MAX_SELECT_FIELDS = 30;

// m[1] first|last, m[2] min|max and m[3] its field; m[4] a group or word field, m[5] '=' (its value) or '~' (a word of it), m[6] the value or word
// (`each@<field>~<word>` names every element whose field has the word: what a loop over them goes over, no one element)
const SELECTOR = /^(?:(first|last|each)|(min|max):([^|@]{1,100}))(?:@([^|=~]{1,60})([=~])([^|]{0,60}))?$/;

/** Fields whose values split the elements into at most this many groups are read as groups (min:<field>@<group field>=<value>). */
export const MAX_SELECT_GROUPS = 8;
const MAX_GROUP_VALUE = 60;

/** Whether `text` is a selector: first, last, min:<field>, max:<field> (the field a number or a date), optionally among the elements whose <group field> is <value> (`min:due@state=Open`) or has the word <word> (`first@owner~kofi`). */
export function isSelector(text: string): boolean {
  return SELECTOR.test(text);
}

/** The field and word a selector (or an each@ marker) filters by (`first@owner~kofi` -> owner, kofi), or null for one without a word. */
export function selectorWordFilter(selector: string): { field: string; word: string } | null {
  const m = SELECTOR.exec(selector);
  return m && m[5] === '~' ? { field: m[4]!, word: m[6]! } : null;
}

/** The word a selector filters by (`first@owner~kofi` -> kofi), or null for a selector without one. */
export function selectorWord(selector: string): string | null {
  return selectorWordFilter(selector)?.word ?? null;
}

/** The selector with its word replaced (`first@owner~kofi` -> `first@owner~<word>`); a selector without one as it is. */
export function withSelectorWord(selector: string, word: string): string {
  const m = SELECTOR.exec(selector);
  return m && m[5] === '~' ? `${selector.slice(0, selector.length - m[6]!.length)}${word}` : selector;
}

type Comparable = number | string;

/**
 * The value of a field as ordered: a number, or a date (any format dateFormatOf knows, as its
 * canonical ISO text, which orders as time does); null otherwise. Ids and names are not
 * ordered quantities: the smallest id of one search and of the next agree by chance.
 */
function comparable(element: unknown, field: string): Comparable | null {
  if (element === null || typeof element !== 'object' || Array.isArray(element)) return null;
  if (!Object.prototype.hasOwnProperty.call(element, field)) return null;
  const v = (element as Record<string, unknown>)[field];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return null;
  const format = dateFormatOf(v);
  const fields = format ? parseDateIn(v, format) : null;
  return fields ? canonicalDate({ ...fields, hasTime: true }) : null;
}

/** The index of the single element with the extreme value of `field`, or null (missing values, mixed types, ties). */
function extremeIndex(array: readonly unknown[], field: string, max: boolean): number | null {
  return extremeOf(array.map((e) => comparable(e, field)), max);
}

/** The index of the single extreme of already-read values, or null (a missing value, mixed types, a tie). */
function extremeOf(values: readonly (Comparable | null)[], max: boolean): number | null {
  if (values.some((v) => v === null)) return null;
  const kinds = new Set(values.map((v) => typeof v));
  if (kinds.size !== 1) return null;
  let best = 0;
  let tie = false;
  for (let i = 1; i < values.length; i++) {
    const a = values[i]!;
    const b = values[best]!;
    if (a === b) tie = true;
    else if (max ? a > b : a < b) {
      best = i;
      tie = false;
    }
  }
  return tie ? null : best;
}

/**
 * For every element of `array`, the selectors that pick it (first, last, then min:/max: of
 * each field of object elements where that element alone holds the extreme), in that order;
 * each field's extremes are found once for the whole array. None for an array too long to describe.
 */
export function arraySelectors(array: readonly unknown[]): string[][] {
  if (array.length > MAX_SELECT_ELEMENTS) return array.map(() => []);
  const out = array.map((_, i) => [...(i === 0 ? ['first'] : []), ...(i === array.length - 1 ? ['last'] : [])]);
  const fields = new Set<string>();
  for (const e of array) if (e !== null && typeof e === 'object' && !Array.isArray(e)) for (const k of Object.keys(e).slice(0, MAX_SELECT_FIELDS)) fields.add(k);
  const sorted = [...fields].sort();
  // each field's values are read (dates parsed) once, for the plain extremes and every group's
  const read = new Map(sorted.map((field) => [field, array.map((e) => comparable(e, field))]));
  /** min:/max: of every other field among `members` (the elements of a group or with a word), the selector ending in `suffix`. */
  const extremesAmong = (members: readonly number[], except: string, suffix: string) => {
    for (const field of sorted) {
      const all = read.get(field)!;
      if (field === except || all.every((v) => v === null)) continue;
      const values = members.map((i) => all[i]!);
      const min = extremeOf(values, false);
      const max = extremeOf(values, true);
      if (min !== null) out[members[min]!]!.push(`min:${field}${suffix}`);
      if (max !== null) out[members[max]!]!.push(`max:${field}${suffix}`);
    }
  };
  for (const field of sorted) {
    const min = extremeOf(read.get(field)!, false);
    const max = extremeOf(read.get(field)!, true);
    if (min !== null) out[min]!.push(`min:${field}`);
    if (max !== null) out[max]!.push(`max:${field}`);
  }
  // the extreme among the elements that share a value of another field ("the earliest due of the open ones")
  for (const group of sorted) {
    const groups = groupsOf(array, group);
    if (!groups) continue;
    for (const [value, members] of groups) {
      if (members.length < 2) continue;
      extremesAmong(members, group, `@${group}=${value}`);
    }
  }
  // the first, last or extreme of the elements whose identifier field has a word ("the latest mail from kofi": sender kofi.ab@x.org)
  for (const field of sorted) {
    const words = wordGroupsOf(array, field);
    if (!words) continue;
    for (const [word, members] of words) {
      const rule = `@${field}~${word}`;
      for (const i of members) out[i]!.push(`${EACH_WITH_WORD}${field}~${word}`);
      // a word every element has chooses no one element (the loop over them may still be over "those with the word")
      if (members.length === array.length) continue;
      out[members[0]!]!.push(`first${rule}`);
      if (members.length < 2) continue;
      out[members[members.length - 1]!]!.push(`last${rule}`);
      extremesAmong(members, field, rule);
    }
  }
  return out;
}

/** Most words of one field read as word groups per array (bounds the rules an element gets). */
const MAX_WORD_GROUPS = 40;

/** The marker of every element whose field has a word (`each@<field>~<word>`): what a loop over those elements took (no selector of one element). */
export const EACH_WITH_WORD = 'each@';

/** The rules of a link that choose one element (without the each@ markers). */
export const elementRules = (select: readonly string[] | null | undefined): string[] => (select ?? []).filter((r) => !r.startsWith(EACH_WITH_WORD));

/** Whether an identifier value has every word of `word` (case aside: "Kofi" and "kofi.m@x.org"; "Kofi Mensah" needs both). */
export function hasIdentifierWords(value: unknown, word: string): boolean {
  const wanted = identifierWords(word);
  if (typeof value !== 'string' || wanted.length === 0) return false;
  const words = identifierWords(value);
  return wanted.every((w) => words.includes(w));
}

/** The words of an identifier value: its runs of three letters or more, lower-cased (`kofi.ab@x.org` -> kofi, org). */
export function identifierWords(value: string): string[] {
  return (value.toLowerCase().match(/\p{L}{3,}/gu) ?? []).slice(0, 8);
}

/**
 * The element indices by each word of `field`, when every element's value is an identifier
 * (one token, no spaces, up to MAX_GROUP_VALUE characters: an address, a handle, a code);
 * a word that is the whole value is left out. Null for a
 * field of free text or of other values.
 */
function wordGroupsOf(array: readonly unknown[], field: string): Map<string, number[]> | null {
  if (/[@=~|]/.test(field) || field.length > 60 || array.length === 0) return null;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < array.length; i++) {
    const e = array[i];
    const v = e !== null && typeof e === 'object' && !Array.isArray(e) ? (e as Record<string, unknown>)[field] : undefined;
    if (typeof v !== 'string' || v.length > MAX_GROUP_VALUE || /\s|\|/.test(v)) return null;
    // a word that is the whole value is the value itself: the group of that value (@<field>=<value>) says it
    for (const word of new Set(identifierWords(v))) if (word !== v.toLowerCase()) groups.set(word, [...(groups.get(word) ?? []), i]);
    if (groups.size > MAX_WORD_GROUPS) return null;
  }
  return groups.size > 0 ? groups : null;
}

/**
 * The element indices by the text value of `field`, when every element has one (short, not
 * containing "|") and there are 2 to MAX_SELECT_GROUPS values; null otherwise.
 */
function groupsOf(array: readonly unknown[], field: string): Map<string, number[]> | null {
  if (/[@=~|]/.test(field) || field.length > 60) return null;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < array.length; i++) {
    const e = array[i];
    const v = e !== null && typeof e === 'object' && !Array.isArray(e) ? (e as Record<string, unknown>)[field] : undefined;
    if (typeof v !== 'string' || v.length > MAX_GROUP_VALUE || v.includes('|')) return null;
    groups.set(v, [...(groups.get(v) ?? []), i]);
    if (groups.size > MAX_SELECT_GROUPS) return null;
  }
  return groups.size >= 2 ? groups : null;
}

/** The selectors that pick element `index` of `array` (see arraySelectors). */
export function selectorsOf(array: readonly unknown[], index: number): string[] {
  return index >= 0 && index < array.length ? arraySelectors(array)[index]! : [];
}

/** Why a selector found no element. */
export class SelectionError extends Error {
  override name = 'SelectionError';
}

/** The element of `array` that `selector` chooses; a SelectionError when none can be chosen. */
export function selectElement(array: unknown, selector: string): unknown {
  const m = SELECTOR.exec(selector);
  if (!m) throw new SelectionError(`"${selector}" is not a selector (first, last, min:<field>, max:<field>, optionally @<field>=<value> or @<field>~<word>)`);
  if (!Array.isArray(array)) throw new SelectionError('is not a list');
  if (array.length === 0) throw new SelectionError('is an empty list');
  if (m[1] === 'each') throw new SelectionError(`"${selector}" names every element with the word, not one`);
  const base = m[1] ?? `${m[2]}:${m[3]}`;
  if (m[4] !== undefined) {
    const [group, value] = [m[4], m[6] ?? ''];
    const fieldOf = (e: unknown) => (e !== null && typeof e === 'object' && !Array.isArray(e) ? (e as Record<string, unknown>)[group] : undefined);
    const members = m[5] === '=' ? array.filter((e) => fieldOf(e) === value) : array.filter((e) => hasIdentifierWords(fieldOf(e), value));
    if (members.length === 0) throw new SelectionError(m[5] === '=' ? `has no element whose ${group} is ${value}` : `has no element whose ${group} has the word ${value}`);
    return selectElement(members, base);
  }
  if (m[1] === 'first') return array[0];
  if (m[1] === 'last') return array[array.length - 1];
  const field = m[3]!;
  const index = extremeIndex(array, field, m[2] === 'max');
  // a tie on the extreme keeps the earliest of the tied elements: the result's own order decides
  if (index !== null) return array[index];
  const values = array.map((e) => comparable(e, field));
  if (values.some((v) => v === null) || new Set(values.map((v) => typeof v)).size !== 1) throw new SelectionError(`has an element without a comparable ${field}`);
  const target = values.reduce((a, b) => ((m[2] === 'max' ? b! > a! : b! < a!) ? b : a));
  return array[values.indexOf(target)];
}
