// Error knowledge per tool, across all of a tenant's templates (drafts and retired versions
// not yet removed included): what a tool failed with and what fixed it is true of the tool,
// not of one workflow. Every lookup answer carries what is known of the tools it involves,
// a `plan` included, since an agent planning from scratch still calls the tools
// (docs/router.md, "Error knowledge").
import type { AvoidanceHint, KnownError, Template } from '@praxis/schemas';

/** Entries served per tool, most frequent first. */
export const MAX_PER_TOOL = 10;

const hintKey = (h: AvoidanceHint) => [h.toolName, h.fingerprint, h.kind, h.paramChangesJson ?? '', h.extraToolName ?? ''].join('\u0000');
const errorKey = (e: KnownError) => `${e.toolName}\u0000${e.fingerprint}`;

interface Counted<T> {
  item: T;
  /** Templates that contribute it. */
  refs: number;
  /** The largest occurrence count any of them reports (templates overlap in the runs they saw). */
  occurrences: Map<string, number>;
}

function add<T extends { toolName: string; occurrences: number }>(by: Map<string, Map<string, Counted<T>>>, key: string, item: T, templateId: string, delta: 1 | -1): void {
  let tool = by.get(item.toolName);
  if (!tool) by.set(item.toolName, (tool = new Map()));
  const c = tool.get(key) ?? { item, refs: 0, occurrences: new Map<string, number>() };
  c.refs += delta;
  if (delta > 0) {
    c.occurrences.set(templateId, item.occurrences);
    if (item.occurrences >= c.item.occurrences) c.item = item;
  } else c.occurrences.delete(templateId);
  if (c.refs <= 0) tool.delete(key);
  else tool.set(key, c);
  if (tool.size === 0) by.delete(item.toolName);
}

function served<T extends { occurrences: number; fingerprint: string }>(by: Map<string, Map<string, Counted<T>>>, tools: Iterable<string>): T[] {
  const out: T[] = [];
  for (const tool of new Set(tools)) {
    const entries = [...(by.get(tool)?.values() ?? [])].map((c) => ({ ...c.item, occurrences: Math.max(0, ...c.occurrences.values()) }));
    entries.sort((a, b) => b.occurrences - a.occurrences || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
    out.push(...entries.slice(0, MAX_PER_TOOL));
  }
  return out;
}

/** Known errors and avoidance hints of a tenant's tools, counted so that removing a template removes only its own. */
export class ToolErrorIndex {
  private readonly hints = new Map<string, Map<string, Counted<AvoidanceHint>>>();
  private readonly errors = new Map<string, Map<string, Counted<KnownError>>>();

  /** Adds (+1) or removes (-1) what a template version contributes. */
  count(t: Template, delta: 1 | -1): void {
    for (const h of t.avoidanceHints) add(this.hints, hintKey(h), h, t.templateId, delta);
    for (const e of t.knownErrors) add(this.errors, errorKey(e), e, t.templateId, delta);
  }

  /** Avoidance hints of these tools, most frequent first per tool, in the tools' order. */
  hintsFor(tools: Iterable<string>): AvoidanceHint[] {
    return served(this.hints, tools);
  }

  /** Known error fingerprints of these tools. */
  errorsFor(tools: Iterable<string>): KnownError[] {
    return served(this.errors, tools);
  }

  /** Tools with any knowledge. */
  get size(): number {
    return new Set([...this.hints.keys(), ...this.errors.keys()]).size;
  }
}
