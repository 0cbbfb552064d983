// The OpenAPI 3.1 document, derived from the route table and the zod contracts. It is
// checked in (services/router/openapi.json, written by `pnpm --filter @praxis/router
// openapi`) and served at /v1/openapi.json; a test proves the three agree.
import { z } from 'zod';
import { NAMED_SCHEMAS, ROUTES } from './routes.js';

const COMMON_ERRORS: Record<number, string> = {
  400: 'Bad input: malformed JSON, a missing or invalid field (the reason names each).',
  401: 'Missing or unknown API key.',
  404: 'No such resource for this tenant (another tenant\'s ids are not found either).',
  409: 'Conflicts with the current state.',
  413: 'The body is larger than the limit.',
  415: 'The body is not application/json.',
  422: 'Valid JSON that fails a validation layer (tools, references, parameters, security).',
  421: 'The tenant is served by another router shard (ROUTER_SHARD); x-praxis-shard names it, x-praxis-shard-url its URL when the deployment lists them.',
  429: 'The tenant\'s rate limit is exhausted; see retry-after.',
  503: 'Not ready, or Kafka did not acknowledge a write in time.',
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

/** The router's OpenAPI document. */
export function openApiDocument(): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(NAMED_SCHEMAS)) {
    const isRequest = ROUTES.some((r) => r.body === schema);
    schemas[name] = jsonSchema(schema, isRequest ? 'input' : 'output');
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [...route.url.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (route.query) {
      const q = jsonSchema(route.query, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        const { description, ...rest } = schema;
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema: rest, ...(description ? { description } : {}) });
      }
    }
    const errorStatuses = new Set<number>([...(route.auth ? [401, 421, 429] : []), ...(route.body ? [400, 413, 415] : []), ...(route.query ? [400] : []), ...(route.url.includes(':') ? [404] : []), ...(route.errors ?? [])]);
    const responses: Record<string, unknown> = {
      [route.success.status]: { description: route.success.description, content: { 'application/json': { schema: ref(route.success.schema) } } },
    };
    for (const status of [...errorStatuses].sort()) {
      const schema = route.operationId === 'ready' && status === 503 ? ref('Readiness') : ref('Error');
      responses[status] = { description: COMMON_ERRORS[status] ?? 'Error.', content: { 'application/json': { schema } } };
    }
    const bodyName = route.body ? Object.entries(NAMED_SCHEMAS).find(([, s]) => s === route.body)?.[0] : undefined;
    (paths[path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      ...(route.auth ? {} : { security: [] }),
      ...(parameters.length ? { parameters } : {}),
      ...(bodyName ? { requestBody: { required: true, content: { 'application/json': { schema: ref(bodyName) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Praxis router',
      version: '1.0.0',
      description: 'Serves learned and user workflows to agents: reuse, rewrite or plan. Every /v1 route except this document needs a tenant API key (authorization: Bearer <key>, or x-api-key). See docs/router.md.',
    },
    servers: [{ url: 'http://127.0.0.1:8080' }],
    security: [{ bearer: [] }, { apiKey: [] }],
    tags: [
      { name: 'lookup', description: 'Three-tier lookup' },
      { name: 'workflows', description: 'User workflows' },
      { name: 'templates', description: 'Learned and user templates, tools' },
      { name: 'feedback', description: 'Execution outcomes and counters' },
      { name: 'ingest', description: 'Step events and OTLP GenAI traces from agents without Kafka access (docs/ingest.md)' },
      { name: 'operations', description: 'Health, readiness, this document' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A tenant API key.' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'A tenant API key.' },
      },
      schemas,
    },
  };
}
