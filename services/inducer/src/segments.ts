// Sub-workflows (docs/learning.md, "Structures"): a run of consecutive calls that recurs in
// tasks that continue (or begin) differently, such as "authenticate, then look up" before
// one of several actions. It is learned once, as its own template, and marked on the steps
// of the whole workflows that contain it.
import type { Element } from './kinds.js';

export interface Segment {
  tools: string[];
  /** Ring indices of the runs containing it, with the element position where it starts. */
  occurrences: { run: number; start: number }[];
}

export interface SegmentOptions {
  minSupport: number;
  /** Shortest segment (a single call is a tool, not a sub-workflow). */
  minSteps: number;
  maxSteps: number;
  /** Runs no whole template explains must go on (or come from) different ways: no single neighbour in more than 1 - this share of them. */
  minVariation: number;
}

const key = (tools: readonly string[]) => tools.join('>');

const subsequences = (tools: readonly string[], minSteps: number, maxSteps: number): string[][] => {
  const out: string[][] = [];
  for (let a = 0; a < tools.length; a++) for (let len = minSteps; len <= maxSteps && a + len <= tools.length; len++) out.push(tools.slice(a, a + len));
  return out;
};

/**
 * The sub-workflows of an agent's runs: consecutive calls (minSteps..maxSteps) that are
 *   (a) part of the structures of at least two whole workflows (`wholes`: their steps, null
 *       for an optional step, which never belongs to a segment), or
 *   (b) found in at least minSupport of the runs no whole workflow explains (`unexplained`),
 *       whose next call (or the end) or previous call (or the start) varies there (no single
 *       neighbour in more than 1 - minVariation of them): the rest is planned each time.
 * Closed: a segment inside a longer one with as many occurrences is dropped. Occurrences are
 * counted over all runs (the first place each run has it). Deterministic.
 */
export function findSegments(collapsed: readonly Element[][], wholes: readonly (string | null)[][], unexplained: ReadonlySet<number>, options: SegmentOptions): Segment[] {
  const candidates = new Map<string, string[]>();
  const plain = wholes.map((w) => w.map((t) => t ?? '\u0000optional'));
  plain.forEach((w, i) => {
    for (const sub of subsequences(w, options.minSteps, options.maxSteps)) {
      if (sub.some((t) => t === '\u0000optional')) continue;
      if (plain.some((o, j) => j !== i && segmentAt(o, sub) >= 0)) candidates.set(key(sub), sub);
    }
  });
  const neighbours = new Map<string, { tools: string[]; runs: number; next: Map<string, number>; prev: Map<string, number> }>();
  for (const r of [...unexplained].sort((a, b) => a - b)) {
    const run = collapsed[r]!;
    const tools = run.map((e) => e.tool);
    const seen = new Set<string>();
    for (let start = 0; start < tools.length; start++) {
      for (let len = options.minSteps; len <= options.maxSteps && start + len <= tools.length; len++) {
        const sub = tools.slice(start, start + len);
        const k = key(sub);
        if (seen.has(k)) continue;
        seen.add(k);
        const entry = neighbours.get(k) ?? { tools: sub, runs: 0, next: new Map<string, number>(), prev: new Map<string, number>() };
        entry.runs++;
        const next = tools[start + len] ?? '\u0000end';
        const prev = tools[start - 1] ?? '\u0000start';
        entry.next.set(next, (entry.next.get(next) ?? 0) + 1);
        entry.prev.set(prev, (entry.prev.get(prev) ?? 0) + 1);
        neighbours.set(k, entry);
      }
    }
  }
  const varies = (m: Map<string, number>, n: number) => Math.max(...m.values()) <= (1 - options.minVariation) * n;
  for (const [k, e] of neighbours) if (e.runs >= options.minSupport && (varies(e.next, e.runs) || varies(e.prev, e.runs))) candidates.set(k, e.tools);

  const found = [...candidates.values()].map((tools) => {
    const occurrences: { run: number; start: number }[] = [];
    collapsed.forEach((run, r) => {
      const at = segmentAt(
        run.map((e) => e.tool),
        tools,
      );
      if (at >= 0) occurrences.push({ run: r, start: at });
    });
    return { tools, occurrences };
  });
  const closed = found.filter((s) => s.occurrences.length >= options.minSupport && !found.some((o) => o !== s && o.tools.length > s.tools.length && o.occurrences.length >= s.occurrences.length && segmentAt(o.tools, s.tools) >= 0));
  return closed.sort((a, b) => b.occurrences.length - a.occurrences.length || b.tools.length - a.tools.length || (key(a.tools) < key(b.tools) ? -1 : 1));
}

/** Where a segment sits in a structure's tool list (consecutive), or -1. */
export function segmentAt(structure: readonly string[], segment: readonly string[]): number {
  for (let i = 0; i + segment.length <= structure.length; i++) if (segment.every((t, j) => structure[i + j] === t)) return i;
  return -1;
}
