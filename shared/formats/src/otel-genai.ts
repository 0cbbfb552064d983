// OpenTelemetry GenAI spans (OTLP/JSON ExportTraceServiceRequest) -> runs. The one mapping
// used by `praxis import --format otel` and the router's `POST /v1/traces`.
// Semantic conventions (gen-ai, development status; docs/ingest.md lists what is read):
// a trace is a run; `execute_tool` spans are its tool calls (gen_ai.tool.name,
// gen_ai.tool.call.id / .arguments / .result, span status and error.type for failures);
// when a trace has no execute_tool span, the `tool_call` / `tool_call_response` parts of its
// chat spans' messages are; `chat` and `invoke_agent` spans give the query (first user message of
// gen_ai.input.messages, or the older gen_ai.prompt.N.* attributes), the model, the agent
// (gen_ai.agent.name / id) and, by an ERROR status on the agent span, a failed outcome.
// Spans of a trace may come in several requests: event ids and seq derive from span ids and
// times, so steps of one trace from different requests land in one session, once each.
import { argumentsObject, isPlainObject, makeCall, makeRun, parseJsonText, resultValue, type ImportedRun, type ImportedToolCall, type ReadError, type RunOutcome } from './run.js';
import { errorFromText, type ErrorTextOptions } from './tool-error.js';

type Attributes = Record<string, unknown>;

interface Span {
  traceId: string;
  spanId: string;
  name: string;
  startMs: number | null;
  endMs: number | null;
  attributes: Attributes;
  resource: Attributes;
  status: { code: number; message: string | null };
  events: { name: string; attributes: Attributes }[];
  line: number;
}

export interface OtelOptions extends ErrorTextOptions {
  agentId?: string | null;
}

/** Result of mapping: runs, refused spans with a path-like reason, and non-GenAI spans skipped. */
export interface OtelResult {
  runs: ImportedRun[];
  errors: ReadError[];
  spans: number;
  ignoredSpans: number;
}

const TOOL_OPERATIONS = new Set(['execute_tool']);
const MODEL_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content']);
const AGENT_OPERATIONS = new Set(['invoke_agent', 'invoke_workflow']);
const STATUS_ERROR = 2;

/** A JSON value for an OTLP AnyValue ({stringValue}, {intValue}, {arrayValue: {values}}, ...). */
export function anyValue(v: unknown): unknown {
  if (!isPlainObject(v)) return null;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('bytesValue' in v) return v.bytesValue;
  if (isPlainObject(v.arrayValue)) return ((v.arrayValue.values as unknown[]) ?? []).map(anyValue);
  if (isPlainObject(v.kvlistValue)) return keyValues(v.kvlistValue.values);
  return null;
}

function keyValues(list: unknown): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) if (isPlainObject(kv) && typeof kv.key === 'string') Object.defineProperty(out, kv.key, { value: anyValue(kv.value), enumerable: true, writable: true, configurable: true });
  return out;
}

function nanosToMs(v: unknown): number | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const s = String(v);
  if (!/^\d+$/.test(s)) return null;
  return s.length > 6 ? Number(s.slice(0, -6)) : 0;
}

function statusCode(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'STATUS_CODE_ERROR') return STATUS_ERROR;
  if (v === 'STATUS_CODE_OK') return 1;
  return 0;
}

/** The spans of one ExportTraceServiceRequest, or the reason it is not one. */
export function otlpSpans(request: unknown, line = 1): { spans: Span[]; errors: ReadError[] } | { reason: string } {
  if (!isPlainObject(request) || !Array.isArray(request.resourceSpans)) return { reason: 'not an OTLP traces request (no resourceSpans list)' };
  const spans: Span[] = [];
  const errors: ReadError[] = [];
  for (const [r, rs] of request.resourceSpans.entries()) {
    if (!isPlainObject(rs)) return { reason: `resourceSpans[${r}] is not an object` };
    const resource = keyValues(isPlainObject(rs.resource) ? rs.resource.attributes : undefined);
    for (const [s, ss] of (Array.isArray(rs.scopeSpans) ? rs.scopeSpans : []).entries()) {
      for (const [k, span] of (isPlainObject(ss) && Array.isArray(ss.spans) ? ss.spans : []).entries()) {
        const where = `resourceSpans[${r}].scopeSpans[${s}].spans[${k}]`;
        if (!isPlainObject(span) || typeof span.traceId !== 'string' || span.traceId === '' || typeof span.spanId !== 'string' || span.spanId === '') {
          errors.push({ line, reason: `${where}: a span needs traceId and spanId` });
          continue;
        }
        const status = isPlainObject(span.status) ? span.status : {};
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          name: typeof span.name === 'string' ? span.name : '',
          startMs: nanosToMs(span.startTimeUnixNano),
          endMs: nanosToMs(span.endTimeUnixNano),
          attributes: keyValues(span.attributes),
          resource,
          status: { code: statusCode(status.code), message: typeof status.message === 'string' && status.message !== '' ? status.message : null },
          events: (Array.isArray(span.events) ? span.events : []).filter(isPlainObject).map((e) => ({ name: typeof e.name === 'string' ? e.name : '', attributes: keyValues(e.attributes) })),
          line,
        });
      }
    }
  }
  return { spans, errors };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

function operation(span: Span): string | null {
  const op = str(span.attributes['gen_ai.operation.name']);
  if (op) return op;
  if (str(span.attributes['gen_ai.tool.name'])) return 'execute_tool';
  return null;
}

/** A messages attribute (JSON text or a structured value) as a list, or null. */
function messagesOf(span: Span, key: string): Record<string, unknown>[] | null {
  const raw = span.attributes[key];
  const parsed = typeof raw === 'string' ? parseJsonText(raw) : { ok: true as const, value: raw };
  return parsed.ok && Array.isArray(parsed.value) ? parsed.value.filter(isPlainObject) : null;
}

/** The first user message's text in gen_ai.input.messages (parts) or gen_ai.prompt.N.* attributes. */
function userQuery(span: Span): string | null {
  const messages = messagesOf(span, 'gen_ai.input.messages');
  if (messages) {
    for (const m of messages) {
      if (!isPlainObject(m) || m.role !== 'user') continue;
      if (typeof m.content === 'string') return m.content;
      const parts = Array.isArray(m.parts) ? m.parts : [];
      const text = parts.filter((p) => isPlainObject(p) && p.type === 'text').map((p) => String((p as Attributes).content ?? (p as Attributes).text ?? ''));
      if (text.length > 0) return text.join('\n');
    }
  }
  for (let i = 0; i < 100; i++) {
    const role = span.attributes[`gen_ai.prompt.${i}.role`];
    if (role === undefined) break;
    if (role === 'user') return str(span.attributes[`gen_ai.prompt.${i}.content`]);
  }
  return null;
}

function toolError(span: Span, result: unknown, options: OtelOptions): { type: string | null; message: string } | null {
  const exception = span.events.find((e) => e.name === 'exception' || e.name.endsWith('.exception'));
  const type = str(span.attributes['error.type']) ?? str(exception?.attributes['exception.type']);
  if (span.status.code === STATUS_ERROR || type !== null) {
    return { type, message: span.status.message ?? str(exception?.attributes['exception.message']) ?? type ?? 'the span ended with an error status' };
  }
  return span.status.code === 0 ? errorFromText(result, options) : null;
}

/**
 * Calls read from chat spans' messages, for instrumentations that trace model calls only:
 * `tool_call` parts ({id, name, arguments}) of assistant messages, answered by
 * `tool_call_response` parts ({id, response}) of later input messages. Ordered by first
 * appearance; a call is dated by the span that first shows it.
 */
function callsFromMessages(spans: Span[], options: OtelOptions): ImportedToolCall[] {
  const calls = new Map<string, ImportedToolCall>();
  const responses = new Map<string, unknown>();
  for (const span of spans) {
    for (const key of ['gen_ai.input.messages', 'gen_ai.output.messages']) {
      for (const m of messagesOf(span, key) ?? []) {
        for (const part of Array.isArray(m.parts) ? m.parts.filter(isPlainObject) : []) {
          const id = str(part.id);
          if (part.type === 'tool_call' && id && str(part.name) && !calls.has(id)) {
            calls.set(id, makeCall({ name: str(part.name)!, arguments: argumentsObject(part.arguments), result: null, callId: id, startedAtMs: span.endMs ?? span.startMs }));
          }
          if (part.type === 'tool_call_response' && id && !responses.has(id)) responses.set(id, part.response ?? part.result ?? null);
        }
      }
    }
  }
  for (const [id, call] of calls) {
    if (!responses.has(id)) continue;
    call.result = resultValue(responses.get(id));
    call.error = errorFromText(call.result, options);
  }
  return [...calls.values()];
}

/** Runs of the given spans: one per trace that has at least one GenAI span. */
export function spansToRuns(spans: Span[], options: OtelOptions = {}): OtelResult {
  const errors: ReadError[] = [];
  const byTrace = new Map<string, Span[]>();
  let ignored = 0;
  for (const span of spans) {
    if (operation(span) === null) {
      ignored++;
      continue;
    }
    const list = byTrace.get(span.traceId) ?? [];
    list.push(span);
    byTrace.set(span.traceId, list);
  }
  const runs: ImportedRun[] = [];
  for (const [traceId, list] of byTrace) {
    list.sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0) || (a.spanId < b.spanId ? -1 : 1));
    let query: string | null = null;
    let model: string | null = null;
    let agentId: string | null = null;
    let taskId: string | null = null;
    let outcome: RunOutcome | null = null;
    let error: string | null = null;
    const calls: ImportedToolCall[] = [];
    for (const span of list) {
      const op = operation(span)!;
      const a = span.attributes;
      taskId ??= str(a['praxis.task.id']);
      if (TOOL_OPERATIONS.has(op)) {
        const name = str(a['gen_ai.tool.name']) ?? (span.name.startsWith('execute_tool ') ? span.name.slice('execute_tool '.length) : null);
        if (!name) {
          errors.push({ line: span.line, reason: `span ${span.spanId} of trace ${traceId}: an execute_tool span needs gen_ai.tool.name` });
          continue;
        }
        const rawArgs = a['gen_ai.tool.call.arguments'];
        let args: Record<string, unknown> = {};
        if (typeof rawArgs === 'string' && rawArgs !== '') {
          const parsed = parseJsonText(rawArgs);
          if (!parsed.ok || !isPlainObject(parsed.value)) {
            errors.push({ line: span.line, reason: `span ${span.spanId} of trace ${traceId}: gen_ai.tool.call.arguments is not a JSON object` });
            continue;
          }
          args = parsed.value;
        } else if (isPlainObject(rawArgs)) args = rawArgs;
        const result = 'gen_ai.tool.call.result' in a ? resultValue(a['gen_ai.tool.call.result']) : null;
        calls.push(
          makeCall({
            name,
            arguments: args,
            result,
            error: toolError(span, result, options),
            callId: span.spanId,
            startedAtMs: span.startMs,
            durationMs: span.startMs !== null && span.endMs !== null ? Math.max(0, span.endMs - span.startMs) : null,
          }),
        );
      } else {
        query ??= userQuery(span);
        if (MODEL_OPERATIONS.has(op)) model ??= str(a['gen_ai.response.model']) ?? str(a['gen_ai.request.model']);
        agentId ??= str(a['gen_ai.agent.name']) ?? str(a['gen_ai.agent.id']);
        if (AGENT_OPERATIONS.has(op) && span.status.code === STATUS_ERROR) {
          outcome = 'FAILED';
          error = span.status.message ?? str(a['error.type']) ?? 'the agent span ended with an error status';
        }
        const stated = str(a['praxis.task.outcome'])?.toUpperCase();
        if (stated === 'SUCCEEDED' || stated === 'FAILED' || stated === 'ABANDONED') outcome = stated;
      }
    }
    // No execute_tool span in the trace: the calls are only in the model's messages.
    if (!list.some((span) => TOOL_OPERATIONS.has(operation(span)!))) calls.push(...callsFromMessages(list, options));
    const first = list[0]!;
    runs.push(
      makeRun({
        runId: traceId,
        line: first.line,
        query,
        ...(taskId ? { taskId } : {}),
        agentId: agentId ?? str(first.resource['service.name']) ?? options.agentId ?? null,
        calls,
        outcome,
        error,
        model,
        startedAtMs: first.startMs,
      }),
    );
  }
  return { runs, errors, spans: spans.length, ignoredSpans: ignored };
}

/** Maps one or more ExportTraceServiceRequests (a JSON document, or one per line as the collector's file exporter writes). */
export function readOtel(text: string, options: OtelOptions = {}): OtelResult {
  const spans: Span[] = [];
  const errors: ReadError[] = [];
  const whole = parseJsonText(text);
  const docs: { line: number; value: unknown }[] = [];
  if (whole.ok) docs.push({ line: 1, value: whole.value });
  else
    for (const [i, raw] of text.split('\n').entries()) {
      if (raw.trim() === '') continue;
      const parsed = parseJsonText(raw);
      if (!parsed.ok) errors.push({ line: i + 1, reason: `not JSON (${parsed.reason})` });
      else docs.push({ line: i + 1, value: parsed.value });
    }
  for (const doc of docs) {
    const got = otlpSpans(doc.value, doc.line);
    if ('reason' in got) errors.push({ line: doc.line, reason: got.reason });
    else {
      spans.push(...got.spans);
      errors.push(...got.errors);
    }
  }
  const mapped = spansToRuns(spans, options);
  return { ...mapped, errors: [...errors, ...mapped.errors] };
}
