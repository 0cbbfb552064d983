// The HTTP face of the router (fastify): API keys, per-tenant rate limits, body limits, and
// a JSON reason on every 4xx. Routes come from the route table (routes.ts).
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { deeperThan } from '@praxis/core';
import type { Logger } from '@praxis/kafka';
import type { ApiKeys } from '../auth.js';
import { keyOf } from '../auth.js';
import { rejectedRequestsTotal } from '../metrics.js';
import type { RateLimiter } from '../rate-limit.js';
import { HttpError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { Answer, ROUTES, type RouteEnv } from './routes.js';

export interface HttpAppOptions {
  env: Omit<RouteEnv, 'openapi'>;
  keys: ApiKeys;
  rateLimiter: RateLimiter;
  logger: Logger;
  /** Largest accepted body, bytes. */
  bodyLimit: number;
  /** A request whose headers and body have not fully arrived by then is answered 408 and its connection closed. */
  requestTimeoutMs?: number;
  /** Deepest nesting of a JSON body; deeper is a 400 before any handler walks it. */
  maxBodyDepth?: number;
  /** Largest body of the ingest routes (batches of steps, OTLP exports); defaults to bodyLimit. */
  ingestBodyLimit?: number;
  /** 421 for a tenant this instance does not serve (another router shard's); before rate limits and readiness. */
  misdirected?: (tenantId: string) => HttpError | null;
  /** Refuses authenticated requests while it returns an error (e.g. the index is not ready). */
  gate?: () => HttpError | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, as "METHOD /url" (HEAD routes fastify adds are left out). */
    servedRoutes: string[];
  }
  interface FastifyRequest {
    tenantId?: string;
  }
  interface FastifyContextConfig {
    auth?: boolean;
  }
}

/** Default deadline for a whole request (headers and body) to arrive. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Default deepest nesting of a JSON body. */
export const DEFAULT_MAX_BODY_DEPTH = 64;

// Fastify's own errors, as our codes.
const FASTIFY_CODES: Record<string, { status: number; error: string; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, error: 'body_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, error: 'unsupported_media_type', message: 'the body must be application/json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, error: 'invalid_json', message: 'the body is empty; send a JSON object' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: 'invalid_json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, error: 'bad_request' },
};

const FRAMEWORK_CODES: Record<string, { status: number; error: string }> = {
  FST_ERR_BAD_URL: { status: 400, error: 'bad_url' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, error: 'uri_too_long' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, error: 'bad_request' },
};

function send(reply: FastifyReply, status: number, error: string, message: string, issues?: { path: string; message: string }[], headers: Record<string, string> = {}) {
  if (status < 500) rejectedRequestsTotal.inc({ error });
  return reply
    .code(status)
    .headers(headers)
    .send({ error, message, ...(issues ? { issues } : {}) });
}

/** Builds the app (not listening yet). */
export async function buildHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const maxBodyDepth = options.maxBodyDepth ?? DEFAULT_MAX_BODY_DEPTH;
  const app = Fastify({
    bodyLimit: options.bodyLimit,
    return503OnClosing: true,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Node checks these timeouts every connectionsCheckingInterval (30 s by default): a slow or
    // partial body is cut off within about a second of its deadline, not held open for minutes.
    requestTimeout,
    http: { requestTimeout, headersTimeout: Math.min(requestTimeout, 60_000), connectionsCheckingInterval: Math.min(1_000, requestTimeout) },
    // Errors of the router itself (a URL that is not UTF-8, a path parameter too long) get our
    // JSON reason too, not fastify's default body.
    frameworkErrors: (error, _request, reply) => {
      const known = FRAMEWORK_CODES[error.code] ?? { status: 400, error: 'bad_request' };
      void send(reply, known.status, known.error, error.message);
    },
  });
  app.decorate('servedRoutes', [] as string[]);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') app.servedRoutes.push(`${method} ${route.url}`);
  });
  // JSON only: without a text/plain parser, any other body is a 415.
  app.removeContentTypeParser('text/plain');
  const document = openApiDocument();
  const env: RouteEnv = { ...options.env, openapi: () => document };

  app.addHook('onRequest', async (request, reply) => {
    if (!request.routeOptions.config.auth) return;
    const key = keyOf(request.headers);
    const tenantId = options.keys.tenantOf(key);
    if (!tenantId) {
      return send(reply, 401, 'unauthorized', key ? 'unknown API key' : 'missing API key: send "authorization: Bearer <key>" or "x-api-key: <key>"', undefined, { 'www-authenticate': 'Bearer' });
    }
    const elsewhere = options.misdirected?.(tenantId);
    if (elsewhere) return send(reply, elsewhere.status, elsewhere.code, elsewhere.message, undefined, elsewhere.headers);
    const waitMs = options.rateLimiter.take(tenantId);
    if (waitMs > 0) return send(reply, 429, 'rate_limited', `rate limit of tenant ${tenantId} exhausted; retry in ${waitMs} ms`, undefined, { 'retry-after': String(Math.ceil(waitMs / 1000)) });
    const closed = options.gate?.();
    if (closed) return send(reply, closed.status, closed.code, closed.message, undefined, closed.headers);
    request.tenantId = tenantId;
  });

  // A body nested past the limit would overflow the stack of whatever walks it next.
  app.addHook('preValidation', async (request, reply) => {
    if (request.body !== null && typeof request.body === 'object' && deeperThan(request.body, maxBodyDepth)) {
      return send(reply, 400, 'too_deep', `the JSON body is nested deeper than ${maxBodyDepth} levels`);
    }
  });

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) return send(reply, error.status, error.code, error.message, error.issues, error.headers);
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return send(reply, known.status, known.error, known.message ?? error.message);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return send(reply, status, 'bad_request', error.message);
    options.logger.error({ event: 'request_failed', err: error, method: request.method, url: request.url }, 'request failed');
    return send(reply, 500, 'internal', 'internal error; see the router log');
  });

  app.setNotFoundHandler((request, reply) => send(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`));

  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: route.url,
      config: { auth: route.auth },
      ...(route.ingestBody ? { bodyLimit: options.ingestBodyLimit ?? options.bodyLimit } : {}),
      handler: async (request, reply) => {
        const result = await route.handle(env, {
          tenantId: request.tenantId ?? '',
          body: request.body,
          params: (request.params ?? {}) as Record<string, string>,
          query: (request.query ?? {}) as Record<string, unknown>,
        });
        if (result instanceof Answer) return reply.code(result.status).send(result.body);
        return reply.code(route.success.status).send(result);
      },
    });
  }
  return app;
}
