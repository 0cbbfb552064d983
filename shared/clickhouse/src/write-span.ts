// A CLIENT span around each ClickHouse write, under whatever span is active (the consumer
// batch or tick that flushes the rows). Through the OpenTelemetry API only: a no-op until a
// process starts tracing (@praxis/kafka startTracing).
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('praxis.clickhouse');

/** Runs one write inside its span. */
export function inWriteSpan<T>(database: string, table: string, rows: number | undefined, bytes: number | undefined, fn: () => Promise<T>): Promise<T> {
  const attributes = { 'db.system.name': 'clickhouse', 'db.namespace': database, 'db.collection.name': table, 'db.operation.name': 'INSERT', ...(rows === undefined ? {} : { 'db.operation.batch.size': rows }), ...(bytes === undefined ? {} : { 'praxis.body_bytes': bytes }) };
  return tracer.startActiveSpan(`INSERT ${database}.${table}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
