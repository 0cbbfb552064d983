// Sub-workflows (docs/learning.md, "Structures"): a run of consecutive calls that recurs in
// tasks that continue (or begin) differently, such as "authenticate, then look up" before
// one of several actions. It is learned once, as its own template, and marked on the steps
// of the templates that contain it.
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
  /** A segment's runs must go on (or come from) different ways: no single neighbour in more than 1 - this share. */
  minVariation: number;
}

const key = (tools: readonly string[]) => tools.join('>');

/**
 * Segments of the collapsed runs: consecutive tool runs of minSteps..maxSteps elements found
 * in at least minSupport runs, whose next call (or the end) or previous call (or the start)
 * varies (no single neighbour in more than 1 - minVariation of them), and that are closed
 * (no longer segment containing it has the same support). Deterministic.
 */
export function findSegments(collapsed: readonly Element[][], options: SegmentOptions): Segment[] {
  type Entry = { tools: string[]; occurrences: { run: number; start: number }[]; next: Map<string, number>; prev: Map<string, number> };
  const found = new Map<string, Entry>();
  collapsed.forEach((run, r) => {
    const seen = new Set<string>();
    for (let start = 0; start < run.length; start++) {
      for (let len = options.minSteps; len <= options.maxSteps && start + len <= run.length; len++) {
        const tools = run.slice(start, start + len).map((e) => e.tool);
        const k = key(tools);
        if (seen.has(k)) continue;
        seen.add(k);
        const entry: Entry = found.get(k) ?? { tools, occurrences: [], next: new Map(), prev: new Map() };
        entry.occurrences.push({ run: r, start });
        const next = run[start + len]?.tool ?? '\u0000end';
        const prev = run[start - 1]?.tool ?? '\u0000start';
        entry.next.set(next, (entry.next.get(next) ?? 0) + 1);
        entry.prev.set(prev, (entry.prev.get(prev) ?? 0) + 1);
        found.set(k, entry);
      }
    }
  });
  const varies = (m: Map<string, number>, n: number) => Math.max(...m.values()) <= (1 - options.minVariation) * n;
  const frequent = [...found.values()].filter((s) => s.occurrences.length >= options.minSupport && (varies(s.next, s.occurrences.length) || varies(s.prev, s.occurrences.length)));
  const closed = frequent.filter((s) => !frequent.some((o) => o !== s && o.tools.length > s.tools.length && o.occurrences.length >= s.occurrences.length && segmentAt(o.tools, s.tools) >= 0));
  return closed
    .sort((a, b) => b.occurrences.length - a.occurrences.length || b.tools.length - a.tools.length || (key(a.tools) < key(b.tools) ? -1 : 1))
    .map((s) => ({ tools: s.tools, occurrences: s.occurrences }));
}

/** Where a segment sits in a structure's tool list (consecutive), or -1. */
export function segmentAt(structure: readonly string[], segment: readonly string[]): number {
  for (let i = 0; i + segment.length <= structure.length; i++) if (segment.every((t, j) => structure[i + j] === t)) return i;
  return -1;
}
