import type { Template } from '@praxis/schemas';
import type { Hit } from './index/vector-index.js';
import { toolWords } from './request/analysis.js';
import { contentTokens } from './text.js';

const wordsOfTools = new WeakMap<Template, Set<string>>();

/**
 * The content words of a template's tool names, the namespace's included
 * (`calendar.delete_event` -> calendar, delete, event), tokenised as the query is.
 */
function templateToolWords(t: Template): Set<string> {
  let words = wordsOfTools.get(t);
  if (!words) {
    words = new Set(t.steps.flatMap((s) => contentTokens(s.toolName.split('.').flatMap(toolWords).join(' '))));
    wordsOfTools.set(t, words);
  }
  return words;
}

export interface ToolWordOptions {
  /** Added to a candidate's score times the share of its distinguishing tool words the query holds; 0: off. */
  weight: number;
  /** Candidates within this much of the best score are compared. */
  reach: number;
  /** At most this many of them. */
  candidates: number;
}

/**
 * Close candidates told apart by what their tools are called. Two templates whose examples read
 * alike ("how many X did we get", learned once per metric) often differ only in the tool they
 * call; a tool's name is the one description of it the agent itself chose, so the words of it
 * that not every close candidate shares are evidence of which one the query asks for. Only a
 * bonus: a query need not name its tools, so a word the query lacks costs nothing (a penalty
 * for misses was measured worse, docs/router.md "Fourth stage").
 */
export function byToolWords(hits: Hit[], templates: ReadonlyMap<string, Template>, queryTokens: readonly string[], o: ToolWordOptions): Hit[] {
  if (o.weight <= 0 || hits.length < 2) return hits;
  const score = (h: Hit) => h.score ?? h.similarity;
  const best = Math.max(...hits.map(score));
  const close = hits.filter((h) => score(h) >= best - o.reach && templates.has(h.templateId)).slice(0, o.candidates);
  if (close.length < 2) return hits;
  const sets = close.map((h) => templateToolWords(templates.get(h.templateId)!));
  const common = new Set([...sets[0]!].filter((w) => sets.every((s) => s.has(w))));
  const query = new Set(queryTokens);
  const bonus = new Map<string, number>();
  close.forEach((h, i) => {
    const own = [...sets[i]!].filter((w) => !common.has(w));
    if (own.length > 0) bonus.set(h.templateId, own.filter((w) => query.has(w)).length / own.length);
  });
  return hits
    .map((h) => {
      const share = bonus.get(h.templateId) ?? 0;
      return share > 0 ? { ...h, score: score(h) + o.weight * share } : h;
    })
    .sort((a, b) => score(b) - score(a) || b.similarity - a.similarity);
}
