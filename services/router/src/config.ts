import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { boolFlag, jsonEnv, kafkaEnvShape, port, positiveInt } from '@praxis/kafka';
import { z } from 'zod';
import { apiKeysConfig } from './auth.js';

/** The router's environment (docs/router.md, "Configuration"). */
export const RouterConfigSchema = z.object({
  ...kafkaEnvShape,
  ROUTER_HOST: z.string().default('127.0.0.1'),
  ROUTER_PORT: port.default(8080),
  OPS_PORT: port.default(9464),
  /** Names this process's consumer group (praxis-router-<id>); unique per running instance. */
  ROUTER_INSTANCE_ID: z.string().regex(/^[A-Za-z0-9._-]+$/, 'may contain only letters, digits, ".", "_" and "-"').default(`${hostname().replace(/[^A-Za-z0-9._-]/g, '-')}-${process.pid}`),
  /**
   * This instance's shard of the tenants, "<index>/<count>" (docs/router.md, "Shards by tenant"):
   * it indexes and answers only the tenants whose shard is <index>; others get 421 naming theirs.
   */
  ROUTER_SHARD: z.string().default('0/1'),
  /** Base URL of every shard's router, in shard order (JSON list), so a 421 can say where to go. */
  ROUTER_SHARD_URLS: jsonEnv(z.array(z.url())).optional(),
  /** Tenant -> sha-256 hashes of its API keys (hashed at rest). */
  ROUTER_API_KEYS: apiKeysConfig,
  /** Per-tenant thresholds and limits; "*" for every tenant. */
  ROUTER_TENANT_POLICIES: jsonEnv(z.record(z.string(), z.record(z.string(), z.unknown()))).default({}),
  /** Declared tools: {"tenant": {"tool_name": <JSON Schema of its parameters>}}. */
  ROUTER_TOOLS: jsonEnv(z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown())))).default({}),
  ROUTER_BODY_LIMIT_BYTES: positiveInt.default(256 * 1024),
  /** Body limit of POST /v1/steps and /v1/traces (batches, OTLP exports). */
  ROUTER_INGEST_BODY_LIMIT_BYTES: positiveInt.default(4 * 1024 * 1024),
  ROUTER_WRITE_TIMEOUT_MS: positiveInt.default(10_000),
  /** Feedback dated further ahead of the router's clock is refused with 400 (docs/security.md). */
  ROUTER_MAX_CLOCK_SKEW_MS: z.coerce.number().int().min(0).default(5 * 60_000),
  /** A request (headers and body) must arrive within this, else 408 and the connection is closed. */
  ROUTER_REQUEST_TIMEOUT_MS: positiveInt.default(10_000),
  /**
   * The local embedder: hashing alone (default, for now: the tiers' thresholds are calibrated for
   * it and on WorkBench it is not worse), the model fused with hashing, or the model alone.
   */
  EMBEDDINGS_LOCAL: z.enum(['fused', 'model', 'hashing', 'minilm', 'minilm-fused']).default('hashing'),
  /** The model's share of the fused cosine (the rest is the hashing embedder's). */
  EMBEDDINGS_MODEL_WEIGHT: z.coerce.number().gt(0).lt(1).default(0.2),
  /** The sentence-transformer's share of the cosine in `minilm-fused` (the rest is the hashing embedder's); 0.4 separates paraphrases from unseen requests best on WorkBench (test/bench/router-quality/fusion-sweep.ts). */
  EMBEDDINGS_MINILM_WEIGHT: z.coerce.number().gt(0).lt(1).default(0.4),
  /** Where infra/fetch-model.sh put the model (models/<name>/) and where vectors are cached (vectors/). */
  PRAXIS_CACHE_DIR: z.string().default(join(homedir(), '.cache', 'praxis')),
  /**
   * Keep vectors (LMDB) and large tenants' HNSW graphs under PRAXIS_CACHE_DIR/vectors between
   * runs, so a restart neither embeds nor builds again what it already had (docs/router.md, "Restart").
   */
  ROUTER_VECTOR_CACHE: boolFlag.default(true),
  /** Dimension of the local hashing embedder (a power of two). */
  EMBEDDINGS_DIM: positiveInt.default(256),
  /** An OpenAI-compatible embeddings endpoint replaces the local embedder when set. */
  EMBEDDINGS_BASE_URL: z.url().optional(),
  EMBEDDINGS_MODEL: z.string().default('text-embedding-3-small'),
  EMBEDDINGS_API_KEY: z.string().default('unused'),
  EMBEDDINGS_DIMENSIONS: positiveInt.optional(),
  /** An OpenAI-compatible chat endpoint generates missing slots (rewrite) when set. */
  REWRITE_BASE_URL: z.url().optional(),
  REWRITE_MODEL: z.string().default('gpt-4o-mini'),
  REWRITE_API_KEY: z.string().default('unused'),
  REWRITE_TIMEOUT_MS: positiveInt.default(15_000),
  REWRITE_ATTEMPTS: positiveInt.max(10).default(3),
});

export type RouterConfig = z.output<typeof RouterConfigSchema>;
