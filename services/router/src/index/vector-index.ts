import { dot } from '../embedding/embedder.js';

/** One trigger example as indexed: its text, its content tokens and its vector. */
export interface IndexedExample {
  text: string;
  tokens: string[];
  vector: Float32Array;
}

/** The best example of one template for a query. */
export interface Hit {
  templateId: string;
  similarity: number;
  example: string;
}

/** How a search finds its candidates (docs/router.md, "Index"). */
export interface SearchLimits {
  /** Up to this many rows, every row is scored (exact). */
  bruteForceRows: number;
  /** Above it: postings visited, rarest tokens first, before candidates are cut. */
  postingBudget: number;
  /** Rows scored exactly after candidate generation. */
  candidateRows: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { bruteForceRows: 4_000, postingBudget: 60_000, candidateRows: 1_500 };

interface Row {
  templateId: string;
  text: string;
  tokens: string[];
  vector: Float32Array;
}

/**
 * The trigger examples of one tenant's templates: vectors for scoring and an inverted
 * index on content tokens for candidate generation. Small tenants are scanned exactly;
 * large ones score only the rows that share the query's rarest tokens.
 */
export class VectorIndex {
  private readonly rows = new Map<number, Row>();
  private readonly byTemplate = new Map<string, number[]>();
  private readonly postings = new Map<string, Set<number>>();
  private nextRow = 0;

  get rowCount(): number {
    return this.rows.size;
  }

  get templateCount(): number {
    return this.byTemplate.size;
  }

  /** Replaces the examples of a template. */
  upsert(templateId: string, examples: IndexedExample[]): void {
    this.remove(templateId);
    const ids: number[] = [];
    for (const example of examples) {
      const id = this.nextRow++;
      const tokens = [...new Set(example.tokens)];
      this.rows.set(id, { templateId, text: example.text, tokens, vector: example.vector });
      for (const token of tokens) {
        let posting = this.postings.get(token);
        if (!posting) this.postings.set(token, (posting = new Set()));
        posting.add(id);
      }
      ids.push(id);
    }
    this.byTemplate.set(templateId, ids);
  }

  /** Removes a template's examples (no-op when absent). */
  remove(templateId: string): void {
    const ids = this.byTemplate.get(templateId);
    if (!ids) return;
    for (const id of ids) {
      const row = this.rows.get(id);
      if (!row) continue;
      for (const token of row.tokens) {
        const posting = this.postings.get(token);
        posting?.delete(id);
        if (posting?.size === 0) this.postings.delete(token);
      }
      this.rows.delete(id);
    }
    this.byTemplate.delete(templateId);
  }

  /**
   * The `k` accepted templates most similar to the query, best first, each with its
   * closest example. Similarity is the cosine, clamped to [0, 1].
   */
  search(vector: Float32Array, tokens: string[], k: number, accept: (templateId: string) => boolean, limits: SearchLimits = DEFAULT_SEARCH_LIMITS): Hit[] {
    const best = new Map<string, Hit>();
    const score = (id: number, row: Row) => {
      if (!accept(row.templateId)) return;
      const similarity = Math.max(0, Math.min(1, dot(vector, row.vector)));
      const current = best.get(row.templateId);
      if (!current || similarity > current.similarity) best.set(row.templateId, { templateId: row.templateId, similarity, example: row.text });
      void id;
    };
    if (this.rows.size <= limits.bruteForceRows) {
      for (const [id, row] of this.rows) score(id, row);
    } else {
      for (const id of this.candidates(tokens, limits)) score(id, this.rows.get(id)!);
    }
    return [...best.values()].sort((a, b) => b.similarity - a.similarity || a.templateId.localeCompare(b.templateId)).slice(0, k);
  }

  /** Rows sharing the most of the query's tokens, rarest tokens first, within the budget. */
  private candidates(tokens: string[], limits: SearchLimits): number[] {
    const postings = [...new Set(tokens)]
      .map((t) => this.postings.get(t))
      .filter((p): p is Set<number> => p !== undefined)
      .sort((a, b) => a.size - b.size);
    const shared = new Map<number, number>();
    let visited = 0;
    for (const posting of postings) {
      if (visited > 0 && visited + posting.size > limits.postingBudget) break;
      for (const id of posting) shared.set(id, (shared.get(id) ?? 0) + 1);
      visited += posting.size;
    }
    if (shared.size <= limits.candidateRows) return [...shared.keys()];
    return [...shared.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limits.candidateRows)
      .map(([id]) => id);
  }
}
