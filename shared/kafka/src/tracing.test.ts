import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { kafkaEnvShape, parseConfig, tracesEndpoint } from './config.js';
import { openSendSpans } from './send-spans.js';
import { TraceCarry } from './trace-carry.js';
import { contextFromHeaders, inSpan, linksFromHeaders, MAX_LINKS, startSpan, contextWith, startTracing, traceHeaders, tracingEnabled, TRACEPARENT, type Tracing } from './tracing.js';

describe('tracing off (the default)', () => {
  it('costs nothing and carries nothing', async () => {
    expect(tracingEnabled()).toBe(false);
    expect(traceHeaders()).toEqual({});
    expect(contextFromHeaders({ [TRACEPARENT]: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' })).toBeUndefined();
    expect(openSendSpans('svc', [{ topic: 't' }])).toBeNull();
    expect(await inSpan('x', 'y', {}, async (span) => span)).toBeNull();
  });
});

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => {
    tracing = startTracing({ service: 'unit', exporter });
  });
  afterAll(() => tracing.shutdown());

  it('starts once per process', () => {
    expect(startTracing({ service: 'other', exporter: new InMemorySpanExporter() })).toBe(tracing);
    expect(tracingEnabled()).toBe(true);
  });

  it('round-trips a context through headers', () => {
    const span = startSpan('unit', 'root', {})!;
    const headers = traceHeaders(contextWith(span));
    expect(headers[TRACEPARENT]).toMatch(new RegExp(`^00-${span.spanContext().traceId}-${span.spanContext().spanId}-01$`));
    const back = contextFromHeaders({ [TRACEPARENT]: Buffer.from(headers[TRACEPARENT]!) });
    expect(back).toBeDefined();
    expect(contextFromHeaders({ [TRACEPARENT]: 'garbage' })).toBeUndefined();
    span.end();
  });

  it('opens one send span per parent and topic, and rewrites traceparent to it', () => {
    const a = startSpan('unit', 'a', {})!;
    const b = startSpan('unit', 'b', {})!;
    const ha = traceHeaders(contextWith(a));
    const hb = traceHeaders(contextWith(b));
    const spans = openSendSpans('svc', [{ topic: 't', headers: ha }, { topic: 't', headers: ha }, { topic: 't', headers: hb }])!;
    expect(spans.headers[0]).toEqual(spans.headers[1]);
    expect(spans.headers[0]![TRACEPARENT]).not.toBe(ha[TRACEPARENT]);
    spans.end(new Error('refused'));
    a.end();
    b.end();
    const sends = exporter.getFinishedSpans().filter((s) => s.name === 'send t');
    expect(sends).toHaveLength(2);
    const fromA = sends.find((s) => s.parentSpanContext?.spanId === a.spanContext().spanId)!;
    expect(fromA.spanContext().traceId).toBe(a.spanContext().traceId);
    expect(fromA.attributes['messaging.batch.message_count']).toBe(2);
    expect(fromA.attributes['praxis.service']).toBe('svc');
    expect(fromA.status.code).toBe(2); // ERROR
    expect(contextFromHeaders(spans.headers[2]) && spans.headers[2]![TRACEPARENT]).toContain(b.spanContext().traceId);
  });

  it('links a batch to at most MAX_LINKS distinct traces and counts them all', () => {
    const headers = Array.from({ length: MAX_LINKS + 5 }, () => {
      const s = startSpan('unit', 'r', {})!;
      s.end();
      return traceHeaders(contextWith(s));
    });
    const { links, total } = linksFromHeaders([...headers, headers[0], undefined, {}]);
    expect(links).toHaveLength(MAX_LINKS);
    expect(total).toBe(MAX_LINKS + 5);
  });

  it('carries the trace of an input to a later output by key, forgetting the oldest beyond its bound', () => {
    const carry = new TraceCarry(2);
    carry.note('a', { [TRACEPARENT]: 'tp-a', other: 'x' });
    carry.note('b', { [TRACEPARENT]: 'tp-b' });
    carry.note('none', {});
    carry.note('c', { [TRACEPARENT]: 'tp-c' });
    expect(carry.headersFor('a')).toBeUndefined();
    expect(carry.headersFor(undefined, 'missing', 'b')).toEqual({ [TRACEPARENT]: 'tp-b' });
    expect(carry.headersFor('none')).toBeUndefined();
  });

  it('records an error thrown inside a span and rethrows it', async () => {
    await expect(inSpan('unit', 'failing', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const failed = exporter.getFinishedSpans().find((s) => s.name === 'failing')!;
    expect(failed.status).toMatchObject({ code: 2, message: 'boom' });
  });
});

describe('tracing and stall settings from the environment', () => {
  const schema = z.object(kafkaEnvShape);
  it('parses the OTLP endpoints and the stall bound', () => {
    expect(tracesEndpoint(parseConfig(schema, {}))).toBeUndefined();
    expect(tracesEndpoint(parseConfig(schema, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }))).toBe('http://collector:4318/v1/traces');
    expect(tracesEndpoint(parseConfig(schema, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:4318/custom' }))).toBe('http://t:4318/custom');
    expect(parseConfig(schema, {}).CONSUMER_STALL_AFTER_MS).toBe(60_000);
    expect(parseConfig(schema, { CONSUMER_STALL_AFTER_MS: '5000' }).CONSUMER_STALL_AFTER_MS).toBe(5_000);
    expect(() => parseConfig(schema, { CONSUMER_STALL_AFTER_MS: '0' })).toThrow(/CONSUMER_STALL_AFTER_MS/);
    expect(() => parseConfig(schema, { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});
