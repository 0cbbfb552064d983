// Ingest for agents that are not ours: step events over HTTP, and OTLP/HTTP JSON traces of
// OpenTelemetry GenAI spans (docs/ingest.md). The tenant always comes from the API key.
import { AgentStepSchema } from '@praxis/schemas';
import { z } from 'zod';

export const MAX_INGEST_STEPS = 1_000;

const { tenantId: _tenant, ...stepShape } = AgentStepSchema.shape;

/** One step as an agent sends it: an AgentStep without tenantId (stamped from the API key). */
export const IngestStepSchema = z.object(stepShape).strict().describe('An AgentStep (schemas/avro/agent-step.avsc) without tenantId, which the router stamps from the API key. Per-kind rules apply (a TOOL_CALL needs toolName and parametersJson, ...).');

/** POST /v1/steps: a batch, accepted whole or refused whole. */
export const IngestStepsRequestSchema = z
  .object({ steps: z.array(IngestStepSchema).min(1).max(MAX_INGEST_STEPS).describe(`1 to ${MAX_INGEST_STEPS} steps; ordering within a session is by seq.`) })
  .strict();
export type IngestStepsRequest = z.input<typeof IngestStepsRequestSchema>;

export const IngestStepsResponseSchema = z.object({
  accepted: z.number().int().min(0).describe('Steps written to praxis.steps.v1 and acknowledged by Kafka.'),
  tenantId: z.string().describe('The tenant the steps were recorded for (from the API key).'),
});
export type IngestStepsResponse = z.output<typeof IngestStepsResponseSchema>;

const AnyValue = z.record(z.string(), z.unknown()).describe('OTLP AnyValue: {stringValue} | {intValue} | {doubleValue} | {boolValue} | {arrayValue} | {kvlistValue}.');
const KeyValue = z.object({ key: z.string(), value: AnyValue }).loose();
const OtlpSpan = z
  .object({
    traceId: z.string().describe('Hex trace id: one trace is one agent run.'),
    spanId: z.string(),
    parentSpanId: z.string().optional(),
    name: z.string().optional(),
    startTimeUnixNano: z.union([z.string(), z.number()]).optional(),
    endTimeUnixNano: z.union([z.string(), z.number()]).optional(),
    attributes: z.array(KeyValue).optional().describe('gen_ai.* attributes: gen_ai.operation.name (execute_tool, chat, invoke_agent), gen_ai.tool.name, gen_ai.tool.call.arguments/result, ...'),
    events: z.array(z.object({ name: z.string().optional(), attributes: z.array(KeyValue).optional() }).loose()).optional(),
    status: z.object({ code: z.union([z.number(), z.string()]).optional(), message: z.string().optional() }).loose().optional(),
  })
  .loose();

/** POST /v1/traces: an OTLP/HTTP JSON ExportTraceServiceRequest (only GenAI spans are used; others are ignored). */
export const OtlpTracesRequestSchema = z
  .object({
    resourceSpans: z.array(
      z
        .object({
          resource: z.object({ attributes: z.array(KeyValue).optional() }).loose().optional(),
          scopeSpans: z.array(z.object({ scope: z.record(z.string(), z.unknown()).optional(), spans: z.array(OtlpSpan).optional() }).loose()).optional(),
        })
        .loose(),
    ),
  })
  .loose();

/** The OTLP ExportTraceServiceResponse: empty on full success, partialSuccess when some spans were refused. */
export const OtlpTracesResponseSchema = z.object({
  partialSuccess: z
    .object({ rejectedSpans: z.number().int().min(0), errorMessage: z.string() })
    .optional()
    .describe('Present when some spans were refused; errorMessage gives the reasons.'),
});
export type OtlpTracesResponse = z.output<typeof OtlpTracesResponseSchema>;
