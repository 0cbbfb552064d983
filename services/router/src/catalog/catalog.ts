// What the router knows: every tenant's templates, as read from the compacted templates
// topic (plus the router's own writes, applied at once for read-your-writes). Per tenant:
// the templates, the vector index of their trigger examples, the observed tools. Across
// tenants: version histories and confidence deltas, always read back through the tenant.
import type { Template } from '@praxis/schemas';
import { ConfidenceDeltas } from '../confidence-delta.js';
import { ToolErrorIndex } from '../index/tool-errors.js';
import { BoilerplateModel, DEFAULT_BOILERPLATE, type BoilerplateOptions } from '../index/request.js';
import { slotValues, ValueVocabulary } from '../index/values.js';
import { valueMaskedTexts } from '../index/examples.js';
import type { GraphStore } from '../index/graph-store.js';
import { VectorIndex, type IndexedExample } from '../index/vector-index.js';
import { DEFAULT_HISTORY_LIMITS, VersionHistories, type HistoryLimits } from './history.js';
import { ObservedTools } from './tools.js';

/** The per-tenant part of the catalog. */
export class TenantCatalog {
  readonly templates = new Map<string, Template>();
  readonly index: VectorIndex;
  readonly tools = new ObservedTools();
  /** Slot values of the tenant's templates, masked in queries before they are embedded. */
  readonly values = new ValueVocabulary();
  /** Known errors and avoidance hints per tool, from every template of the tenant (served with every answer). */
  readonly errors = new ToolErrorIndex();
  /** The tenant's boilerplate (persona, instructions), masked before embedding (index/request.ts). */
  readonly requests: BoilerplateModel;

  constructor(boilerplate: BoilerplateOptions = DEFAULT_BOILERPLATE, index: VectorIndex = new VectorIndex()) {
    this.requests = new BoilerplateModel(boilerplate);
    this.index = index;
  }
}

/** Where a record was read from (null for the router's own writes, applied before the topic returns them). */
export interface RecordPosition {
  partition: number | null;
  offset: string | null;
}

export type ApplyResult = 'applied' | 'stale' | 'blocked' | 'tenant_mismatch';

/** Statuses whose templates are searchable (DRAFT: rewrite only; see docs/router.md). */
export const SEARCHABLE = new Set<Template['status']>(['ACTIVE', 'DRAFT']);

/** The texts a template is found by: its trigger examples, else its description or name. */
export function searchTexts(t: Template): string[] {
  const texts = t.triggerExamples.map((e) => e.trim()).filter(Boolean);
  return texts.length > 0 ? [...new Set(texts)] : [t.description ?? t.name];
}

export class Catalog {
  private readonly tenants = new Map<string, TenantCatalog>();
  private readonly owners = new Map<string, string>();
  /** Learned templates a user removed: versions made before the removal are not served again. */
  private readonly unlearned = new Map<string, number>();
  readonly histories: VersionHistories;
  readonly deltas = new ConfidenceDeltas();
  private templateTotal = 0;

  constructor(
    private readonly clock: () => number = Date.now,
    historyLimits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
    private readonly boilerplate: BoilerplateOptions = DEFAULT_BOILERPLATE,
    /** Where tenants' graphs are saved between runs (none: every start builds them). */
    private readonly graphs?: GraphStore,
  ) {
    this.histories = new VersionHistories(historyLimits);
  }

  /** The catalog of one tenant (created empty on first use). */
  tenant(tenantId: string): TenantCatalog {
    let t = this.tenants.get(tenantId);
    if (!t) this.tenants.set(tenantId, (t = new TenantCatalog(this.boilerplate, new VectorIndex(this.graphs?.forTenant(tenantId)))));
    return t;
  }

  get tenantCount(): number {
    return this.tenants.size;
  }

  /** The tenants that have (or had) templates. */
  tenantIds(): string[] {
    return [...this.tenants.keys()];
  }

  get size(): number {
    return this.templateTotal;
  }

  /** The template, if it exists and belongs to the tenant. */
  get(tenantId: string, templateId: string): Template | undefined {
    return this.tenants.get(tenantId)?.templates.get(templateId);
  }

  /**
   * Applies a version. `examples` are the vectors of its search texts (null: keep the
   * indexed ones). Older versions than the one held are ignored.
   */
  apply(t: Template, examples: IndexedExample[] | null, where: RecordPosition): ApplyResult {
    const owner = this.owners.get(t.templateId);
    if (owner !== undefined && owner !== t.tenantId) return 'tenant_mismatch';
    const blockedAt = this.unlearned.get(t.templateId);
    if (blockedAt !== undefined && t.source === 'LEARNED' && t.updatedAtMs <= blockedAt) return 'blocked';
    const tenant = this.tenant(t.tenantId);
    const current = tenant.templates.get(t.templateId);
    if (current && current.version > t.version) return 'stale';
    this.histories.add(t, where, this.clock());
    if (current && current.version === t.version && current.updatedAtMs === t.updatedAtMs && current.status === t.status) return 'applied';

    if (current) {
      tenant.tools.count(current, -1);
      tenant.values.add(slotValues(current), -1);
      tenant.errors.count(current, -1);
    } else this.templateTotal++;
    tenant.templates.set(t.templateId, t);
    tenant.tools.count(t, 1);
    tenant.values.add(slotValues(t), 1);
    tenant.errors.count(t, 1);
    this.owners.set(t.templateId, t.tenantId);
    if (!current || current.version !== t.version) this.deltas.reset(t.templateId);

    if (!SEARCHABLE.has(t.status)) {
      tenant.index.remove(t.templateId);
      tenant.requests.remove(t.templateId);
    } else {
      tenant.requests.add(t.templateId, valueMaskedTexts(t).map((x) => x.masked));
      if (examples) tenant.index.upsert(t.templateId, examples);
    }
    return 'applied';
  }

  /** Removes a template (tombstone). Returns the tenant it belonged to, if known. */
  remove(templateId: string): string | undefined {
    const tenantId = this.owners.get(templateId);
    if (tenantId === undefined) return undefined;
    const tenant = this.tenant(tenantId);
    const current = tenant.templates.get(templateId);
    if (current) {
      tenant.tools.count(current, -1);
      tenant.values.add(slotValues(current), -1);
      tenant.errors.count(current, -1);
      tenant.templates.delete(templateId);
      tenant.index.remove(templateId);
      tenant.requests.remove(templateId);
      this.templateTotal--;
    }
    this.owners.delete(templateId);
    this.deltas.reset(templateId);
    this.histories.markDeleted(templateId);
    return tenantId;
  }

  /** Blocks learned versions of a template made at or before `atMs` (they could race the unlearn). */
  block(templateId: string, atMs: number): void {
    this.unlearned.set(templateId, atMs);
    if (this.unlearned.size > 100_000) this.unlearned.delete(this.unlearned.keys().next().value!);
  }
}
