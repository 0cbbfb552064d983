// One lookup: embed the query, find the tenant's closest templates, refuse the ones that
// conflict structurally, bind slots, decide the tier, generate what is missing when a model
// is configured, and describe it all (docs/router.md).
import { planAnswer, type Alternative, type ExecutableWorkflow, type LookupResponse, type SlotToGenerate, type StructuralConflict } from '@praxis/contracts';
import { slotConstraint } from '@praxis/core';
import type { AvoidanceHint, Slot, Template } from '@praxis/schemas';
import { SEARCHABLE, type Catalog, type TenantCatalog } from './catalog/catalog.js';
import type { Embedder } from './embedding/embedder.js';
import { extractSlots, type Extraction } from './extractor.js';
import { DEFAULT_RANKING, type RankingOptions } from './index/lexical.js';
import { maskValues } from './index/values.js';
import { DEFAULT_SEARCH_LIMITS, type Hit, type SearchLimits } from './index/vector-index.js';
import { leadOf, type Lead } from './lead.js';
import { servedPart } from './partial.js';
import type { Policies, TenantPolicy } from './policy.js';
import type { SlotGenerator } from './rewriter.js';
import { analyseRequest } from './request/analysis.js';
import { comparisonRefusal } from './comparison-fit.js';
import { isValueSpan, readAsBound } from './own-reading.js';
import { byToolWords } from './tool-words.js';
import { checkCandidate, type Conflict } from './structural.js';
import { contentTokens } from './text.js';
import { band, decideTier } from './tiering.js';

export interface LookupDeps {
  catalog: Catalog;
  embedder: Embedder;
  policies: Policies;
  generator?: SlotGenerator;
  clock: () => number;
  searchLimits?: SearchLimits;
  ranking?: RankingOptions;
}

export interface LookupInput {
  query: string;
  agentId: string;
  context?: Record<string, unknown>;
  maxAlternatives?: number;
  /** The task's own time and zone, for relative dates in the query (default: the clock, UTC). */
  referenceTimeMs?: number;
  timeZone?: string;
}

/** The answer, plus what the feedback record and the counters need. */
export interface LookupOutcome {
  response: Omit<LookupResponse, 'lookupId' | 'latencyMs'>;
  boundSlots: number;
  /** Work units slot extraction spent (bounded by EXTRACTION_WORK_BUDGET). */
  extractionWork?: number;
  /** Candidates refused by the structural check. */
  structuralRejections: StructuralConflict[][];
}

interface Candidate {
  hit: Hit;
  template: Template;
  confidence: number;
  rank: number;
}

/** Slots in the order the steps first use them (then any unused ones). */
export function slotsInUseOrder(t: Template): Slot[] {
  const order: string[] = [];
  for (const step of t.steps) for (const p of step.params) if (p.kind === 'SLOT' && p.slotName && !order.includes(p.slotName)) order.push(p.slotName);
  const byName = new Map(t.slots.map((s) => [s.name, s]));
  return [...order.map((n) => byName.get(n)).filter((s): s is Slot => s !== undefined), ...t.slots.filter((s) => !order.includes(s.name))];
}

/** The variable node of a slot, with the parameters it feeds. */
export function toGenerate(t: Template, slot: Slot): SlotToGenerate {
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  const schema = JSON.parse(slot.schemaJson) as Record<string, unknown>;
  // a learned enum is what was seen so far: shown to the model as examples, not imposed on it
  const seen = t.source === 'LEARNED' && Array.isArray(schema.enum) ? schema.enum : [];
  return {
    name: slot.name,
    schema: slotConstraint(schema, t.source),
    source: slot.source,
    required: slot.required,
    description: slot.description,
    examples: [...new Set([...slot.examplesJson.map(parse), ...seen])],
    usedBy: t.steps.flatMap((s) => s.params.filter((p) => p.kind === 'SLOT' && p.slotName === slot.name).map((p) => ({ stepIndex: s.index, toolName: s.toolName, path: p.path }))),
  };
}

/** The template's own hints, then the tenant's other hints for the same tools (each fix once). */
export function withTenantHints(own: readonly AvoidanceHint[], tenant: readonly AvoidanceHint[]): AvoidanceHint[] {
  const key = (h: AvoidanceHint) => [h.toolName, h.fingerprint, h.kind, h.paramChangesJson ?? '', h.extraToolName ?? ''].join('\u0000');
  const seen = new Set(own.map(key));
  return [...own, ...tenant.filter((h) => !seen.has(key(h)) && seen.add(key(h)))];
}

/** Missing required slots whose schema names a kind of value the query should have held. */
function entityConflicts(missing: Slot[]): StructuralConflict[] {
  return missing
    .filter((s) => s.source === 'QUERY')
    .flatMap((s) => {
      let schema: { pattern?: string; format?: string; enum?: unknown[] } = {};
      try {
        schema = JSON.parse(s.schemaJson) as typeof schema;
      } catch {
        /* validated upstream */
      }
      const expects = schema.pattern ? `a value matching ${schema.pattern}` : schema.format ? `a ${schema.format}` : schema.enum ? `one of ${schema.enum.slice(0, 5).join(', ')}` : null;
      return expects ? [{ kind: 'entity' as const, detail: `the query has no ${s.name} (${expects})` }] : [];
    });
}

/** Planning tokens the answer saves: all of them on reuse, the bound share on rewrite (docs/router.md). */
export function tokensSaved(tier: LookupResponse['tier'], t: Template | undefined, generated: number): number | null {
  if (tier === 'plan') return 0;
  if (!t || t.stats.meanTokens <= 0) return null;
  if (tier === 'reuse') return Math.round(t.stats.meanTokens);
  const variable = Math.max(1, t.slots.length);
  return Math.round(t.stats.meanTokens * (1 - Math.min(generated, variable) / variable));
}

function rank(hits: Hit[], catalog: Catalog, tenant: ReturnType<Catalog['tenant']>, policy: TenantPolicy, now: number): Candidate[] {
  return hits
    .map((hit) => {
      const template = tenant.templates.get(hit.templateId)!;
      const confidence = catalog.deltas.served(template, now);
      return { hit, template, confidence, rank: (hit.score ?? hit.similarity) + (template.source === 'USER' ? policy.userPrecedenceMargin : 0) };
    })
    .sort((a, b) => b.rank - a.rank || (a.template.source === 'USER' ? -1 : 0) - (b.template.source === 'USER' ? -1 : 0) || b.confidence - a.confidence);
}

/** A template's slot extraction for a query (the lookup's own, and the ranking's unbound-slot test). */
function extractFor(t: Template, input: LookupInput, now: number): Extraction {
  return extractSlots(slotsInUseOrder(t), input.query, input.context ?? {}, input.referenceTimeMs ?? now, t.source, input.timeZone ?? null, undefined, t.triggerExamples);
}

/**
 * Second stage of the ranking: a candidate whose query slots the query does not fill is a worse
 * answer than its words suggest ("cancel all future meetings with raj" reads like "cancel future
 * <value> meetings", but binds no meeting name to it), so its score loses `penalty` times the
 * share of its query slots left unbound, and the similarity the tiers read loses
 * `similarityPenalty` times the same share (the cosine is kept in `unbound`). Only the hits that
 * could still come first are extracted (score within `penalty` of the best), at most `limit` of
 * them in score order; their extractions are returned for reuse.
 */
export function penaliseUnbound(hits: Hit[], templates: ReadonlyMap<string, Template>, extract: (t: Template) => Extraction, penalty: number, limit = Number.POSITIVE_INFINITY, similarityPenalty = 0): { hits: Hit[]; extractions: Map<string, Extraction> } {
  const extractions = new Map<string, Extraction>();
  if (penalty <= 0 || hits.length === 0) return { hits, extractions };
  const score = (h: Hit) => h.score ?? h.similarity;
  const best = Math.max(...hits.map(score));
  const out = hits.map((h) => {
    const t = templates.get(h.templateId);
    const querySlots = t ? t.slots.filter((s) => s.source === 'QUERY') : [];
    if (!t || querySlots.length === 0 || score(h) < best - penalty || extractions.size >= limit) return h;
    const extraction = extract(t);
    extractions.set(t.templateId, extraction);
    const unboundSlots = querySlots.filter((s) => !(s.name in extraction.bindings)).map((s) => s.name);
    if (unboundSlots.length === 0) return h;
    const share = unboundSlots.length / querySlots.length;
    const lowered = { ...h, score: score(h) - penalty * share };
    if (similarityPenalty <= 0) return lowered;
    return { ...lowered, similarity: Math.max(0, h.similarity - similarityPenalty * share), unbound: { cosine: h.similarity, slots: unboundSlots, of: querySlots.length } };
  });
  return { hits: out, extractions };
}

/**
 * What is embedded and searched for a query: the tenant's known slot values read as <value>, as
 * they do in the indexed trigger examples, and the tenant's boilerplate masked (index/request.ts).
 */
export function requestText(tenant: TenantCatalog, query: string): { text: string; tokens: string[] } {
  const text = tenant.requests.reduce(maskValues(query, tenant.values.has));
  return { text, tokens: contentTokens(text) };
}

/** Why a candidate's similarity is below its cosine ("" when it is not). */
function unboundNote(hit: Hit | undefined): string {
  if (!hit?.unbound) return '';
  const { cosine, slots, of } = hit.unbound;
  return `; similarity ${hit.similarity.toFixed(2)} is the cosine ${cosine.toFixed(2)} lowered for ${slots.length} of ${of} query slot(s) the query does not fill (${slots.join(', ')})`;
}

/** Answers one lookup of one tenant. Throws when the query cannot be embedded. */
export async function lookup(deps: LookupDeps, tenantId: string, input: LookupInput): Promise<LookupOutcome> {
  const now = deps.clock();
  const policy = deps.policies.of(tenantId);
  const tenant = deps.catalog.tenant(tenantId);
  const maxAlternatives = input.maxAlternatives ?? 3;

  const { text: searchText, tokens } = requestText(tenant, input.query);
  const [vector] = await deps.embedder.embed([searchText]);
  const accept = (id: string) => {
    const t = tenant.templates.get(id);
    return t !== undefined && SEARCHABLE.has(t.status) && (t.agentId === null || t.agentId === input.agentId);
  };
  const ranking = deps.ranking ?? DEFAULT_RANKING;
  const found = tenant.index.rank(vector!, tokens, maxAlternatives + 6, accept, deps.searchLimits ?? DEFAULT_SEARCH_LIMITS, ranking);
  const penalised = penaliseUnbound(found, tenant.templates, (t) => extractFor(t, input, now), ranking.unboundSlotPenalty, ranking.unboundSlotCandidates, ranking.unboundSimilarityPenalty);
  const { extractions } = penalised;
  // each close candidate compared again with the query read its way (own-reading.ts)
  const hits = await readAsBound(penalised.hits, input.query, {
    templates: tenant.templates,
    extractions,
    extract: (t) => extractFor(t, input, now),
    isValueSpan: (text) => isValueSpan(requestText(tenant, text).tokens, (token) => tenant.index.templatesWith(token)),
    searchText: (text) => requestText(tenant, text).text,
    embed: (texts) => deps.embedder.embed(texts),
    similarityTo: (id, v) => tenant.index.templateSimilarity(id, v),
  }, { candidates: ranking.ownReadingCandidates, reach: ranking.ownReadingReach, lexicalWeight: ranking.lexicalWeight });
  const toolRanked = byToolWords(hits, tenant.templates, tokens, { weight: ranking.toolWordWeight, reach: ranking.toolWordReach, candidates: ranking.toolWordCandidates });
  const candidates = rank(toolRanked, deps.catalog, tenant, policy, now);

  const rejected = new Map<string, StructuralConflict[]>();
  let chosen: Candidate | undefined;
  let review: Conflict[] = [];
  // the query's clause analysis (the costliest check) only when some candidate is close enough to need it
  let request: ReturnType<typeof analyseRequest> | undefined;
  let heldBack: Candidate | undefined;
  let lead: Lead | null = null;
  const asLead = (c: Candidate) => ({ similarity: c.hit.similarity, cosine: c.hit.unbound?.cosine ?? c.hit.similarity, signature: c.template.signature });
  for (const [i, c] of candidates.entries()) {
    // candidates come best-ranked first (cosine blended with lexical coverage, index/lexical.ts):
    // when the best is below the rewrite band the query is planned, rather than handed to a
    // worse-ranked template whose cosine alone happens to be higher; unless the best is a clear
    // lead with every slot bound (lead.ts)
    if (c.hit.similarity < policy.rewriteSimilarity) {
      if (i > 0) break;
      lead = leadOf(asLead(c), candidates.slice(1).map(asLead), () => {
        if (c.hit.unbound) return false;
        const extraction = extractions.get(c.template.templateId) ?? extractFor(c.template, input, now);
        extractions.set(c.template.templateId, extraction);
        return extraction.missing.length === 0;
      }, policy);
      if (!lead) break;
    }
    // labels that contradict a template (tasks like its own that other calls got right): a
    // query merely similar may be one of those, so it answers only as close as reuse needs.
    // And a farther template is no answer either: the query reads most like this one, whose
    // own tasks were sometimes done otherwise, so it is planned (docs/router.md, "Conflicting evidence").
    if ((c.template.conflictingTasks ?? 0) > 0 && c.hit.similarity < policy.reuseSimilarity) {
      heldBack = c;
      break;
    }
    const conflicts = checkCandidate((request ??= analyseRequest(input.query)), c.hit.example, c.template, input.query);
    const uncompared = comparisonRefusal(input.query, c.template);
    if (uncompared) conflicts.push(uncompared);
    const refusals = conflicts.filter((x) => x.blocks === 'candidate');
    if (refusals.length > 0) {
      rejected.set(c.template.templateId, refusals.map(({ kind, detail }) => ({ kind, detail })));
      continue;
    }
    review = conflicts;
    chosen = c;
    break;
  }

  const alternatives: Alternative[] = candidates
    .filter((c) => c !== chosen)
    .slice(0, maxAlternatives)
    .map((c) => ({
      templateId: c.template.templateId,
      name: c.template.name,
      source: c.template.source,
      similarity: c.hit.similarity,
      confidence: c.confidence,
      rejected: rejected.has(c.template.templateId) ? rejected.get(c.template.templateId)!.map((x) => x.detail).join('; ') : null,
    }));
  const structuralRejections = [...rejected.values()];

  if (!chosen) {
    const best = candidates[0];
    const firstRejection = best ? rejected.get(best.template.templateId) : undefined;
    const why = firstRejection
      ? `closest template "${best!.template.name}" (similarity ${best!.hit.similarity.toFixed(2)}) conflicts with the query: ${firstRejection.map((x) => x.detail).join('; ')}`
      : heldBack
        ? `closest template "${heldBack.template.name}" (similarity ${heldBack.hit.similarity.toFixed(2)} < ${policy.reuseSimilarity.toFixed(2)}) has conflicting evidence: ${heldBack.template.conflictingTasks} task(s) like its own were done right with other calls, so it answers only in the reuse band`
        : `${decideTier(null, policy, best?.hit.similarity ?? 0).reason}${unboundNote(best?.hit)}`;
    // an agent planning from scratch still calls the tools: what the nearest candidates call is what it will likely use
    const likely = candidates.slice(0, maxAlternatives + 1).flatMap((c) => c.template.signature);
    const reason = `${why} [${band(best?.hit.similarity ?? 0, policy)}, ${deps.policies.thresholdsOf(tenantId)}; decided by ${firstRejection ? 'structural check (refused)' : 'rewriteSimilarity'}]`;
    return {
      response: planAnswer(reason, { similarity: best?.hit.similarity ?? 0, conflicts: firstRejection ?? [], alternatives, avoidanceHints: tenant.errors.hintsFor(likely), knownErrors: tenant.errors.errorsFor(likely) }),
      boundSlots: 0,
      structuralRejections,
    };
  }

  const { template: t, partial } = servedPart(chosen.template);
  const slots = slotsInUseOrder(t);
  // the ranking extracted the chosen template already, unless it served a part of it
  const extraction = (t === chosen.template ? extractions.get(t.templateId) : undefined) ?? extractFor(t, input, now);
  // conflicts that do not refuse the candidate still block its reuse: entity types, a different action
  const entity = [...entityConflicts(extraction.missing), ...review.map(({ kind, detail }) => ({ kind, detail }))];
  const decision = decideTier(
    { similarity: chosen.hit.similarity, confidence: chosen.confidence, status: t.status, belowThreshold: t.belowThreshold, missingSlots: extraction.missing.map((s) => s.name), entityConflicts: entity, lead: chosen === candidates[0] ? lead : null },
    policy,
  );

  const bindings = { ...extraction.bindings };
  const generatedSlots: string[] = [];
  let reason = `${decision.reason}${unboundNote(chosen.hit)}`;
  if (extraction.budgetExhausted) {
    reason += `; slot extraction stopped at its work budget (${extraction.work} units), some query values were not tried`;
  }
  // which band, which thresholds, which checks decided (docs/router.md, "Tiers and thresholds")
  const decided = `[${band(chosen.hit.similarity, policy)}, ${deps.policies.thresholdsOf(tenantId)}; decided by ${decision.decidedBy.join(', ')}${rejected.size > 0 ? `; ${rejected.size} closer candidate(s) refused by the structural check` : ''}]`;
  let pending = slots.filter((s) => !(s.name in bindings) && (s.required || s.source === 'GENERATED'));
  if (decision.tier === 'rewrite' && pending.length > 0 && deps.generator) {
    const result = await deps.generator.generate({ query: input.query, slots: pending.map((s) => toGenerate(t, s)) });
    for (const [name, value] of Object.entries(result.values)) {
      bindings[name] = value;
      generatedSlots.push(name);
    }
    pending = pending.filter((s) => !(s.name in bindings));
    reason += generatedSlots.length > 0 ? `; a model generated ${generatedSlots.join(', ')}` : `; generation failed after ${result.attempts} attempt(s)`;
  }
  if (decision.tier === 'plan') pending = [];

  const workflow: ExecutableWorkflow | null =
    decision.tier === 'plan'
      ? null
      : {
          templateId: t.templateId,
          version: t.version,
          name: t.name,
          source: t.source,
          steps: t.steps,
          slots: t.slots,
          bindings,
          missingSlots: slots.filter((s) => s.required && !(s.name in bindings)).map((s) => s.name),
          avoidanceHints: withTenantHints(t.avoidanceHints.filter((h) => t.signature.includes(h.toolName)), tenant.errors.hintsFor(t.signature)),
          partial: partial !== null,
        };
  // plan still involves the chosen template's tools (and its neighbours'): their knowledge travels with it
  const involved = decision.tier === 'plan' ? [...t.signature, ...candidates.slice(0, maxAlternatives + 1).flatMap((c) => c.template.signature)] : t.signature;
  const hints = withTenantHints(t.avoidanceHints.filter((h) => involved.includes(h.toolName)), tenant.errors.hintsFor(involved));
  return {
    response: {
      tier: decision.tier,
      reason: partial && decision.tier !== 'plan' ? `${reason}; partial answer: ${partial.reason} ${decided}` : `${reason} ${decided}`,
      similarity: chosen.hit.similarity,
      confidence: chosen.confidence,
      templateId: decision.tier === 'plan' ? null : t.templateId,
      templateVersion: decision.tier === 'plan' ? null : t.version,
      matchedExample: chosen.hit.example,
      workflow,
      toGenerate: decision.tier === 'rewrite' ? pending.map((s) => toGenerate(t, s)) : [],
      generatedSlots,
      conflicts: entity,
      alternatives,
      avoidanceHints: hints,
      knownErrors: tenant.errors.errorsFor(involved),
      estimatedTokensSaved: tokensSaved(decision.tier, t, pending.length + generatedSlots.length),
      partial: decision.tier === 'plan' ? null : partial,
    },
    boundSlots: Object.keys(extraction.bindings).length,
    extractionWork: extraction.work,
    structuralRejections,
  };
}
