// startRouter: builds the router from its config and a Kafka runtime, starts the template
// feed and the HTTP server, and returns a handle. main.ts and the in-process end-to-end
// runs both use it.
import type { Runtime } from '@praxis/kafka';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { ApiKeys } from './auth.js';
import type { RouterConfig } from './config.js';
import { CachedEmbedder, type Embedder } from './embedding/embedder.js';
import { HashingEmbedder } from './embedding/hashing.js';
import { OpenAIEmbedder } from './embedding/openai.js';
import { HttpError } from './http/errors.js';
import { buildHttpApp } from './http/app.js';
import type { SearchLimits } from './index/vector-index.js';
import { StepIngest } from './ingest.js';
import { kafkaSink } from './kafka-sink.js';
import { Policies } from './policy.js';
import { RateLimiter } from './rate-limit.js';
import { OpenAISlotGenerator, type SlotGenerator } from './rewriter.js';
import { RouterCore } from './router-core.js';
import { TemplateFeed } from './template-feed.js';

export { RouterConfigSchema, type RouterConfig } from './config.js';
export { hashApiKey } from './auth.js';
export { HashingEmbedder } from './embedding/hashing.js';
export { OpenAIEmbedder } from './embedding/openai.js';
export { GENERATION_SYSTEM_PROMPT, OpenAISlotGenerator, checkGenerated, generationPrompt, retryPrompt, type SlotGenerator } from './rewriter.js';
export type { Embedder } from './embedding/embedder.js';
export { RouterCore, type RouterSink } from './router-core.js';
export { StepIngest, type StepSink } from './ingest.js';
export { openApiDocument } from './http/openapi.js';
export { buildHttpApp } from './http/app.js';
export { ROUTES } from './http/routes.js';
export { Policies } from './policy.js';
export { Catalog } from './catalog/catalog.js';

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
  readiness(): { status: 'ready' | 'not_ready'; caughtUp: boolean; lag: Record<string, number>; templates: number; tenants: number };
  /** Stops serving, then stops the feed. The runtime's producer is the caller's to close. */
  stop(): Promise<void>;
}

/** The embedder the config asks for: an OpenAI-compatible endpoint, or the local hashing one. */
export function embedderFor(config: RouterConfig): Embedder {
  const inner = config.EMBEDDINGS_BASE_URL
    ? new OpenAIEmbedder({ baseURL: config.EMBEDDINGS_BASE_URL, model: config.EMBEDDINGS_MODEL, apiKey: config.EMBEDDINGS_API_KEY, dimensions: config.EMBEDDINGS_DIMENSIONS })
    : new HashingEmbedder(config.EMBEDDINGS_DIM);
  return new CachedEmbedder(inner);
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
  const policies = new Policies(config.ROUTER_TENANT_POLICIES);
  const sink = kafkaSink(runtime.producer, runtime.topics);
  const ingest = new StepIngest({ sink, writeTimeoutMs: config.ROUTER_WRITE_TIMEOUT_MS, clock: options.clock });
  const core = new RouterCore({
    embedder: options.embedder ?? embedderFor(config),
    generator: options.generator ?? generatorFor(config),
    policies,
    sink,
    declaredTools: config.ROUTER_TOOLS,
    clock: options.clock,
    searchLimits: options.searchLimits,
    writeTimeoutMs: config.ROUTER_WRITE_TIMEOUT_MS,
    onLookupRecordError: (error) => logger.warn({ event: 'lookup_record_failed', err: error }, 'could not write a LOOKUP feedback record'),
  });
  const feed = new TemplateFeed({
    kafka: runtime.kafka,
    serde: runtime.serde,
    spec: runtime.topics.templates,
    groupId: `praxis-router-${config.ROUTER_INSTANCE_ID}`,
    logger: logger.child({ component: 'template-feed' }),
    apply: (records) => core.applyRecords(records),
  });
  const readiness = () => {
    const progress = feed.progress();
    return { status: progress.caughtUp ? ('ready' as const) : ('not_ready' as const), caughtUp: progress.caughtUp, lag: progress.lag, templates: core.catalog.size, tenants: core.catalog.tenantCount };
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
    ingestBodyLimit: config.ROUTER_INGEST_BODY_LIMIT_BYTES,
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
    },
  };
}
