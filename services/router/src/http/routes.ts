// The route table: one entry per endpoint. The HTTP app registers these, and the OpenAPI
// document is derived from the same entries, so the two cannot drift apart.
import {
  ErrorResponseSchema,
  FeedbackRequestSchema,
  FeedbackResponseSchema,
  IngestStepsRequestSchema,
  IngestStepsResponseSchema,
  ListQuerySchema,
  LookupRequestSchema,
  LookupResponseSchema,
  OtlpTracesRequestSchema,
  OtlpTracesResponseSchema,
  ReadinessSchema,
  TemplateListSchema,
  TemplateViewSchema,
  TenantStatsSchema,
  ToolListSchema,
  UnlearnResponseSchema,
  VersionHistorySchema,
  WorkflowDefinitionSchema,
  WorkflowDeletedSchema,
} from '@praxis/contracts';
import { z } from 'zod';
import type { StepIngest } from '../ingest.js';
import type { RouterCore } from '../router-core.js';
import { HttpError, parseOr400 } from './errors.js';

/** What a handler gets: the caller's tenant (authenticated routes) and the parsed request parts. */
export interface RouteRequest {
  tenantId: string;
  body: unknown;
  params: Record<string, string>;
  query: Record<string, unknown>;
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify syntax (":id"); OpenAPI gets "{id}". */
  url: string;
  operationId: string;
  summary: string;
  tag: 'lookup' | 'workflows' | 'templates' | 'feedback' | 'ingest' | 'operations';
  auth: boolean;
  /** Takes the larger ingest body limit (batches of steps, OTLP exports). */
  ingestBody?: boolean;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** Success status and its body schema (by name in the document's components). */
  success: { status: number; schema: keyof typeof NAMED_SCHEMAS; description: string };
  /** Error statuses this route can answer besides the common ones. */
  errors?: number[];
  handle: (env: RouteEnv, req: RouteRequest) => unknown;
}

/** A handler's answer with a status other than the route's success status. */
export class Answer {
  constructor(readonly status: number, readonly body: unknown) {}
}

/** What handlers reach: the core, readiness, and the OpenAPI document. */
export interface RouteEnv {
  core: RouterCore;
  /** The ingest endpoints; without it they answer 503. */
  ingest?: StepIngest;
  readiness: () => z.output<typeof ReadinessSchema>;
  openapi: () => unknown;
}

const WorkflowSavedSchema = TemplateViewSchema.extend({ warnings: z.array(z.string()).describe('Things worth a look that did not block the workflow (unused slots, parameters never observed).') });
const HealthSchema = z.object({ status: z.literal('ok') });

/** Schemas named in the OpenAPI components. */
export const NAMED_SCHEMAS = {
  LookupRequest: LookupRequestSchema,
  LookupResponse: LookupResponseSchema,
  WorkflowDefinition: WorkflowDefinitionSchema,
  WorkflowSaved: WorkflowSavedSchema,
  WorkflowDeleted: WorkflowDeletedSchema,
  TemplateView: TemplateViewSchema,
  TemplateList: TemplateListSchema,
  VersionHistory: VersionHistorySchema,
  UnlearnResponse: UnlearnResponseSchema,
  FeedbackRequest: FeedbackRequestSchema,
  FeedbackResponse: FeedbackResponseSchema,
  IngestStepsRequest: IngestStepsRequestSchema,
  IngestStepsResponse: IngestStepsResponseSchema,
  OtlpTracesRequest: OtlpTracesRequestSchema,
  OtlpTracesResponse: OtlpTracesResponseSchema,
  TenantStats: TenantStatsSchema,
  ToolList: ToolListSchema,
  Readiness: ReadinessSchema,
  Health: HealthSchema,
  Error: ErrorResponseSchema,
  OpenApiDocument: z.record(z.string(), z.unknown()),
} as const;

const noIngest = () => new HttpError(503, 'unavailable', 'ingest is not configured on this router');

const UnlearnQuerySchema = z.object({ reason: z.string().max(2_000).optional().describe('Why the template is removed; recorded with the UNLEARN feedback.') }).strict();

/** Every route of the router. `/v1/openapi.json`, `/healthz` and `/readyz` need no key. */
export const ROUTES: RouteDef[] = [
  {
    method: 'POST', url: '/v1/lookup', operationId: 'lookup', tag: 'lookup', auth: true,
    summary: 'Find the workflow for a query: reuse, rewrite or plan',
    body: LookupRequestSchema,
    success: { status: 200, schema: 'LookupResponse', description: 'The tier, the workflow (bound as far as possible) and why.' },
    handle: ({ core }, r) => core.lookup(r.tenantId, r.body),
  },
  {
    method: 'POST', url: '/v1/workflows', operationId: 'createWorkflow', tag: 'workflows', auth: true,
    summary: 'Declare a user workflow (validated in layers; takes precedence over learned templates)',
    body: WorkflowDefinitionSchema,
    success: { status: 201, schema: 'WorkflowSaved', description: 'Stored on the templates topic as a USER template.' },
    errors: [409, 422, 503],
    handle: ({ core }, r) => core.saveWorkflow(r.tenantId, r.body),
  },
  {
    method: 'GET', url: '/v1/workflows', operationId: 'listWorkflows', tag: 'workflows', auth: true,
    summary: "List the tenant's user workflows",
    query: ListQuerySchema,
    success: { status: 200, schema: 'TemplateList', description: 'One page, by id.' },
    handle: ({ core }, r) => core.list(r.tenantId, r.query, 'USER'),
  },
  {
    method: 'GET', url: '/v1/workflows/:id', operationId: 'getWorkflow', tag: 'workflows', auth: true,
    summary: 'Get a user workflow',
    success: { status: 200, schema: 'TemplateView', description: 'The workflow as stored, with its served confidence.' },
    handle: ({ core }, r) => core.getWorkflow(r.tenantId, r.params.id!),
  },
  {
    method: 'PUT', url: '/v1/workflows/:id', operationId: 'replaceWorkflow', tag: 'workflows', auth: true,
    summary: 'Replace a user workflow (same name; the version grows by one)',
    body: WorkflowDefinitionSchema,
    success: { status: 200, schema: 'WorkflowSaved', description: 'The new version.' },
    errors: [422, 503],
    handle: ({ core }, r) => core.saveWorkflow(r.tenantId, r.body, r.params.id!),
  },
  {
    method: 'DELETE', url: '/v1/workflows/:id', operationId: 'deleteWorkflow', tag: 'workflows', auth: true,
    summary: 'Delete a user workflow (tombstone)',
    success: { status: 200, schema: 'WorkflowDeleted', description: 'Gone from lookups.' },
    errors: [503],
    handle: ({ core }, r) => core.deleteWorkflow(r.tenantId, r.params.id!),
  },
  {
    method: 'GET', url: '/v1/templates', operationId: 'listTemplates', tag: 'templates', auth: true,
    summary: "List the tenant's templates (learned and user)",
    query: ListQuerySchema,
    success: { status: 200, schema: 'TemplateList', description: 'One page, by id.' },
    handle: ({ core }, r) => core.list(r.tenantId, r.query),
  },
  {
    method: 'GET', url: '/v1/templates/:id', operationId: 'getTemplate', tag: 'templates', auth: true,
    summary: 'Get a template',
    success: { status: 200, schema: 'TemplateView', description: 'The template as stored, with its served confidence.' },
    handle: ({ core }, r) => core.getTemplate(r.tenantId, r.params.id!),
  },
  {
    method: 'DELETE', url: '/v1/templates/:id', operationId: 'unlearnTemplate', tag: 'templates', auth: true,
    summary: 'Unlearn a learned template: tombstone, plus an UNLEARN record so it is not induced again from the same history',
    query: UnlearnQuerySchema,
    success: { status: 200, schema: 'UnlearnResponse', description: 'Removed.' },
    errors: [409, 503],
    handle: ({ core }, r) => core.unlearn(r.tenantId, r.params.id!, parseOr400(UnlearnQuerySchema, r.query, 'query string').reason),
  },
  {
    method: 'GET', url: '/v1/templates/:id/versions', operationId: 'templateVersions', tag: 'templates', auth: true,
    summary: 'Version history and lineage of a template, as this router saw it',
    success: { status: 200, schema: 'VersionHistory', description: 'Oldest first; see `complete`.' },
    handle: ({ core }, r) => core.versions(r.tenantId, r.params.id!),
  },
  {
    method: 'POST', url: '/v1/feedback', operationId: 'reportOutcome', tag: 'feedback', auth: true,
    summary: 'Report how the execution of a served workflow ended',
    body: FeedbackRequestSchema,
    success: { status: 202, schema: 'FeedbackResponse', description: 'Written to praxis.feedback.v1 and folded into the served confidence.' },
    errors: [503],
    handle: ({ core }, r) => core.feedback(r.tenantId, r.body),
  },
  {
    method: 'POST', url: '/v1/steps', operationId: 'ingestSteps', tag: 'ingest', auth: true, ingestBody: true,
    summary: 'Record step events of an agent that is not on Kafka (tenant from the API key)',
    body: IngestStepsRequestSchema,
    success: { status: 202, schema: 'IngestStepsResponse', description: 'Every step validated, redacted and acknowledged by Kafka on praxis.steps.v1; a 400 writes nothing.' },
    errors: [503],
    handle: ({ ingest }, r) => {
      if (!ingest) throw noIngest();
      return ingest.steps(r.tenantId, r.body);
    },
  },
  {
    method: 'POST', url: '/v1/traces', operationId: 'ingestTraces', tag: 'ingest', auth: true, ingestBody: true,
    summary: 'OTLP/HTTP JSON traces: OpenTelemetry GenAI spans become step events (other spans are ignored)',
    body: OtlpTracesRequestSchema,
    success: { status: 200, schema: 'OtlpTracesResponse', description: 'Steps of the usable spans acknowledged by Kafka; partialSuccess lists refused spans. 400 when no span could be used.' },
    errors: [503],
    handle: ({ ingest }, r) => {
      if (!ingest) throw noIngest();
      return ingest.traces(r.tenantId, r.body);
    },
  },
  {
    method: 'GET', url: '/v1/tools', operationId: 'listTools', tag: 'templates', auth: true,
    summary: "The tenant's tool registry (declared in config, or observed in learned templates)",
    success: { status: 200, schema: 'ToolList', description: 'By name.' },
    handle: ({ core }, r) => core.tools(r.tenantId),
  },
  {
    method: 'GET', url: '/v1/stats', operationId: 'tenantStats', tag: 'feedback', auth: true,
    summary: "The tenant's counters since this router started: lookups by tier, outcomes, false hits",
    success: { status: 200, schema: 'TenantStats', description: 'Counters.' },
    handle: ({ core }, r) => core.stats(r.tenantId),
  },
  {
    method: 'GET', url: '/v1/openapi.json', operationId: 'openapi', tag: 'operations', auth: false,
    summary: 'This document',
    success: { status: 200, schema: 'OpenApiDocument', description: 'OpenAPI 3.1; the same as services/router/openapi.json.' },
    handle: (env) => env.openapi(),
  },
  {
    method: 'GET', url: '/healthz', operationId: 'health', tag: 'operations', auth: false,
    summary: 'The process answers',
    success: { status: 200, schema: 'Health', description: 'Alive.' },
    handle: () => ({ status: 'ok' }),
  },
  {
    method: 'GET', url: '/readyz', operationId: 'ready', tag: 'operations', auth: false,
    summary: 'Ready when the index has caught up with the templates topic; reports the lag',
    success: { status: 200, schema: 'Readiness', description: 'Ready (503 with the same body while catching up).' },
    errors: [503],
    handle: (env) => {
      const readiness = env.readiness();
      return readiness.status === 'ready' ? readiness : new Answer(503, readiness);
    },
  },
];
