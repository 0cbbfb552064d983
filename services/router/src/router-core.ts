// The router's operations, independent of HTTP and of Kafka: the HTTP layer calls them with
// the caller's tenant (from its API key), and they write through a sink. Every read goes
// through the tenant, so one tenant can never reach another's templates.
import { randomUUID } from 'node:crypto';
import {
  FeedbackRequestSchema,
  planAnswer,
  ListQuerySchema,
  LookupRequestSchema,
  type FeedbackResponse,
  type LookupResponse,
  type TemplateList,
  type TemplateView,
  type TenantStats,
  type TierName,
  type VersionHistory,
} from '@praxis/contracts';
import type { FeedbackInput, Template } from '@praxis/schemas';
import { Catalog, SEARCHABLE } from './catalog/catalog.js';
import { knownTools, type DeclaredTools } from './catalog/tools.js';
import type { Embedder } from './embedding/embedder.js';
import { executionFeedbackId, executionRecord, isFalseHit, lookupRecord, outcomeEvidence, unlearnRecord } from './feedback.js';
import { HttpError, parseOr400, withinOr503 } from './http/errors.js';
import { embedTemplates } from './index/examples.js';
import type { RankingOptions } from './index/lexical.js';
import type { SearchLimits } from './index/vector-index.js';
import { lookup } from './lookup.js';
import { executionsTotal, extractionWork, falseHitsTotal, feedbackDroppedTotal, feedIgnoredTotal, lookupSeconds, lookupsTotal, structuralRejectionsTotal, templatesGauge } from './metrics.js';
import type { Policies } from './policy.js';
import type { SlotGenerator } from './rewriter.js';
import type { Shard } from './shard.js';
import { TenantCounters } from './tenant-stats.js';
import { validateWorkflow, workflowId } from './workflows.js';
import type { FeedRecord } from './template-feed.js';

/** How far ahead of the router's clock a reported time may be (ROUTER_MAX_CLOCK_SKEW_MS). */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Where the router writes: the templates topic (user workflows, tombstones) and the feedback topic. */
export interface RouterSink {
  writeTemplates(records: { key: string; value: Template | null }[]): Promise<void>;
  writeFeedback(records: FeedbackInput[]): Promise<void>;
}

export interface RouterCoreOptions {
  catalog?: Catalog;
  embedder: Embedder;
  policies: Policies;
  sink: RouterSink;
  declaredTools?: DeclaredTools;
  generator?: SlotGenerator;
  clock?: () => number;
  searchLimits?: SearchLimits;
  /** How candidates are ordered (default: index/lexical.ts DEFAULT_RANKING). */
  ranking?: RankingOptions;
  /** How long a write may take before the request answers 503. */
  writeTimeoutMs?: number;
  /** LOOKUP records waiting or in flight beyond which new ones are dropped (and counted). */
  maxPendingLookupRecords?: number;
  /** LOOKUP records are written in batches: at most this often (ms)... */
  lookupFlushMs?: number;
  /** ...or as soon as this many wait. */
  lookupBatch?: number;
  onLookupRecordError?: (error: unknown) => void;
  /** How far a reported execution time may run ahead of the router's clock; further is refused (400). */
  maxClockSkewMs?: number;
  /** The tenants this instance indexes (default all): another shard's template records are skipped before they are embedded. */
  shard?: Shard;
}

/** A bounded map: the oldest entry goes when full. */
class Recent<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }
}

const summary = (t: Template, served: number) => ({
  templateId: t.templateId,
  version: t.version,
  name: t.name,
  source: t.source,
  status: t.status,
  agentId: t.agentId,
  signature: t.signature,
  triggerExamples: t.triggerExamples.slice(0, 3),
  confidence: t.confidence,
  servedConfidence: served,
  belowThreshold: t.belowThreshold,
  updatedAtMs: t.updatedAtMs,
});

export class RouterCore {
  readonly catalog: Catalog;
  readonly counters = new TenantCounters();
  private readonly clock: () => number;
  private readonly lookups = new Recent<string, { tenantId: string; tier: TierName; templateId: string | null }>(100_000);
  private readonly outcomes = new Recent<string, FeedbackResponse>(100_000);
  private lookupQueue: FeedbackInput[] = [];
  private lookupInFlight = 0;
  private lookupTimer: NodeJS.Timeout | null = null;
  private lookupWrites: Promise<void> = Promise.resolve();

  constructor(private readonly options: RouterCoreOptions) {
    this.clock = options.clock ?? Date.now;
    this.catalog = options.catalog ?? new Catalog(this.clock);
  }

  /** The embedder of queries and trigger examples. */
  get embedder(): Embedder {
    return this.options.embedder;
  }

  /** Applies records read from the templates topic (embedding the searchable ones first). */
  async applyRecords(all: FeedRecord[]): Promise<void> {
    const shard = this.options.shard;
    // another shard's tenants cost nothing here but the decode (a tombstone names no tenant: removing an id this shard never held is a no-op)
    const records = shard ? all.filter((r) => r.value === null || shard.owns(r.value.tenantId)) : all;
    if (records.length < all.length) feedIgnoredTotal.inc({ reason: 'other_shard' }, all.length - records.length);
    const searchable = records.map((r) => r.value).filter((v): v is Template => v !== null && SEARCHABLE.has(v.status));
    const examples = await embedTemplates(this.options.embedder, searchable, this.boilerplate);
    const tenants = new Set<string>();
    for (const r of records) {
      if (r.value === null) {
        const tenantId = this.catalog.remove(r.key);
        if (tenantId !== undefined) tenants.add(tenantId);
      } else {
        const result = this.catalog.apply(r.value, examples.get(r.value.templateId) ?? null, { partition: r.partition, offset: r.offset });
        if (result !== 'applied') feedIgnoredTotal.inc({ reason: result });
        tenants.add(r.value.tenantId);
      }
    }
    await this.reembedChangedRequests(tenants);
    // large tenants' graphs follow the rows batch by batch (during catch-up too), not at the first lookup
    for (const tenantId of tenants) this.catalog.tenant(tenantId).index.prepare(this.options.searchLimits);
    templatesGauge.set(this.catalog.size);
  }

  /**
   * The feed has caught up with the templates topic: graph keys loaded from a snapshot that no
   * template claimed are dropped, and every changed graph is saved. Returns the graphs saved.
   */
  settle(): number {
    for (const tenantId of this.catalog.tenantIds()) this.catalog.tenant(tenantId).index.settle();
    return this.persistIndexes();
  }

  /** Saves every tenant graph that changed since it was loaded or saved (shutdown, catch-up). Returns how many. */
  persistIndexes(): number {
    let saved = 0;
    for (const tenantId of this.catalog.tenantIds()) if (this.catalog.tenant(tenantId).index.persist()) saved++;
    return saved;
  }

  private readonly boilerplate = (tenantId: string) => this.catalog.tenant(tenantId).requests;

  /** After the tenants' boilerplate moved, recomputes the vectors of the templates whose reduced texts changed. */
  private async reembedChangedRequests(tenantIds: Iterable<string>): Promise<void> {
    for (const tenantId of tenantIds) {
      const tenant = this.catalog.tenant(tenantId);
      const affected = tenant.requests.refresh().map((id) => tenant.templates.get(id)).filter((t): t is Template => t !== undefined && SEARCHABLE.has(t.status));
      if (affected.length === 0) continue;
      const examples = await embedTemplates(this.options.embedder, affected, this.boilerplate);
      for (const t of affected) tenant.index.upsert(t.templateId, examples.get(t.templateId)!);
    }
  }

  /** POST /v1/lookup. */
  async lookup(tenantId: string, body: unknown): Promise<LookupResponse> {
    const started = performance.now();
    const request = parseOr400(LookupRequestSchema, body, 'body');
    let outcome: Awaited<ReturnType<typeof lookup>>;
    try {
      outcome = await lookup(
        { catalog: this.catalog, embedder: this.options.embedder, policies: this.options.policies, generator: this.options.generator, clock: this.clock, searchLimits: this.options.searchLimits, ranking: this.options.ranking },
        tenantId,
        request,
      );
    } catch (error) {
      // The query could not be embedded (an embeddings endpoint is down): planning is always safe.
      outcome = {
        response: planAnswer(`embeddings unavailable: ${(error as Error).message}`),
        boundSlots: 0,
        structuralRejections: [],
      };
    }
    const latencyMs = performance.now() - started;
    const response: LookupResponse = { lookupId: `lk_${randomUUID()}`, ...outcome.response, latencyMs };
    this.lookups.set(response.lookupId, { tenantId, tier: response.tier, templateId: response.templateId });
    this.counters.lookup(tenantId, response.tier, outcome.structuralRejections.length);
    lookupsTotal.inc({ tenant: tenantId, tier: response.tier });
    lookupSeconds.observe(latencyMs / 1000);
    extractionWork.observe(outcome.extractionWork ?? 0);
    for (const conflicts of outcome.structuralRejections) for (const c of conflicts) structuralRejectionsTotal.inc({ tenant: tenantId, kind: c.kind });
    this.recordLookup(lookupRecord(tenantId, request, response, outcome.boundSlots, this.clock()));
    return response;
  }

  /**
   * Queues a LOOKUP record without holding the answer back. Records are written in batches
   * (one produce per `lookupFlushMs` or `lookupBatch` records): they are telemetry, and one
   * produce per lookup would cost more than the lookup. Bounded; drops are counted.
   */
  private recordLookup(record: FeedbackInput): void {
    if (this.lookupQueue.length + this.lookupInFlight >= (this.options.maxPendingLookupRecords ?? 10_000)) {
      feedbackDroppedTotal.inc();
      return;
    }
    this.lookupQueue.push(record);
    if (this.lookupQueue.length >= (this.options.lookupBatch ?? 500)) this.writeLookups();
    else if (!this.lookupTimer) {
      this.lookupTimer = setTimeout(() => this.writeLookups(), this.options.lookupFlushMs ?? 50);
      this.lookupTimer.unref();
    }
  }

  private writeLookups(): void {
    if (this.lookupTimer) clearTimeout(this.lookupTimer);
    this.lookupTimer = null;
    const batch = this.lookupQueue;
    if (batch.length === 0) return;
    this.lookupQueue = [];
    this.lookupInFlight += batch.length;
    this.lookupWrites = this.options.sink
      .writeFeedback(batch)
      .catch((error: unknown) => {
        feedbackDroppedTotal.inc(batch.length);
        this.options.onLookupRecordError?.(error);
      })
      .finally(() => {
        this.lookupInFlight -= batch.length;
      });
  }

  /** Writes the LOOKUP records still queued and waits for them (shutdown, tests). */
  async flushLookups(): Promise<void> {
    this.writeLookups();
    await this.lookupWrites;
  }

  private view(t: Template): TemplateView {
    return { template: t, servedConfidence: this.catalog.deltas.served(t, this.clock()) };
  }

  /** GET /v1/templates/{id} (any source); 404 for another tenant's id. */
  getTemplate(tenantId: string, templateId: string): TemplateView {
    const t = this.catalog.get(tenantId, templateId);
    if (!t) throw new HttpError(404, 'not_found', `no template ${templateId}`);
    return this.view(t);
  }

  /** GET /v1/templates and /v1/workflows: the tenant's templates by id, paged. */
  list(tenantId: string, rawQuery: unknown, source?: Template['source']): TemplateList {
    const query = parseOr400(ListQuerySchema, rawQuery, 'query string');
    const now = this.clock();
    const all = [...this.catalog.tenant(tenantId).templates.values()]
      .filter((t) => (!source || t.source === source) && (!query.status || t.status === query.status) && (!query.agentId || t.agentId === query.agentId))
      .sort((a, b) => a.templateId.localeCompare(b.templateId));
    const start = query.cursor ? all.findIndex((t) => t.templateId > query.cursor!) : 0;
    const page = start < 0 ? [] : all.slice(start, start + query.limit);
    const last = page[page.length - 1];
    const more = start >= 0 && start + query.limit < all.length;
    return { items: page.map((t) => summary(t, this.catalog.deltas.served(t, now))), total: all.length, nextCursor: more && last ? last.templateId : null };
  }

  /** GET /v1/templates/{id}/versions. */
  versions(tenantId: string, templateId: string): VersionHistory {
    const history = this.catalog.histories.get(tenantId, templateId);
    if (!history) throw new HttpError(404, 'not_found', `no template ${templateId}`);
    return history;
  }

  /** DELETE /v1/templates/{id}: UNLEARN record (the inducer's durable block), then the tombstone. */
  async unlearn(tenantId: string, templateId: string, reason: string | undefined): Promise<{ templateId: string; unlearned: true; feedbackId: string }> {
    const t = this.catalog.get(tenantId, templateId);
    if (!t) throw new HttpError(404, 'not_found', `no template ${templateId}`);
    if (t.source !== 'LEARNED') throw new HttpError(409, 'not_learned', `${templateId} is a user workflow: delete it with DELETE /v1/workflows/${templateId}`);
    const now = this.clock();
    const record = unlearnRecord(tenantId, templateId, t.version, (reason ?? 'removed by a user').slice(0, 2_000), now);
    await withinOr503(this.options.sink.writeFeedback([record]), this.writeTimeout, 'the unlearn record');
    await withinOr503(this.options.sink.writeTemplates([{ key: templateId, value: null }]), this.writeTimeout, 'the tombstone');
    this.catalog.block(templateId, now);
    this.catalog.remove(templateId);
    templatesGauge.set(this.catalog.size);
    return { templateId, unlearned: true, feedbackId: record.feedbackId };
  }

  private get writeTimeout(): number {
    return this.options.writeTimeoutMs ?? 10_000;
  }

  private toolsOf(tenantId: string) {
    return knownTools(this.options.declaredTools?.[tenantId], this.catalog.tenant(tenantId).tools);
  }

  /** GET /v1/tools. */
  tools(tenantId: string) {
    return { items: [...this.toolsOf(tenantId).values()].sort((a, b) => a.name.localeCompare(b.name)) };
  }

  /** POST /v1/workflows (create) and PUT /v1/workflows/{id} (replace). */
  async saveWorkflow(tenantId: string, body: unknown, replaceId?: string): Promise<TemplateView & { warnings: string[] }> {
    const existing = replaceId ? this.catalog.get(tenantId, replaceId) : undefined;
    if (replaceId && existing?.source !== 'USER') throw new HttpError(404, 'not_found', `no workflow ${replaceId}`);
    const name = body && typeof body === 'object' && typeof (body as { name?: unknown }).name === 'string' ? (body as { name: string }).name : '';
    if (!replaceId && name && this.catalog.get(tenantId, workflowId(tenantId, name))) {
      throw new HttpError(409, 'conflict', `a workflow named "${name.trim()}" exists (${workflowId(tenantId, name)}); change it with PUT /v1/workflows/{id}`);
    }
    const policy = this.options.policies.of(tenantId);
    const result = validateWorkflow(body, { tenantId, tools: this.toolsOf(tenantId), existing, userPriorSuccesses: policy.userPriorSuccesses, now: this.clock() });
    if (!result.ok) {
      const message = `${result.layer} validation failed: ${result.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
      throw new HttpError(result.status, result.error, message, result.issues);
    }
    const t = result.template;
    if (replaceId && t.templateId !== replaceId) throw new HttpError(400, 'invalid_body', `name: the name defines the workflow id and cannot change (it would make ${t.templateId}); create a new workflow instead`);
    await withinOr503(this.options.sink.writeTemplates([{ key: t.templateId, value: t }]), this.writeTimeout, 'the workflow');
    const examples = await embedTemplates(this.options.embedder, [t], this.boilerplate);
    this.catalog.apply(t, examples.get(t.templateId) ?? null, { partition: null, offset: null });
    await this.reembedChangedRequests([tenantId]);
    templatesGauge.set(this.catalog.size);
    return { ...this.view(t), warnings: result.warnings };
  }

  /** GET /v1/workflows/{id}. */
  getWorkflow(tenantId: string, id: string): TemplateView {
    const t = this.catalog.get(tenantId, id);
    if (!t || t.source !== 'USER') throw new HttpError(404, 'not_found', `no workflow ${id}`);
    return this.view(t);
  }

  /** DELETE /v1/workflows/{id}: a tombstone. */
  async deleteWorkflow(tenantId: string, id: string): Promise<{ workflowId: string; deleted: true }> {
    this.getWorkflow(tenantId, id);
    await withinOr503(this.options.sink.writeTemplates([{ key: id, value: null }]), this.writeTimeout, 'the tombstone');
    this.catalog.remove(id);
    templatesGauge.set(this.catalog.size);
    return { workflowId: id, deleted: true };
  }

  /** POST /v1/feedback: written (and acknowledged) before it counts. A retried POST counts once. */
  async feedback(tenantId: string, body: unknown): Promise<FeedbackResponse> {
    const request = parseOr400(FeedbackRequestSchema, body, 'body');
    const feedbackId = executionFeedbackId(tenantId, request.executionId);
    const seen = this.outcomes.get(feedbackId);
    if (seen) return seen;
    // Ownership before anything is written: another tenant's id (or an unknown one) is a 404,
    // exactly like reading it, so feedback can never reach a template the caller does not own.
    const template = this.catalog.get(tenantId, request.templateId);
    if (!template) throw new HttpError(404, 'not_found', `no template ${request.templateId}`);
    const skew = this.options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
    if (request.timestampMs !== undefined && request.timestampMs > this.clock() + skew) {
      throw new HttpError(400, 'invalid_body', `invalid body: timestampMs: ${new Date(request.timestampMs).toISOString()} is more than ${skew} ms ahead of the router's clock`);
    }
    const remembered = request.lookupId ? this.lookups.get(request.lookupId) : undefined;
    const tier = request.tier ?? (remembered?.tenantId === tenantId ? remembered.tier : undefined);
    const now = this.clock();
    await withinOr503(this.options.sink.writeFeedback([executionRecord(tenantId, request, tier, now)]), this.writeTimeout, 'the feedback');

    const falseHit = isFalseHit(tier, request.outcome);
    this.counters.execution(tenantId, request.outcome, tier, falseHit);
    executionsTotal.inc({ tenant: tenantId, outcome: request.outcome });
    if (falseHit) falseHitsTotal.inc({ tenant: tenantId });
    const evidence = outcomeEvidence(request.outcome);
    if (evidence !== null) {
      this.catalog.deltas.record(template, evidence, request.timestampMs ?? now, this.options.policies.of(tenantId).userPriorSuccesses, request.templateVersion);
    }
    const answer: FeedbackResponse = { feedbackId, accepted: true, falseHit, servedConfidence: this.catalog.deltas.served(template, this.clock()) };
    this.outcomes.set(feedbackId, answer);
    return answer;
  }

  /** GET /v1/stats. */
  stats(tenantId: string): TenantStats {
    const templates = [...this.catalog.tenant(tenantId).templates.values()];
    return this.counters.snapshot(tenantId, {
      total: templates.length,
      active: templates.filter((t) => t.status === 'ACTIVE').length,
      user: templates.filter((t) => t.source === 'USER').length,
    });
  }
}
