// startRouter: builds the router from its config and a Kafka runtime, starts the template
// feed and the HTTP server, and returns a handle. main.ts and the in-process end-to-end
// runs both use it.
import type { Runtime } from '@praxis/kafka';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApiKeys } from './auth.js';
import type { RouterConfig } from './config.js';
import { parseShard, Shard } from './shard.js';
import { Catalog } from './catalog/catalog.js';
import { CachedEmbedder, vectorSpace, type Embedder } from './embedding/embedder.js';
import { StoredEmbedder, VectorStore } from './embedding/vector-store.js';
import { GraphStore } from './index/graph-store.js';
import { HashingEmbedder } from './embedding/hashing.js';
import { FusedEmbedder } from './embedding/fused.js';
import { OpenAIEmbedder } from './embedding/openai.js';
import { LOCAL_MODEL, localModelDir, localModelPresent, StaticModelEmbedder } from './embedding/static-model.js';
import { MINILM_MODEL, minilmDir, MiniLmEmbedder } from './embedding/minilm.js';
import { HttpError } from './http/errors.js';
import { buildHttpApp } from './http/app.js';
import type { SearchLimits } from './index/vector-index.js';
import { StepIngest } from './ingest.js';
import { kafkaSink } from './kafka-sink.js';
import { calibrationFor, Policies } from './policy.js';
import { RateLimiter } from './rate-limit.js';
import { OpenAISlotGenerator, type SlotGenerator } from './rewriter.js';
import { RouterCore } from './router-core.js';
import { TemplateFeed } from './template-feed.js';

export { RouterConfigSchema, type RouterConfig } from './config.js';
export { hashApiKey } from './auth.js';
export { HashingEmbedder } from './embedding/hashing.js';
export { OpenAIEmbedder } from './embedding/openai.js';
export { FusedEmbedder } from './embedding/fused.js';
export { LOCAL_MODEL, localModelDir, localModelPresent, StaticModelEmbedder } from './embedding/static-model.js';
export { MINILM_MODEL, minilmDir, minilmPresent, MiniLmEmbedder } from './embedding/minilm.js';
export { GENERATION_SYSTEM_PROMPT, OpenAISlotGenerator, checkGenerated, generationPrompt, retryPrompt, type SlotGenerator } from './rewriter.js';
export { CachedEmbedder, type Embedder } from './embedding/embedder.js';
export { RouterCore, type RouterSink } from './router-core.js';
export { StepIngest, type StepSink } from './ingest.js';
export { openApiDocument } from './http/openapi.js';
export { buildHttpApp } from './http/app.js';
export { ROUTES } from './http/routes.js';
export { calibrationFor, Policies } from './policy.js';
export { Catalog } from './catalog/catalog.js';
export { GraphStore } from './index/graph-store.js';
export { DEFAULT_RANKING, type RankingOptions } from './index/lexical.js';
export { StoredEmbedder, VectorStore } from './embedding/vector-store.js';
export { requestText } from './lookup.js';
export { ALL_TENANTS, parseShard, Shard, shardOf, type ShardSpec } from './shard.js';

export interface RouterOptions {
  config: RouterConfig;
  runtime: Runtime;
  /** Overrides the embedder the config describes. */
  embedder?: Embedder;
  /** Overrides the slot generator the config describes. */
  generator?: SlotGenerator;
  clock?: () => number;
  searchLimits?: SearchLimits;
}

export interface RouterHandle {
  /** Base URL of the HTTP server. */
  url: string;
  port: number;
  core: RouterCore;
  app: FastifyInstance;
  /** Resolves when the index has caught up with the templates topic. */
  ready(timeoutMs?: number): Promise<void>;
  readiness(): { status: 'ready' | 'not_ready'; caughtUp: boolean; lag: Record<string, number>; templates: number; tenants: number; embedder: { id: string; fallback: string | null } };
  /** What the feed did since start: group joins, batches and records applied (an idle router's stay flat). */
  feedStats(): { joins: number; batches: number; records: number; waiting: string | null };
  /** Texts the vector cache answered and texts embedded since start (null: no cache). */
  vectorCache(): { stored: number; embedded: number } | null;
  /** Stops serving, then stops the feed. The runtime's producer is the caller's to close. */
  stop(): Promise<void>;
}

/** The hashing embedder standing in for the model, saying why (logged, shown in /readyz). */
class FallbackEmbedder extends HashingEmbedder {
  constructor(dim: number, readonly fallback: string) {
    super(dim);
  }
}

/**
 * The local embedder the config asks for: the model (PyPI wordllama, installed by
 * infra/fetch-model.sh) fused with hashing by default; hashing alone when the model's files
 * are missing or unreadable, with the reason in `fallback`.
 */
export function localEmbedderFor(config: RouterConfig): Embedder {
  const hashing = new HashingEmbedder(config.EMBEDDINGS_DIM);
  if (config.EMBEDDINGS_LOCAL === 'hashing') return hashing;
  if (config.EMBEDDINGS_LOCAL === 'minilm' || config.EMBEDDINGS_LOCAL === 'minilm-fused') {
    let minilm: MiniLmEmbedder;
    try {
      minilm = MiniLmEmbedder.load(minilmDir(config.PRAXIS_CACHE_DIR));
    } catch (error) {
      return new FallbackEmbedder(config.EMBEDDINGS_DIM, `local model ${MINILM_MODEL.name} unavailable, using the hashing embedder: ${(error as Error).message}`);
    }
    if (config.EMBEDDINGS_LOCAL === 'minilm') return minilm;
    return new FusedEmbedder([
      { embedder: minilm, weight: config.EMBEDDINGS_MINILM_WEIGHT },
      { embedder: hashing, weight: 1 - config.EMBEDDINGS_MINILM_WEIGHT },
    ]);
  }
  const dir = localModelDir(config.PRAXIS_CACHE_DIR);
  let model: StaticModelEmbedder;
  try {
    if (!localModelPresent(dir)) throw new Error(`no ${LOCAL_MODEL.weights} and ${LOCAL_MODEL.tokenizer} in ${dir} (run infra/fetch-model.sh)`);
    model = StaticModelEmbedder.load(dir);
  } catch (error) {
    return new FallbackEmbedder(config.EMBEDDINGS_DIM, `local model ${LOCAL_MODEL.name} unavailable, using the hashing embedder: ${(error as Error).message}`);
  }
  if (config.EMBEDDINGS_LOCAL === 'model') return model;
  return new FusedEmbedder([
    { embedder: model, weight: config.EMBEDDINGS_MODEL_WEIGHT },
    { embedder: hashing, weight: 1 - config.EMBEDDINGS_MODEL_WEIGHT },
  ]);
}

/** The embedder the config asks for: an OpenAI-compatible endpoint, or the local one; its vectors kept in `store` when given. */
export function embedderFor(config: RouterConfig, store?: VectorStore): Embedder {
  const inner = config.EMBEDDINGS_BASE_URL
    ? new OpenAIEmbedder({ baseURL: config.EMBEDDINGS_BASE_URL, model: config.EMBEDDINGS_MODEL, apiKey: config.EMBEDDINGS_API_KEY, dimensions: config.EMBEDDINGS_DIMENSIONS })
    : localEmbedderFor(config);
  return new CachedEmbedder(store ? new StoredEmbedder(inner, store) : inner);
}

/** Where vectors and graphs are kept between runs (ROUTER_VECTOR_CACHE). */
export function vectorCacheDir(config: RouterConfig): string {
  return join(config.PRAXIS_CACHE_DIR, 'vectors');
}

/** The slot generator the config asks for, if any. */
export function generatorFor(config: RouterConfig): SlotGenerator | undefined {
  return config.REWRITE_BASE_URL
    ? new OpenAISlotGenerator({ baseURL: config.REWRITE_BASE_URL, model: config.REWRITE_MODEL, apiKey: config.REWRITE_API_KEY, timeoutMs: config.REWRITE_TIMEOUT_MS, attempts: config.REWRITE_ATTEMPTS })
    : undefined;
}

/** Starts the router: feed from the beginning of the templates topic, HTTP on ROUTER_HOST:ROUTER_PORT. */
export async function startRouter(options: RouterOptions): Promise<RouterHandle> {
  const { config, runtime } = options;
  const logger = runtime.logger;
  const cacheProblem = (message: string) => logger.warn({ event: 'vector_cache_problem', reason: message }, message);
  let store: VectorStore | undefined;
  if (config.ROUTER_VECTOR_CACHE && !options.embedder) {
    try {
      store = VectorStore.open(join(vectorCacheDir(config), 'lmdb'), cacheProblem);
    } catch (error) {
      cacheProblem(`vector cache unavailable, every start embeds again: ${(error as Error).message}`);
    }
  }
  const embedder = options.embedder ?? embedderFor(config, store);
  // graphs of one topic and vector space: another deployment's or embedder's are never loaded
  const graphs = config.ROUTER_VECTOR_CACHE ? new GraphStore(join(vectorCacheDir(config), 'graphs'), `${runtime.topics.templates.name}\u0000${vectorSpace(embedder)}`, undefined, cacheProblem) : undefined;
  // the thresholds measured for this embedder, unless the policies set their own
  const policies = new Policies(config.ROUTER_TENANT_POLICIES, calibrationFor(embedder.id));
  const sink = kafkaSink(runtime.producer, runtime.topics);
  const ingest = new StepIngest({ sink, writeTimeoutMs: config.ROUTER_WRITE_TIMEOUT_MS, clock: options.clock });
  if (embedder.fallback) logger.warn({ event: 'embedder_fallback', embedder: embedder.id, reason: embedder.fallback }, embedder.fallback);
  else logger.info({ event: 'embedder', embedder: embedder.id }, `embedder ${embedder.id}`);
  const clock = options.clock ?? Date.now;
  const shard = new Shard(parseShard(config.ROUTER_SHARD, config.ROUTER_SHARD_URLS));
  if (shard.spec.count > 1) logger.info({ event: 'router_shard', shard: shard.spec.index, of: shard.spec.count }, `router shard ${shard.spec.index} of ${shard.spec.count}: indexes and answers only its tenants`);
  const core = new RouterCore({
    shard,
    catalog: new Catalog(clock, undefined, undefined, graphs),
    embedder,
    generator: options.generator ?? generatorFor(config),
    policies,
    sink,
    declaredTools: config.ROUTER_TOOLS,
    clock: options.clock,
    searchLimits: options.searchLimits,
    writeTimeoutMs: config.ROUTER_WRITE_TIMEOUT_MS,
    maxClockSkewMs: config.ROUTER_MAX_CLOCK_SKEW_MS,
    onLookupRecordError: (error) => logger.warn({ event: 'lookup_record_failed', err: error }, 'could not write a LOOKUP feedback record'),
  });
  const feed = new TemplateFeed({
    kafka: runtime.kafka,
    serde: runtime.serde,
    spec: runtime.topics.templates,
    groupId: `praxis-router-${config.ROUTER_INSTANCE_ID}`,
    logger: logger.child({ component: 'template-feed' }),
    apply: (records) => core.applyRecords(records),
    onCaughtUp: () => {
      const saved = core.settle();
      if (saved > 0) logger.info({ event: 'graphs_saved', graphs: saved }, `saved ${saved} tenant graph(s) after catching up`);
    },
  });
  const readiness = () => {
    const progress = feed.progress();
    return { status: progress.caughtUp ? ('ready' as const) : ('not_ready' as const), caughtUp: progress.caughtUp, lag: progress.lag, templates: core.catalog.size, tenants: core.catalog.tenantCount, embedder: { id: embedder.id, fallback: embedder.fallback ?? null } };
  };
  const app = await buildHttpApp({
    env: { core, readiness, ingest },
    keys: new ApiKeys(config.ROUTER_API_KEYS),
    rateLimiter: new RateLimiter((tenant) => {
      const p = policies.of(tenant);
      return { perSecond: p.rateLimitPerSecond, burst: p.rateLimitBurst };
    }),
    logger,
    bodyLimit: config.ROUTER_BODY_LIMIT_BYTES,
    requestTimeoutMs: config.ROUTER_REQUEST_TIMEOUT_MS,
    ingestBodyLimit: config.ROUTER_INGEST_BODY_LIMIT_BYTES,
    misdirected: (tenantId) => shard.misdirected(tenantId),
    // Until the index has caught up, answers would come from a partial index: refuse them.
    gate: () => {
      const r = readiness();
      return r.caughtUp ? null : new HttpError(503, 'not_ready', `the template index is still catching up (lag ${JSON.stringify(r.lag)}); retry shortly`, undefined, { 'retry-after': '1' });
    },
  });
  await feed.start();
  await app.listen({ host: config.ROUTER_HOST, port: config.ROUTER_PORT });
  const port = (app.server.address() as AddressInfo).port;
  logger.info({ event: 'router_listening', host: config.ROUTER_HOST, port, groupId: `praxis-router-${config.ROUTER_INSTANCE_ID}` }, 'router listening');

  return {
    url: `http://${config.ROUTER_HOST.includes(':') ? `[${config.ROUTER_HOST}]` : config.ROUTER_HOST}:${port}`,
    port,
    core,
    app,
    readiness,
    vectorCache: () => (store ? { ...store.counts } : null),
    feedStats: () => {
      const { joins, batches, records, waiting } = feed.progress();
      return { joins, batches, records, waiting };
    },
    async ready(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!readiness().caughtUp) {
        if (Date.now() > deadline) throw new Error(`router index not caught up after ${timeoutMs} ms (lag ${JSON.stringify(readiness().lag)})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      await app.close();
      await core.flushLookups();
      await feed.stop();
      const saved = core.persistIndexes();
      if (saved > 0) logger.info({ event: 'graphs_saved', graphs: saved }, `saved ${saved} tenant graph(s) at shutdown`);
      await store?.close();
    },
  };
}
