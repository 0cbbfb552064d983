// Frequent tool sequences: PrefixSpan over the agent's trajectories in the horizon (gaps
// allowed, so detours do not hide a pattern), then each trajectory is assigned to the
// longest pattern it contains, so sub-patterns of a workflow do not become templates.

export interface Pattern {
  signature: string[];
  key: string;
  /** Indices of the sequences that contain it (support = members.length). */
  members: number[];
}

/** The map key of a signature. */
export const patternKey = (signature: readonly string[]) => signature.join('>');

/**
 * Every sequence pattern (subsequence, gaps allowed) contained in at least `minSupport`
 * sequences, of length minLength..maxLength. Deterministic: items are explored in name order.
 */
export function frequentPatterns(sequences: readonly (readonly string[])[], minSupport: number, minLength: number, maxLength: number): Pattern[] {
  const out: Pattern[] = [];
  const grow = (prefix: string[], projected: { seq: number; from: number }[]) => {
    // For each item: the sequences where it occurs after the prefix, at its first occurrence.
    const next = new Map<string, { seq: number; from: number }[]>();
    for (const { seq, from } of projected) {
      const items = sequences[seq]!;
      const seen = new Set<string>();
      for (let i = from; i < items.length; i++) {
        const item = items[i]!;
        if (seen.has(item)) continue;
        seen.add(item);
        let list = next.get(item);
        if (!list) next.set(item, (list = []));
        list.push({ seq, from: i + 1 });
      }
    }
    for (const item of [...next.keys()].sort()) {
      const list = next.get(item)!;
      if (list.length < minSupport) continue;
      const signature = [...prefix, item];
      if (signature.length >= minLength) out.push({ signature, key: patternKey(signature), members: list.map((p) => p.seq) });
      if (signature.length < maxLength) grow(signature, list);
    }
  };
  grow(
    [],
    sequences.map((_, seq) => ({ seq, from: 0 })),
  );
  return out;
}

/**
 * Drops rare decorations: a pattern that holds in fewer than `minRatio` of the runs of a
 * frequent pattern it extends by one step (an exploration call that happened to land at the
 * same place a few times) is not a workflow of its own.
 */
export function dropRareExtensions(patterns: Pattern[], minRatio: number): Pattern[] {
  const support = new Map(patterns.map((p) => [p.key, p.members.length]));
  return patterns.filter((p) =>
    p.signature.every((_, i) => {
      const parent = support.get(patternKey([...p.signature.slice(0, i), ...p.signature.slice(i + 1)]));
      return parent === undefined || p.members.length >= minRatio * parent;
    }),
  );
}

/**
 * Assigns every sequence to the longest pattern it contains (then the most supported, then
 * by name): the instances of each pattern. Deterministic whatever the input order of patterns.
 */
export function assignInstances(patterns: readonly Pattern[]): Map<string, number[]> {
  const ordered = [...patterns].sort((a, b) => b.signature.length - a.signature.length || b.members.length - a.members.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const taken = new Set<number>();
  const out = new Map<string, number[]>();
  for (const p of ordered) {
    const mine = p.members.filter((m) => !taken.has(m));
    for (const m of mine) taken.add(m);
    if (mine.length > 0) out.set(p.key, mine.sort((a, b) => a - b));
  }
  return out;
}

/**
 * Where a pattern sits in a sequence: for each pattern step, the position used, choosing
 * the latest occurrence that still leaves room for the steps before it (so an exploratory
 * call of a tool is not taken for the real one that follows it). Null when not contained.
 */
export function embed(sequence: readonly string[], signature: readonly string[]): number[] | null {
  const at: number[] = new Array(signature.length);
  let limit = sequence.length;
  for (let k = signature.length - 1; k >= 0; k--) {
    let i = limit - 1;
    while (i >= 0 && sequence[i] !== signature[k]) i--;
    if (i < 0) return null;
    at[k] = i;
    limit = i;
  }
  return at;
}
