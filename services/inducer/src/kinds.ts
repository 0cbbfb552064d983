// Task kinds and their structure (docs/learning.md, "Structures"). Runs are compared by
// their collapsed call sequence (consecutive calls of one tool become one element with a
// count). The recurring collapsed sequences are the cores; cores with the same first and
// last call, one inside the other, are one kind; each run belongs to the kind of the
// longest core that explains most of its calls. Per kind, the structure is chosen by description length: a
// call inserted at the same place in enough successful runs becomes an optional step,
// rarer insertions stay exceptions (noise); repeats become loop candidates.

/** One element of a collapsed sequence: a tool called `count` times in a row, from mined position `from`. */
export interface Element {
  tool: string;
  from: number;
  count: number;
}

/** A step of a learned structure, before its parameters are induced. */
export interface StructureStep {
  tool: string;
  optional: boolean;
  /** Repeated in successful runs: a loop candidate (induction decides whether it iterates over a collection). */
  repeated: boolean;
}

export interface Kind {
  /** Collapsed tool sequence every member contains (gaps allowed). */
  core: string[];
  /** Ring indices of the member runs. */
  members: number[];
  steps: StructureStep[];
}

/** The run-length collapse of a call sequence. */
export function collapse(sequence: readonly string[]): Element[] {
  const out: Element[] = [];
  sequence.forEach((tool, i) => {
    const last = out[out.length - 1];
    if (last && last.tool === tool) last.count++;
    else out.push({ tool, from: i, count: 1 });
  });
  return out;
}

/** Whether `short` is a subsequence of `long` (gaps allowed). */
export function isSubsequence(short: readonly string[], long: readonly string[]): boolean {
  let i = 0;
  for (const x of long) if (i < short.length && x === short[i]) i++;
  return i === short.length;
}

/**
 * Where a core sits in a collapsed sequence: for each core element, the position used,
 * the latest occurrences that keep the order (an exploratory call of a tool is not taken
 * for the real call that follows it). Null when not contained.
 */
export function embedCore(tools: readonly string[], core: readonly string[]): number[] | null {
  const at: number[] = new Array(core.length);
  let limit = tools.length;
  for (let k = core.length - 1; k >= 0; k--) {
    let i = limit - 1;
    while (i >= 0 && tools[i] !== core[k]) i--;
    if (i < 0) return null;
    at[k] = i;
    limit = i;
  }
  return at;
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const key = (tools: readonly string[]) => tools.join('>');

export interface KindOptions {
  minSupport: number;
  minSteps: number;
  maxSteps: number;
}

/**
 * The kinds of the runs: cores (collapsed sequences seen exactly in at least minSupport runs)
 * merged when one is inside the other with the same first and last call, and the members of
 * each: the runs containing its core with fewer extra calls than core calls (a one-call kind
 * takes only runs of that one call), each given to the longest core, then the most supported.
 */
export function kindsOf(collapsed: readonly Element[][], options: KindOptions): { core: string[]; members: number[]; support: number }[] {
  const shapes = new Map<string, { tools: string[]; count: number }>();
  for (const c of collapsed) {
    const tools = c.map((e) => e.tool);
    const k = key(tools);
    const s = shapes.get(k) ?? { tools, count: 0 };
    s.count++;
    shapes.set(k, s);
  }
  const cores = [...shapes.values()]
    .filter((s) => s.count >= options.minSupport && s.tools.length >= options.minSteps && s.tools.length <= options.maxSteps)
    .sort((a, b) => a.tools.length - b.tools.length || b.count - a.count || byKey(key(a.tools), key(b.tools)));
  const kinds: { core: string[]; support: number }[] = [];
  for (const c of cores) {
    const home = kinds.find((k) => k.core[0] === c.tools[0] && k.core[k.core.length - 1] === c.tools[c.tools.length - 1] && isSubsequence(k.core, c.tools));
    if (home) home.support += c.count;
    else kinds.push({ core: c.tools, support: c.count });
  }
  const ordered = [...kinds].sort((a, b) => b.core.length - a.core.length || b.support - a.support || byKey(key(a.core), key(b.core)));
  const members = new Map<string, number[]>(ordered.map((k) => [key(k.core), []]));
  collapsed.forEach((c, i) => {
    const tools = c.map((e) => e.tool);
    // a run joins a kind when the kind's core explains most of its calls (fewer extra calls than core calls)
    const kind = ordered.find((k) => tools.length - k.core.length < k.core.length && isSubsequence(k.core, tools));
    if (kind) members.get(key(kind.core))!.push(i);
  });
  return ordered.map((k) => ({ core: k.core, members: members.get(key(k.core))!, support: k.support })).filter((k) => k.members.length > 0);
}

/**
 * The structure of a kind that explains its successful runs with the fewest bits:
 * L(structure) + sum of L(run | structure). A tool inserted at one place (between the same
 * two core calls) in k of the n successful runs becomes an optional step when
 *   k * (L(tool) + log2(len + 1))  >  L(tool) + 1 + n,
 * that is, when describing it once in the structure (its name, a flag) and then one
 * present/absent bit per run is cheaper than describing it as an exception (which tool,
 * where) in every run that has it; and it must recur like a workflow does (in at least
 * `minRuns` successful runs). L(tool) = log2(tools + 1). A step repeated (two or more
 * consecutive calls) in at least two successful runs is a loop candidate.
 */
export function chooseStructure(core: readonly string[], successful: readonly Element[][], toolCount: number, minRuns = 1): StructureStep[] {
  const lTool = Math.log2(toolCount + 1);
  const lWhere = Math.log2(core.length + 2);
  const n = successful.length;
  // gap g (0..core.length): insertions before core element g; with their mean rank inside the gap
  const inserted = new Map<string, { gap: number; tool: string; runs: number; rank: number }>();
  const repeats = new Array<number>(core.length).fill(0);
  const insertedRepeats = new Map<string, number>();
  for (const run of successful) {
    const tools = run.map((e) => e.tool);
    const at = embedCore(tools, core);
    if (!at) continue;
    at.forEach((p, k) => {
      if (run[p]!.count > 1) repeats[k]!++;
    });
    const seen = new Set<string>();
    let gap = 0;
    let rank = 0;
    run.forEach((e, p) => {
      if (gap < at.length && p === at[gap]) {
        gap++;
        rank = 0;
        return;
      }
      const k = `${gap}\u0000${e.tool}`;
      if (seen.has(k)) return;
      seen.add(k);
      const entry = inserted.get(k) ?? { gap, tool: e.tool, runs: 0, rank: 0 };
      entry.runs++;
      entry.rank += rank++;
      inserted.set(k, entry);
      if (e.count > 1) insertedRepeats.set(k, (insertedRepeats.get(k) ?? 0) + 1);
    });
  }
  const optional = [...inserted.entries()]
    .filter(([, e]) => e.runs >= minRuns && e.runs * (lTool + lWhere) > lTool + 1 + n)
    .map(([k, e]) => ({ ...e, meanRank: e.rank / e.runs, repeated: (insertedRepeats.get(k) ?? 0) >= 2 }))
    .sort((a, b) => a.gap - b.gap || a.meanRank - b.meanRank || byKey(a.tool, b.tool));
  const steps: StructureStep[] = [];
  for (let g = 0; g <= core.length; g++) {
    for (const o of optional) if (o.gap === g) steps.push({ tool: o.tool, optional: true, repeated: o.repeated });
    if (g < core.length) steps.push({ tool: core[g]!, optional: false, repeated: repeats[g]! >= 2 });
  }
  return steps;
}

/**
 * How a structure accepts a collapsed run: for each structure step, the run element it
 * matched (-1 for a skipped optional step), or null when the run does not have the
 * structure (a missing required call, an extra call, or a repeat of a step that is no loop).
 */
export function matchRun(steps: readonly { tool: string; optional: boolean; loop: boolean }[], run: readonly Element[]): number[] | null {
  const memo = new Map<string, number[] | null>();
  const go = (s: number, r: number): number[] | null => {
    if (s === steps.length) return r === run.length ? [] : null;
    const k = `${s},${r}`;
    if (memo.has(k)) return memo.get(k)!;
    const step = steps[s]!;
    let out: number[] | null = null;
    const e = run[r];
    if (e && e.tool === step.tool && (step.loop || e.count === 1)) {
      const rest = go(s + 1, r + 1);
      if (rest) out = [r, ...rest];
    }
    if (!out && step.optional) {
      const rest = go(s + 1, r);
      if (rest) out = [-1, ...rest];
    }
    memo.set(k, out);
    return out;
  };
  return go(0, 0);
}

/**
 * Where each structure step sits in a run the structure may not accept: the exact match when
 * there is one, else the core's embedding for required steps and, for an optional step, the
 * first occurrence of its tool between its neighbours (-1 when absent).
 */
export function locate(steps: readonly StructureStep[], run: readonly Element[], loops: readonly boolean[]): number[] {
  const exact = matchRun(
    steps.map((s, i) => ({ tool: s.tool, optional: s.optional, loop: loops[i] ?? s.repeated })),
    run,
  );
  if (exact) return exact;
  const tools = run.map((e) => e.tool);
  const required = steps.map((s, i) => ({ s, i })).filter((x) => !x.s.optional);
  const at = embedCore(
    tools,
    required.map((x) => x.s.tool),
  );
  const out = new Array<number>(steps.length).fill(-1);
  if (!at) return out;
  required.forEach((x, j) => (out[x.i] = at[j]!));
  let lower = 0;
  steps.forEach((s, i) => {
    if (!s.optional) {
      lower = out[i]! + 1;
      return;
    }
    const upper = out.slice(i + 1).find((p) => p >= 0) ?? run.length;
    for (let p = lower; p < upper; p++) {
      if (tools[p] === s.tool) {
        out[i] = p;
        lower = p + 1;
        break;
      }
    }
  });
  return out;
}
