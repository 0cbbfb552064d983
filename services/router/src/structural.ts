// The structural check that runs before a template is chosen. Cosine similarity cannot tell
// "return it" from "return it instead of exchanging it": the words are the same. So we compare
// what the query asks to DO (request/analysis.ts: preferred and ruled-out actions, from the
// clause structure) with what the template does: the actions of its trigger examples and of
// its steps (each step's tool verb, and whether the step changes state or only looks up).
//
// Two strengths of conflict (docs/router.md, "Structural check"):
// - refuse: the query rules out an action the template does, asks for the opposite of a
//   negated example, or asks only to look / keep while the template changes state. Such a
//   candidate is never chosen, whatever its similarity.
// - review: the query's main action is not one the template is known to do (a different verb
//   for a state change). The candidate may still be offered for rewrite, never for reuse.
import type { StructuralConflict } from '@praxis/contracts';
import type { Template } from '@praxis/schemas';
import { LRUCache } from 'lru-cache';
import { oneOfMany } from './one-of-many.js';
import { analyseRequest, toolVerb, toolWords, type RequestAnalysis } from './request/analysis.js';
import { stem } from './text.js';

/** A conflict, and whether it refuses the candidate or only its reuse. */
export interface Conflict extends StructuralConflict {
  blocks: 'candidate' | 'reuse';
}

// Verbs that by meaning change nothing: looking things up, and keeping them as they are.
const LOOKUP = new Set(['get', 'search', 'find', 'list', 'show', 'check', 'read', 'fetch', 'query', 'count', 'view', 'look', 'lookup', 'describe', 'verify', 'inspect', 'display', 'see', 'track', 'retrieve', 'browse', 'preview', 'tell', 'compare', 'calculate', 'compute', 'review', 'watch', 'monitor']);
const RETAIN = new Set(['keep', 'hold', 'leave', 'retain', 'preserve', 'stay']);

/** Whether an action (lemma, maybe with its particle) changes nothing. */
export function changesNothing(action: string): boolean {
  const head = action.split(' ')[0]!;
  return LOOKUP.has(head) || RETAIN.has(head);
}

const same = (a: string, b: string) => a === b || (!a.includes(' ') && !b.includes(' ') && stem(a) === stem(b));
const has = (set: Iterable<string>, action: string) => [...set].some((x) => same(x, action));

const analyses = new LRUCache<string, RequestAnalysis>({ max: 50_000 });
const toolVerbs = new LRUCache<string, string>({ max: 20_000 });

/** The analysis of a text, cached (trigger examples recur in every lookup that finds them). */
export function analysed(text: string): RequestAnalysis {
  let a = analyses.get(text);
  if (!a) analyses.set(text, (a = analyseRequest(text)));
  return a;
}

function verbOf(toolName: string): string {
  let v = toolVerbs.get(toolName);
  if (v === undefined) toolVerbs.set(toolName, (v = toolVerb(toolName)));
  return v;
}

/** What a template does: every action it is known by, and the steps that change state. */
export interface TemplateActions {
  actions: Set<string>;
  /** Actions some trigger example rules out ("if I haven't met X, ..."). */
  ruledOut: Set<string>;
  writes: { tool: string; verb: string }[];
}

interface OwnActions {
  /** The analyses of its first examples (the one a lookup matched is usually among them). */
  examples: Map<string, RequestAnalysis>;
  actions: Set<string>;
  ruledOut: Set<string>;
  writes: { tool: string; verb: string }[];
}

// What a template's own examples and steps say, computed once per template version (the object
// is replaced by every new version, so a WeakMap forgets it with the version). An LRU of texts
// alone thrashes past its size: at 100k templates every candidate's examples were analysed again.
const ownActions = new WeakMap<object, OwnActions>();

function actionsOfTemplate(t: Pick<Template, 'steps' | 'triggerExamples'>): OwnActions {
  let own = ownActions.get(t);
  if (own) return own;
  own = { examples: new Map(), actions: new Set(), ruledOut: new Set(), writes: [] };
  for (const e of t.triggerExamples.slice(0, 5)) {
    const a = analysed(e);
    own.examples.set(e, a);
    for (const x of a.preferred) own.actions.add(x);
    for (const x of a.dispreferred) own.ruledOut.add(x);
  }
  const feeds = new Set(t.steps.flatMap((s) => s.params.filter((p) => p.kind === 'STEP_RESULT' && p.stepIndex !== null).map((p) => p.stepIndex!)));
  const last = t.steps.length - 1;
  t.steps.forEach((s, i) => {
    const verb = verbOf(s.toolName);
    own.actions.add(verb);
    for (const w of toolWords(s.toolName)) own.actions.add(w);
    if (!changesNothing(verb) && !(feeds.has(s.index) && i < last)) own.writes.push({ tool: s.toolName, verb });
  });
  ownActions.set(t, own);
  return own;
}

/**
 * The template's actions: those its trigger examples ask for, and its tools' verbs. A step
 * changes state unless its verb changes nothing, or its result feeds a later step (a look-up
 * whose answer the workflow uses).
 */
export function templateActions(t: Pick<Template, 'steps' | 'triggerExamples'> | null, example: RequestAnalysis): TemplateActions {
  const actions = new Set(example.preferred);
  const ruledOut = new Set(example.dispreferred);
  if (!t) {
    const writes: { tool: string; verb: string }[] = [];
    for (const a of example.preferred) if (!changesNothing(a)) writes.push({ tool: '', verb: a });
    return { actions, ruledOut, writes };
  }
  const own = actionsOfTemplate(t);
  for (const x of own.actions) actions.add(x);
  for (const x of own.ruledOut) ruledOut.add(x);
  return { actions, ruledOut, writes: own.writes };
}

const describeWrites = (w: TemplateActions['writes']) => [...new Set(w.map((x) => (x.tool ? `${x.verb} (${x.tool})` : x.verb)))].join(', ');

/**
 * Conflicts between a query and a candidate (the trigger example it matched, and the template
 * when known). Empty when the query asks for what the template does.
 */
export function checkCandidate(q: RequestAnalysis, exampleText: string, t: Pick<Template, 'steps' | 'triggerExamples'> | null, query?: string): Conflict[] {
  const e = (t && actionsOfTemplate(t).examples.get(exampleText)) || analysed(exampleText);
  const ta = templateActions(t, e);
  const out: Conflict[] = [];
  for (const d of q.dispreferred) {
    if (has(ta.actions, d) && !has(ta.ruledOut, d)) out.push({ kind: 'negation', blocks: 'candidate', detail: `the query says not to ${d}; the template does ${d}` });
  }
  for (const p of q.preferred) {
    if (has(e.dispreferred, p) && !has(e.preferred, p)) out.push({ kind: 'negation', blocks: 'candidate', detail: `the query asks to ${p}; the template is for not doing it` });
  }
  const asksWhatItDoes = q.preferred.some((p) => has(ta.actions, p));
  if (out.length === 0 && q.dispreferred.length > 0 && ta.writes.length > 0 && !asksWhatItDoes && !q.dispreferred.every((d) => has(ta.ruledOut, d))) {
    out.push({ kind: 'negation', blocks: 'candidate', detail: `the query rules out ${q.dispreferred.join(', ')} and asks for nothing the template does; the template does ${describeWrites(ta.writes)}` });
  }
  const onlyLooks = q.preferred.length > 0 && q.preferred.every(changesNothing);
  const writesAsked = q.preferred.some((p) => ta.writes.some((w) => same(w.verb, p)));
  if (out.length === 0 && onlyLooks && ta.writes.length > 0 && !writesAsked && (q.contrast || q.restricted || q.preferred.some((p) => RETAIN.has(p.split(' ')[0]!)))) {
    out.push({ kind: 'action', blocks: 'candidate', detail: `the query asks only to ${q.preferred.join(', ')}; the template changes state: ${describeWrites(ta.writes)}` });
  }
  const named = q.preferred.length + q.dispreferred.length + e.preferred.length + e.dispreferred.length;
  if (named === 0 && q.contrast !== e.contrast) {
    out.push({ kind: 'negation', blocks: 'candidate', detail: q.contrast ? 'the query is negated; the template example is not' : 'the template example is negated; the query is not' });
  }
  if (out.length > 0) return out;
  const one = query === undefined ? null : oneOfMany(query, exampleText, t);
  if (one !== null) return [{ kind: 'entity', blocks: 'candidate', detail: `the query asks for one ${one} by its position; the template acts on each ${one} an earlier step found` }];
  const main = q.preferred.find((p) => !changesNothing(p));
  if (main && !has(ta.actions, main) && ta.writes.length > 0) {
    out.push({ kind: 'action', blocks: 'reuse', detail: `the query asks to ${main}; the template does ${describeWrites(ta.writes)}` });
  } else if (!main && onlyLooks && ta.writes.length > 0 && !writesAsked) {
    out.push({ kind: 'action', blocks: 'reuse', detail: `the query asks to ${q.preferred.join(', ')}; the template changes state: ${describeWrites(ta.writes)}` });
  }
  return out;
}

/** Conflicts between a query and a trigger example (and its template, when given). */
export function structuralConflicts(query: string, example: string, t: Pick<Template, 'steps' | 'triggerExamples'> | null = null): Conflict[] {
  return checkCandidate(analysed(query), example, t, query);
}
