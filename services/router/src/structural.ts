// The structural check that runs before `reuse`. Cosine similarity cannot tell "cancel my
// order" from "do not cancel my order, change the address": the words are the same. So we
// compare what each text asks to DO (its action verbs, canonicalised) and whether each
// action is negated, and refuse a reuse when the two disagree (docs/router.md).
import type { StructuralConflict } from '@praxis/contracts';
import { maskEntities, NEGATIONS, stem, words } from './text.js';

// Canonical actions and the verbs (stemmed) that express them.
const VERBS: Record<string, string[]> = {
  cancel: ['cancel', 'terminat', 'abort', 'revok', 'void'],
  keep: ['keep', 'retain', 'hold', 'continu', 'preserv'],
  change: ['chang', 'updat', 'modify', 'modifi', 'edit', 'amend', 'alter', 'correct', 'reschedul', 'replac', 'switch', 'mov'],
  refund: ['refund', 'reimburs', 'repay'],
  charge: ['charg', 'bill', 'pay', 'invoic'],
  add: ['add', 'insert', 'attach', 'includ', 'append'],
  remove: ['remov', 'delet', 'drop', 'detach', 'eras', 'purg', 'exclud'],
  create: ['creat', 'open', 'register', 'setup'],
  close: ['clos', 'shut', 'deactivat'],
  enable: ['enabl', 'activat', 'resum', 'unpaus'],
  disable: ['disabl', 'paus', 'suspend', 'mut'],
  subscribe: ['subscrib', 'enrol', 'join'],
  unsubscribe: ['unsubscrib', 'unenrol', 'leav', 'optout'],
  increase: ['increas', 'rais', 'upgrad', 'extend', 'boost'],
  decrease: ['decreas', 'lower', 'reduc', 'downgrad', 'shorten'],
  approve: ['approv', 'accept', 'confirm', 'grant', 'allow'],
  reject: ['reject', 'declin', 'deny', 'refus', 'disallow'],
  lock: ['lock', 'block', 'freez', 'ban'],
  unlock: ['unlock', 'unblock', 'unfreez', 'unban'],
  buy: ['buy', 'purchas'],
  sell: ['sell'],
  ship: ['ship', 'send', 'dispatch', 'deliver'],
  track: ['track', 'where', 'status', 'locat'],
  restore: ['restor', 'undelet', 'recover', 'reinstat', 'unarchiv'],
  archive: ['archiv'],
  deploy: ['deploy', 'rollout', 'releas', 'promot'],
  rollback: ['rollback', 'revert', 'undo'],
};

// Phrasal verbs read as one word, so "roll out" and "roll back" are not both just "roll".
const PHRASAL: [RegExp, string][] = [
  [/\broll(?:s|ed|ing)? out\b/g, 'rollout'],
  [/\broll(?:s|ed|ing)? back\b/g, 'rollback'],
];

// Pairs of actions that contradict each other.
const OPPOSED: [string, string][] = [
  ['cancel', 'keep'],
  ['cancel', 'change'],
  ['cancel', 'ship'],
  ['cancel', 'buy'],
  ['cancel', 'create'],
  ['refund', 'charge'],
  ['add', 'remove'],
  ['create', 'remove'],
  ['create', 'close'],
  ['enable', 'disable'],
  ['subscribe', 'unsubscribe'],
  ['increase', 'decrease'],
  ['approve', 'reject'],
  ['lock', 'unlock'],
  ['buy', 'sell'],
  ['archive', 'restore'],
  ['remove', 'restore'],
  ['keep', 'remove'],
  ['deploy', 'rollback'],
];

const ACTION_OF = new Map<string, string>();
for (const [action, stems] of Object.entries(VERBS)) for (const s of stems) ACTION_OF.set(s, action);
const OPPOSITES = new Map<string, Set<string>>();
for (const [a, b] of OPPOSED) {
  (OPPOSITES.get(a) ?? OPPOSITES.set(a, new Set()).get(a)!).add(b);
  (OPPOSITES.get(b) ?? OPPOSITES.set(b, new Set()).get(b)!).add(a);
}

// A negation cue reaches the next action within this many words, unless a clause break
// (",", ";", "but", "and", ".") comes first.
const NEGATION_REACH = 4;
const CLAUSE_BREAKS = new Set(['but', 'and', 'then', 'instead', 'rather', '<sep>']);

/** Actions a text asks for, each marked negated or not. */
export interface ActionProfile {
  positive: Set<string>;
  negated: Set<string>;
  negationCues: number;
}

/** Reads the actions of a text, and which of them are negated. */
export function actionProfile(text: string): ActionProfile {
  const masked = PHRASAL.reduce((t, [re, word]) => t.replace(re, word), maskEntities(text)).replace(/[,;.!?:()]/g, ' <sep> ');
  const tokens = words(masked);
  const positive = new Set<string>();
  const negated = new Set<string>();
  let negationCues = 0;
  let negationLeft = 0;
  for (const token of tokens) {
    if (token === '<sep>' || CLAUSE_BREAKS.has(token)) {
      negationLeft = 0;
      continue;
    }
    if (NEGATIONS.has(token) && token !== 'instead') {
      negationCues++;
      negationLeft = NEGATION_REACH;
      continue;
    }
    const action = ACTION_OF.get(stem(token)) ?? ACTION_OF.get(token);
    if (action) {
      if (negationLeft > 0) negated.add(action);
      else positive.add(action);
      negationLeft = 0;
      continue;
    }
    if (negationLeft > 0) negationLeft--;
  }
  for (const a of negated) if (positive.has(a)) negated.delete(a);
  return { positive, negated, negationCues };
}

/**
 * Conflicts between a query and the trigger example it matched: an action one asks for
 * and the other negates, two opposed actions, or a negation on one side only when neither
 * names an action. Empty when the two ask for the same thing.
 */
export function structuralConflicts(query: string, example: string): StructuralConflict[] {
  const q = actionProfile(query);
  const e = actionProfile(example);
  const conflicts: StructuralConflict[] = [];
  for (const action of q.negated) {
    if (e.positive.has(action)) conflicts.push({ kind: 'negation', detail: `the query says not to ${action}; the template does ${action}` });
  }
  for (const action of e.negated) {
    if (q.positive.has(action)) conflicts.push({ kind: 'negation', detail: `the query asks to ${action}; the template is for not doing it` });
  }
  for (const action of q.positive) {
    if (e.positive.has(action)) continue;
    for (const other of e.positive) {
      if (OPPOSITES.get(action)?.has(other) && !q.positive.has(other)) {
        conflicts.push({ kind: 'action', detail: `the query asks to ${action}; the template does ${other}` });
      }
    }
  }
  const namedActions = q.positive.size + q.negated.size + e.positive.size + e.negated.size;
  if (namedActions === 0 && (q.negationCues > 0) !== (e.negationCues > 0)) {
    conflicts.push({ kind: 'negation', detail: q.negationCues > 0 ? 'the query is negated; the template example is not' : 'the template example is negated; the query is not' });
  }
  return conflicts;
}
