// The tasks of one seed, made to fill the three similarity bands (which band a task falls in
// is measured by the router, never assumed): fresh values in trained phrasings (mostly high),
// paraphrases and phrasings held out of training (medium), and workflows held out of
// training (low, or a wrong template: a false-hit risk).
import type { JsonPrimitive } from '@praxis/core';
import { AGENTS, fillQuery, freshTasks, Rng, type FreshTask } from '@praxis/fleet';

export type TaskOrigin = 'trained' | 'paraphrase' | 'held-out-phrasing' | 'held-out-workflow';
export const ORIGINS: readonly TaskOrigin[] = ['trained', 'paraphrase', 'held-out-phrasing', 'held-out-workflow'];

export interface BenchTask extends FreshTask {
  origin: TaskOrigin;
}

/** What a seed keeps out of the training traffic. */
export interface Split {
  /** One workflow per agent, never run in the traffic. */
  excludeWorkflows: string[];
  /** Workflow id to the phrasings (indexes) its training tasks use. */
  phrasings: Record<string, number[]>;
  /** Workflow id to the phrasing held out of training (workflows with 3 or more phrasings). */
  heldOutPhrasing: Record<string, number>;
}

/** Tasks per seed of each origin. */
export type TaskMix = Record<TaskOrigin, number>;

export const DEFAULT_MIX: TaskMix = { trained: 80, paraphrase: 140, 'held-out-phrasing': 40, 'held-out-workflow': 40 };

/** The seed's split: one workflow per agent held out, and one phrasing of each workflow that has 3 or more. */
export function splitFor(seed: string): Split {
  const rng = new Rng(`closed-loop-split:${seed}`);
  const excludeWorkflows = AGENTS.map((a) => rng.pick(a.workflows).id);
  const phrasings: Record<string, number[]> = {};
  const heldOutPhrasing: Record<string, number> = {};
  for (const wf of AGENTS.flatMap((a) => a.workflows)) {
    if (excludeWorkflows.includes(wf.id) || wf.queries.length < 3) continue;
    const held = rng.int(0, wf.queries.length - 1);
    heldOutPhrasing[wf.id] = held;
    phrasings[wf.id] = wf.queries.map((_, i) => i).filter((i) => i !== held);
  }
  return { excludeWorkflows, phrasings, heldOutPhrasing };
}

// Synonyms a user might pick; the local embedder knows spelling, not meaning, so these move
// a query away from the trigger examples it was learned from.
const SYNONYMS: Record<string, string> = {
  order: 'purchase', book: 'reserve', booking: 'reservation', flight: 'plane', hotel: 'place to stay', find: 'look for',
  send: 'forward', refund: 'reimburse', cancel: 'call off', price: 'cost', check: 'verify', restart: 'reboot',
  deploy: 'release', ship: 'send out', revert: 'undo', scale: 'resize', alert: 'alarm', logs: 'log lines',
  report: 'summary', expense: 'claim', expenses: 'claims', receipt: 'slip', triage: 'assess', escalate: 'raise',
  ticket: 'case', audit: 'review', restock: 'replenish', weather: 'forecast', status: 'progress', publish: 'put up',
  acknowledge: 'confirm', ack: 'confirm', submit: 'hand in', policy: 'rules', incident: 'outage', page: 'notify',
  address: 'location', email: 'mail', reserve: 'book', reorder: 'buy more', fix: 'repair', roll: 'turn',
};
const SYNONYM_RE = new RegExp(`\\b(${Object.keys(SYNONYMS).join('|')})\\b`, 'gi');

/** Applies `fn` to the text outside the {slot} placeholders. */
function outsideSlots(template: string, fn: (text: string) => string): string {
  return template.split(/(\{\w+\})/).map((part) => (/^\{\w+\}$/.test(part) ? part : fn(part))).join('');
}

const lowerFirst = (s: string) => (s.startsWith('{') ? s : s.charAt(0).toLowerCase() + s.slice(1));
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const bare = (s: string) => s.trim().replace(/[.?!]+$/, '');

export type ParaphraseKind = 'polite' | 'synonyms' | 'reorder' | 'polite+synonyms';
export const PARAPHRASE_KINDS: readonly ParaphraseKind[] = ['polite', 'synonyms', 'reorder', 'polite+synonyms'];

/** A paraphrase of a query phrasing (its {slot} placeholders kept): politeness, synonyms, or its two halves swapped. */
export function paraphrase(template: string, kind: ParaphraseKind): string {
  const polite = (t: string) => `Hello there! ${upperFirst(bare(t))}, if you would. Many thanks.`;
  const synonyms = (t: string) => outsideSlots(t, (text) => text.replace(SYNONYM_RE, (w) => (w[0] === w[0]!.toUpperCase() ? upperFirst(SYNONYMS[w.toLowerCase()]!) : SYNONYMS[w.toLowerCase()]!)));
  switch (kind) {
    case 'polite':
      return polite(template);
    case 'synonyms':
      return synonyms(template);
    case 'polite+synonyms':
      return polite(synonyms(template));
    case 'reorder': {
      const t = bare(template);
      for (const sep of [', ', '; ', '. ', ': ', ' and ', ' then ']) {
        const at = t.indexOf(sep);
        if (at > 0) return `${upperFirst(t.slice(at + sep.length))}, ${lowerFirst(t.slice(0, at))}`;
      }
      return `${t}, please`;
    }
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** An ISO date as people write it ("March 7, 2026"); other values unchanged. */
export function spelledDate(value: JsonPrimitive): JsonPrimitive {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return m ? `${MONTHS[Number(m[2]) - 1]} ${Number(m[3])}, ${m[1]}` : value;
}

/** The query values as written in a paraphrase: dates spelled out for one paraphrase in four (when the task has a date). */
function writtenValues(task: FreshTask, rng: Rng): Record<string, JsonPrimitive> {
  if (!rng.chance(0.25)) return task.values;
  return Object.fromEntries(Object.entries(task.values).map(([k, v]) => [k, spelledDate(v)]));
}

/** The tasks of a seed for its split: each a fresh task of the fleet with the query of its origin. */
export function benchTasks(seed: string, split: Split, mix: TaskMix = DEFAULT_MIX): BenchTask[] {
  const rng = new Rng(`closed-loop-tasks:${seed}`);
  const all = AGENTS.flatMap((a) => a.workflows);
  const byId = new Map(all.map((w) => [w.id, w]));
  const trained = all.filter((w) => !split.excludeWorkflows.includes(w.id)).map((w) => w.id);
  const trainedPhrasing = (task: FreshTask) => {
    const wf = byId.get(task.workflowId)!;
    return wf.queries[rng.pick(split.phrasings[wf.id] ?? wf.queries.map((_, i) => i))]!;
  };
  const of = (origin: TaskOrigin, workflows: string[], query: (t: FreshTask) => string): BenchTask[] =>
    mix[origin] > 0 && workflows.length > 0 ? freshTasks(`${seed}/${origin}`, mix[origin], { workflows }).map((t) => ({ ...t, origin, query: query(t) })) : [];
  return [
    ...of('trained', trained, (t) => fillQuery(trainedPhrasing(t), t.values)),
    ...of('paraphrase', trained, (t) => fillQuery(paraphrase(trainedPhrasing(t), rng.pick(PARAPHRASE_KINDS)), writtenValues(t, rng))),
    ...of('held-out-phrasing', Object.keys(split.heldOutPhrasing), (t) => fillQuery(byId.get(t.workflowId)!.queries[split.heldOutPhrasing[t.workflowId]!]!, t.values)),
    ...of('held-out-workflow', split.excludeWorkflows, (t) => t.query),
  ];
}
