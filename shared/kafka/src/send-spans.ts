// The PRODUCER spans of one PraxisProducer.send(): one per distinct parent among the records
// (the trace context a record already carries, else the active one, e.g. the batch being
// handled), and each record's `traceparent` rewritten to its send span, so the consumer of
// the record continues the trace from the send.
import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { contextFromHeaders, traceHeaders, tracer, tracingEnabled } from './tracing.js';

export interface SendSpans {
  /** Headers to merge into each record (same order as given). */
  headers: Record<string, string>[];
  /** Ends every span; with the error when the send failed. */
  end(error?: unknown): void;
}

/** Opens the send spans of some records; null when tracing is off or there is nothing to trace. */
export function openSendSpans(service: string, records: { topic: string; headers?: Record<string, string | Buffer> }[]): SendSpans | null {
  if (!tracingEnabled() || records.length === 0) return null;
  const byParent = new Map<string, { span: Span; ctx: Context; count: number }>();
  const headers = records.map((r) => {
    const parent = contextFromHeaders(r.headers) ?? context.active();
    const id = `${trace.getSpanContext(parent)?.spanId ?? 'root'}|${r.topic}`;
    let entry = byParent.get(id);
    if (!entry) {
      const span = tracer('kafka').startSpan(`send ${r.topic}`, { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': r.topic, 'praxis.service': service } }, parent);
      entry = { span, ctx: trace.setSpan(parent, span), count: 0 };
      byParent.set(id, entry);
    }
    entry.count++;
    return traceHeaders(entry.ctx);
  });
  return {
    headers,
    end(error) {
      for (const { span, count } of byParent.values()) {
        span.setAttribute('messaging.batch.message_count', count);
        if (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        }
        span.end();
      }
    },
  };
}
