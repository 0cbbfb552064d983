// The lexical side of ranking. A trigger example's cosine is penalised by every word the
// example has and the query lacks ("sofia is off sick. Can you cancel my next meeting with
// them?" against "cancel my next meeting with yuki"), so a template whose examples carry extra
// detail loses to a shorter one that shares fewer of the query's words. How much of the
// *query* a template covers, each word weighted by how rare it is among the tenant's templates
// (BM25's inverse document frequency), does not have that bias: a rare word the query shares
// with only one template says more than a common one. The ranking blends both
// (docs/router.md, "Ranking"); the tiers still read the cosine (lowered only for unbound query
// slots, lookup.ts `penaliseUnbound`).

/** The content tokens of each template (all its examples together) and how many templates hold each token. */
export class TermStats {
  private readonly byTemplate = new Map<string, Set<string>>();
  private readonly df = new Map<string, number>();

  /** Sets (or replaces) the tokens of a template. */
  set(templateId: string, tokens: Iterable<string>): void {
    this.remove(templateId);
    const own = new Set(tokens);
    this.byTemplate.set(templateId, own);
    for (const t of own) this.df.set(t, (this.df.get(t) ?? 0) + 1);
  }

  /** Forgets a template (no-op when absent). */
  remove(templateId: string): void {
    const own = this.byTemplate.get(templateId);
    if (!own) return;
    this.byTemplate.delete(templateId);
    for (const t of own) {
      const n = (this.df.get(t) ?? 1) - 1;
      if (n <= 0) this.df.delete(t);
      else this.df.set(t, n);
    }
  }

  /** How many templates hold the token. */
  templatesWith(token: string): number {
    return this.df.get(token) ?? 0;
  }

  /** BM25's idf of a token over the tenant's templates (a token no template has is the rarest). */
  idf(token: string): number {
    const n = this.byTemplate.size;
    const df = this.df.get(token) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The idf-weighted share of the query's distinct tokens the template has, in [0, 1]. */
  coverage(queryTokens: readonly string[], templateId: string): number {
    return this.coverageOf(queryTokens)(templateId);
  }

  /** Coverage of one query for any number of templates (the query's weights computed once). */
  coverageOf(queryTokens: readonly string[]): (templateId: string) => number {
    const weighted = [...new Set(queryTokens)].map((t) => [t, this.idf(t)] as const);
    const total = weighted.reduce((sum, [, w]) => sum + w, 0);
    return (templateId) => {
      const own = this.byTemplate.get(templateId);
      if (!own || total <= 0) return 0;
      let covered = 0;
      for (const [t, w] of weighted) if (own.has(t)) covered += w;
      return covered / total;
    };
  }
}

/** How candidates are ordered (docs/router.md, "Ranking"). */
export interface RankingOptions {
  /** Templates taken from the vector search before re-ranking (the nearest by cosine). */
  depth: number;
  /** Score = (1 - w) x cosine + w x idf-weighted query coverage. 0: the cosine alone. */
  lexicalWeight: number;
  /**
   * Subtracted from a candidate's score times the share of its query slots (source QUERY) the
   * query does not bind (lookup.ts, `penaliseUnbound`); 0: off.
   */
  unboundSlotPenalty: number;
  /**
   * Subtracted from the similarity the tiers read, times the same share (lookup.ts,
   * `penaliseUnbound`): a template whose query slots the query does not fill is a weaker match
   * than its words say, so it needs more similarity to be served. 0: off.
   */
  unboundSimilarityPenalty: number;
  /** At most this many candidates (the best-scored within reach of the first) are extracted for it. */
  unboundSlotCandidates: number;
  /**
   * Candidates compared again with the query read their way: the spans they bind, when made of
   * words no template's examples hold, read as <value> (own-reading.ts); at most this many of
   * those whose score is within `ownReadingReach` of the best. 0: off.
   */
  ownReadingCandidates: number;
  ownReadingReach: number;
  /**
   * Among the close candidates (at most `toolWordCandidates`, within `toolWordReach` of the best
   * score), each template's tool-name words that not all of them share; the score rises by this
   * weight times the share of those words the query holds (tool-words.ts). 0: off.
   */
  toolWordWeight: number;
  toolWordReach: number;
  toolWordCandidates: number;
}

/**
 * Measured on WorkBench's held-out paraphrases (docs/router.md, "Ranking"): the right template is
 * among the 20 nearest by cosine for every one of them; top-1 is flat for weights 0.5 to 0.7 and
 * lower below 0.5 (0.3: 2 points lower), with either local embedder. The unbound-slot penalty:
 * top-1 +5.6 points at 0.1 (0.05: +1.6, 0.15: +4.8, 0.2: +4.0), unseen requests planned unchanged;
 * the same with 2, 3 or all 9 candidates extracted. The similarity penalty: unseen requests planned
 * 82.7% -> 88.2% at the same calibrated threshold, top-1 88.0% -> 88.3% (0.1: 82.7%, unchanged).
 * Tool words at 0.1: real traffic 144 -> 146 correct of 295 (0.05: 145, 0.2 and 0.3: 145; a
 * penalty for tool words the query lacks: 133-136), paraphrase figures unchanged.
 */
export const DEFAULT_RANKING: RankingOptions = { depth: 24, lexicalWeight: 0.5, unboundSlotPenalty: 0.1, unboundSlotCandidates: 2, unboundSimilarityPenalty: 0.2, ownReadingCandidates: 3, ownReadingReach: 0.15, toolWordWeight: 0.1, toolWordReach: 0.15, toolWordCandidates: 4 };
