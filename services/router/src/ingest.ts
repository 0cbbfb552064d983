// Ingest for agents that are not Node or have no Kafka access: POST /v1/steps (our step
// events) and POST /v1/traces (OTLP/HTTP JSON with OpenTelemetry GenAI spans, mapped by the
// same module as `praxis import --format otel`). The tenant is the API key's; every step
// is validated like a record on the topic and redacted; the answer comes only after Kafka
// acknowledged the whole batch, so an accepted step is never lost and a refused batch
// writes nothing.
import { IngestStepSchema, MAX_INGEST_STEPS, OtlpTracesRequestSchema, type IngestStepsResponse, type OtlpTracesResponse } from '@praxis/contracts';
import { otlpSpans, redactStep, runToSteps, spansToRuns } from '@praxis/formats';
import { AgentStepSchema, type AgentStep } from '@praxis/schemas';
import { z } from 'zod';
import { HttpError, parseOr400, withinOr503 } from './http/errors.js';
import { ingestedStepsTotal } from './metrics.js';

/** Where ingested steps go: the steps topic. */
export interface StepSink {
  writeSteps(steps: AgentStep[]): Promise<void>;
}

export interface IngestOptions {
  sink: StepSink;
  writeTimeoutMs?: number;
  clock?: () => number;
}

type Issue = { path: string; message: string };

const MAX_REASONS = 20;

// The envelope first; each step is then checked on its own so that every step's problems
// are reported (the documented per-step schema is IngestStepSchema).
const Envelope = z.object({ steps: z.array(z.unknown()).min(1).max(MAX_INGEST_STEPS) }).strict();

function invalid(code: string, what: string, issues: Issue[]): HttpError {
  const shown = issues.slice(0, MAX_REASONS);
  const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
  return new HttpError(400, code, `${what}: ${shown.map((i) => `${i.path}: ${i.message}`).join('; ')}${more}`, shown);
}

/** Validates a step stamped with the tenant; issues are prefixed with `at`. */
function validStep(tenantId: string, raw: unknown, at: string): { step: AgentStep } | { issues: Issue[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { issues: [{ path: at, message: 'a step is a JSON object' }] };
  const issues: Issue[] = [];
  const where = (path: PropertyKey[]) => [at, ...path.map(String)].join('.');
  if ('tenantId' in raw) issues.push({ path: `${at}.tenantId`, message: 'is set from the API key; leave it out' });
  const { tenantId: _ignored, ...rest } = raw as Record<string, unknown>;
  const strict = IngestStepSchema.safeParse(rest);
  if (!strict.success) for (const i of strict.error.issues) if (i.code === 'unrecognized_keys') issues.push({ path: where(i.path), message: i.message });
  const parsed = AgentStepSchema.safeParse({ ...rest, tenantId });
  if (!parsed.success) issues.push(...parsed.error.issues.map((i) => ({ path: where(i.path), message: i.message })));
  return issues.length === 0 && parsed.success ? { step: redactStep(parsed.data) } : { issues };
}

/** The two ingest endpoints over one sink. */
export class StepIngest {
  private readonly writeTimeout: number;
  private readonly clock: () => number;

  constructor(private readonly options: IngestOptions) {
    this.writeTimeout = options.writeTimeoutMs ?? 10_000;
    this.clock = options.clock ?? Date.now;
  }

  /** POST /v1/steps: all steps valid, or 400 naming each problem and nothing written. */
  async steps(tenantId: string, body: unknown): Promise<IngestStepsResponse> {
    const request = parseOr400(Envelope, body, 'body');
    const steps: AgentStep[] = [];
    const issues: Issue[] = [];
    request.steps.forEach((raw, i) => {
      const v = validStep(tenantId, raw, `steps.${i}`);
      if ('step' in v) steps.push(v.step);
      else issues.push(...v.issues);
    });
    if (issues.length > 0) {
      ingestedStepsTotal.inc({ endpoint: 'steps', result: 'refused' }, request.steps.length);
      throw invalid('invalid_body', 'invalid body', issues);
    }
    await withinOr503(this.options.sink.writeSteps(steps), this.writeTimeout, 'the steps');
    ingestedStepsTotal.inc({ endpoint: 'steps', result: 'accepted' }, steps.length);
    return { accepted: steps.length, tenantId };
  }

  /**
   * POST /v1/traces: GenAI spans become steps (a trace is a run, in its own session); other
   * spans are ignored. Refused spans are reported as OTLP partial success; a request whose
   * GenAI spans are all refused is a 400.
   */
  async traces(tenantId: string, body: unknown): Promise<OtlpTracesResponse> {
    parseOr400(OtlpTracesRequestSchema, body, 'body');
    const read = otlpSpans(body);
    if ('reason' in read) throw invalid('invalid_body', 'invalid body', [{ path: '(root)', message: read.reason }]);
    const mapped = spansToRuns(read.spans);
    const reasons = [...read.errors, ...mapped.errors].map((e) => e.reason);
    const steps: AgentStep[] = [];
    let invalidSteps = 0;
    for (const run of mapped.runs) {
      const { steps: out } = runToSteps(run, { tenantId, agentId: 'otel', baseTimeMs: this.clock(), seqFrom: 'time' });
      for (const raw of out) {
        // Built here with the key's tenant; only what the spans carried can be invalid.
        const parsed = AgentStepSchema.safeParse(raw);
        if (parsed.success) steps.push(redactStep(parsed.data));
        else {
          invalidSteps++;
          reasons.push(...parsed.error.issues.map((i) => `trace ${run.runId}: ${i.path.join('.')}: ${i.message}`));
        }
      }
    }
    if (steps.length === 0 && reasons.length > 0) throw invalid('invalid_spans', 'no span could be used', reasons.map((message) => ({ path: 'resourceSpans', message })));
    if (steps.length > 0) await withinOr503(this.options.sink.writeSteps(steps), this.writeTimeout, 'the steps of these spans');
    ingestedStepsTotal.inc({ endpoint: 'traces', result: 'accepted' }, steps.length);
    if (reasons.length === 0) return {};
    return { partialSuccess: { rejectedSpans: read.errors.length + mapped.errors.length + invalidSteps, errorMessage: reasons.slice(0, MAX_REASONS).join('; ') } };
  }
}
