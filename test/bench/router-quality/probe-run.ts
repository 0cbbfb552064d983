// Runs WorkBench lookups in-process (a RouterCore with the learned catalogue, no HTTP, no
// Kafka) for the opposite-request probes and the calibration. Scoring reads the ground truth
// (which task a query belongs to); the router never does.
import { readFileSync } from 'node:fs';
import type { LookupResponse } from '@praxis/contracts';
import { parseConfig } from '@praxis/kafka';
import { calibrationFor, embedderFor, Policies, RouterConfigSchema, RouterCore, type Embedder } from '@praxis/router';
import { AGENT, TENANT, type WorkbenchCatalog } from './workbench-catalog.js';

/** A local embedder as the router builds it from EMBEDDINGS_LOCAL (hashing, the WordLlama or MiniLM model, alone or fused with hashing). */
export function localEmbedder(kind: 'fused' | 'model' | 'hashing' | 'minilm' | 'minilm-fused'): Embedder {
  return embedderFor(parseConfig(RouterConfigSchema, { ROUTER_API_KEYS: `${TENANT}:${'0'.repeat(64)}`, EMBEDDINGS_LOCAL: kind, LOG_LEVEL: 'warn' }));
}

const nullSink = { writeTemplates: async () => undefined, writeFeedback: async () => undefined };

/** A router core holding the WorkBench catalogue: the embedder's calibrated thresholds, or the given ones ("*" policy). */
export async function workbenchCore(catalog: WorkbenchCatalog, embedder: Embedder, policy: Record<string, unknown> = {}): Promise<RouterCore> {
  const core = new RouterCore({ embedder, policies: new Policies({ '*': { rateLimitPerSecond: 1e9, rateLimitBurst: 1e9, ...policy } }, calibrationFor(embedder.id)), sink: nullSink, lookupBatch: 1e9, maxPendingLookupRecords: 0 });
  await core.applyRecords(catalog.templates.map((t, i) => ({ key: t.templateId, value: t, partition: 0, offset: String(i) })));
  return core;
}

/** One lookup as the bench sees it. */
export async function ask(core: RouterCore, query: string): Promise<LookupResponse> {
  return core.lookup(TENANT, { query, agentId: AGENT, maxAlternatives: 5 });
}

export interface Probe {
  id: string;
  probe: string;
  family: string;
  source: 'generated' | 'hand-written' | 'hand-written-holdout';
  fromQuery: string | null;
  mustNotGet: string;
}

/** The committed probe set: generated.jsonl, hand-written.jsonl and hand-written-holdout.jsonl (written after the mechanism was tuned, never used to tune it). */
export function loadProbes(): Probe[] {
  const read = (name: string) =>
    readFileSync(new URL(`../../fixtures/router-probes/${name}`, import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Probe);
  return [...read('generated.jsonl'), ...read('hand-written.jsonl'), ...read('hand-written-holdout.jsonl')];
}

export { workbenchCatalog, workbenchRoot } from './workbench-catalog.js';
