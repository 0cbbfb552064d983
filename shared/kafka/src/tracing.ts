// OpenTelemetry tracing of the pipeline: one agent task can be followed from the SDK to the
// router because every record carries its W3C trace context (`traceparent`) in a Kafka header
// and every service continues it (docs/observability.md). Off unless a process starts it:
// `startTracing` registers the SDK globally (a provider, the AsyncLocalStorage context manager
// and the W3C propagator) with an OTLP/HTTP exporter when an endpoint is configured, or with
// the exporter a test hands it. Until then every helper here returns at once, so an untraced
// deployment pays one boolean test per batch.
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Link, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';

export { SpanKind } from '@opentelemetry/api';
export type { Context, Span } from '@opentelemetry/api';

/** The header that carries a record's trace context (W3C Trace Context). */
export const TRACEPARENT = 'traceparent';

/** Links a batch span keeps to the traces of its records; the rest are counted in an attribute. */
export const MAX_LINKS = 32;

export interface TracingOptions {
  /** `service.name` of the process's resource. */
  service: string;
  /** OTLP/HTTP traces endpoint (`.../v1/traces`); spans are batched and sent there. */
  endpoint?: string;
  /** An exporter of one's own (tests: InMemorySpanExporter); spans are handed over one by one. */
  exporter?: SpanExporter;
}

/** A started tracing SDK (or none). */
export interface Tracing {
  readonly enabled: boolean;
  /** Sends what is buffered. */
  flush(): Promise<void>;
  /** Flushes and stops exporting; safe to call more than once. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, flush: async () => undefined, shutdown: async () => undefined };
let current: Tracing = OFF;

/** Whether a tracing SDK runs in this process. */
export const tracingEnabled = (): boolean => current.enabled;

/**
 * Starts tracing for this process when an endpoint or an exporter is given; otherwise (or when
 * it already runs: several services in one process share it) returns the current state.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (current.enabled || (!options.endpoint && !options.exporter)) return current;
  const exporter = options.exporter ?? new OTLPTraceExporter({ url: options.endpoint });
  const processor = options.exporter ? new SimpleSpanProcessor({ exporter }) : new BatchSpanProcessor({ exporter });
  const provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': options.service }), spanProcessors: [processor] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  let stopped: Promise<void> | null = null;
  current = {
    enabled: true,
    flush: () => provider.forceFlush(),
    shutdown: () =>
      (stopped ??= provider.shutdown().finally(() => {
        trace.disable();
        propagation.disable();
        context.disable();
        current = OFF;
      })),
  };
  return current;
}

type HeaderValue = string | Buffer | (string | Buffer | undefined)[] | undefined;

const getter = {
  keys: (carrier: Record<string, HeaderValue>) => Object.keys(carrier),
  get: (carrier: Record<string, HeaderValue>, key: string) => {
    const v = carrier[key];
    const one = Array.isArray(v) ? v[0] : v;
    return one === undefined ? undefined : one.toString();
  },
};

/** The trace context a record's headers carry, or undefined when they carry none (or tracing is off). */
export function contextFromHeaders(headers: Record<string, HeaderValue> | undefined): Context | undefined {
  if (!current.enabled || !headers || getter.get(headers, TRACEPARENT) === undefined) return undefined;
  const ctx = propagation.extract(context.active(), headers, getter);
  return trace.getSpanContext(ctx) ? ctx : undefined;
}

/** The headers (`traceparent`, `tracestate`) that carry `ctx` (default: the active context); empty when tracing is off. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const out: Record<string, string> = {};
  if (current.enabled) propagation.inject(ctx, out);
  return out;
}

/** The tracer of one Praxis component. */
export const tracer = (name: string) => trace.getTracer(`praxis.${name}`);

/** Links to the distinct traces of some records' headers, at most MAX_LINKS. */
export function linksFromHeaders(all: Iterable<Record<string, HeaderValue> | undefined>): { links: Link[]; total: number } {
  const links: Link[] = [];
  const seen = new Set<string>();
  let total = 0;
  if (!current.enabled) return { links, total };
  for (const headers of all) {
    const ctx = contextFromHeaders(headers);
    const sc = ctx && trace.getSpanContext(ctx);
    if (!sc || seen.has(sc.spanId)) continue;
    seen.add(sc.spanId);
    total++;
    if (links.length < MAX_LINKS) links.push({ context: sc });
  }
  return { links, total };
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
  /** Parent; default: the active context. */
  parent?: Context;
}

/**
 * Runs `fn` inside a new span (active for everything `fn` awaits), records a thrown error on
 * it and ends it. With tracing off, just runs `fn`.
 */
export async function inSpan<T>(component: string, name: string, options: SpanOptions, fn: (span: Span | null) => Promise<T>): Promise<T> {
  if (!current.enabled) return fn(null);
  const parent = options.parent ?? context.active();
  const span = tracer(component).startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

/** Starts a span that the caller ends (one that outlives a call, e.g. an agent task); null with tracing off. */
export function startSpan(component: string, name: string, options: SpanOptions): Span | null {
  if (!current.enabled) return null;
  return tracer(component).startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links }, options.parent ?? context.active());
}

/** The context of `span` under `parent` (default: active), to inject or to parent further spans. */
export const contextWith = (span: Span, parent: Context = context.active()): Context => trace.setSpan(parent, span);

/**
 * Starts one span per record that carries a trace context, as the child of that context (a
 * consumer that applies records one by one, e.g. the router's template feed); returns the
 * function that ends them all. A no-op with tracing off.
 */
export function startRecordSpans(component: string, name: string, all: (Record<string, HeaderValue> | undefined)[], attributes: Attributes = {}): (error?: unknown) => void {
  if (!current.enabled) return () => undefined;
  const spans: Span[] = [];
  for (const headers of all) {
    const parent = contextFromHeaders(headers);
    if (parent) spans.push(tracer(component).startSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent));
  }
  return (error) => {
    for (const span of spans) {
      if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      span.end();
    }
  };
}
