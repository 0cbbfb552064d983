// The tools a tenant's workflows may call: declared in config (with a parameter schema) or
// observed in the tenant's learned templates (with the parameter names seen).
import { splitPath } from '@praxis/core';
import type { Template } from '@praxis/schemas';

/** A tool as the workflow validator sees it. */
export interface KnownTool {
  name: string;
  origin: 'declared' | 'observed';
  /** JSON Schema of the call arguments (declared tools). */
  parametersSchema: Record<string, unknown> | null;
  /** Top-level parameter names seen in learned templates. */
  observedParams: string[];
}

/** Declared tools by tenant: { tenant: { toolName: parametersSchema } }. */
export type DeclaredTools = Record<string, Record<string, Record<string, unknown>>>;

/** Counts of tool parameters across a tenant's learned templates, kept up to date on every version. */
export class ObservedTools {
  private readonly params = new Map<string, Map<string, number>>();

  /** Adds (+1) or removes (-1) what a template contributes. */
  count(t: Template, sign: 1 | -1): void {
    if (t.source !== 'LEARNED') return;
    for (const step of t.steps) {
      let byParam = this.params.get(step.toolName);
      if (!byParam) this.params.set(step.toolName, (byParam = new Map([['', 0]])));
      byParam.set('', (byParam.get('') ?? 0) + sign);
      for (const p of step.params) {
        const top = splitPath(p.path)[0] ?? p.path;
        byParam.set(top, (byParam.get(top) ?? 0) + sign);
        if (byParam.get(top)! <= 0) byParam.delete(top);
      }
      if ((byParam.get('') ?? 0) <= 0) this.params.delete(step.toolName);
    }
  }

  /** Tool names with their observed top-level parameters. */
  list(): { name: string; params: string[] }[] {
    return [...this.params].map(([name, byParam]) => ({ name, params: [...byParam.keys()].filter((k) => k !== '').sort() }));
  }

  /** The observed parameters of one tool, or undefined when never observed. */
  get(name: string): string[] | undefined {
    const byParam = this.params.get(name);
    return byParam ? [...byParam.keys()].filter((k) => k !== '').sort() : undefined;
  }
}

/** The tenant's registry: declared tools first, observed ones for the rest. */
export function knownTools(declared: Record<string, Record<string, unknown>> | undefined, observed: ObservedTools): Map<string, KnownTool> {
  const out = new Map<string, KnownTool>();
  for (const { name, params } of observed.list()) out.set(name, { name, origin: 'observed', parametersSchema: null, observedParams: params });
  for (const [name, schema] of Object.entries(declared ?? {})) {
    out.set(name, { name, origin: 'declared', parametersSchema: schema, observedParams: out.get(name)?.observedParams ?? [] });
  }
  return out;
}
