import { readFileSync } from 'node:fs';
import type { AgentStep } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { HttpError } from './http/errors.js';
import { StepIngest, type StepSink } from './ingest.js';

class Sink implements StepSink {
  written: AgentStep[] = [];
  failing = false;
  async writeSteps(steps: AgentStep[]) {
    if (this.failing) throw new Error('broker down');
    this.written.push(...steps);
  }
}

const step = (seq: number, extra: Record<string, unknown> = {}) => ({ eventId: `e${seq}`, agentId: 'py-bot', sessionId: 's1', seq, kind: 'TOOL_CALL', timestampMs: 1_767_000_000_000 + seq, toolName: 'search', parametersJson: '{"q":"x"}', ...extra });
const otlp = JSON.parse(readFileSync(new URL('../../../test/fixtures/formats/otel-genai.json', import.meta.url), 'utf8'));

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('POST /v1/steps', () => {
  it('stamps the tenant of the key, redacts, and answers after the write', async () => {
    const sink = new Sink();
    const res = await new StepIngest({ sink }).steps('acme', { steps: [{ ...step(0), kind: 'QUERY', toolName: null, parametersJson: null, query: 'my key is sk-abcdefghijklmnopqrstuvwx' }, step(1, { parametersJson: '{"password":"hunter2","q":"x"}' })] });
    expect(res).toEqual({ accepted: 2, tenantId: 'acme' });
    expect(sink.written.map((s) => s.tenantId)).toEqual(['acme', 'acme']);
    expect(JSON.stringify(sink.written)).not.toMatch(/hunter2|sk-abcdefghijklmnop/);
  });

  it('refuses the whole batch with every reason, writing nothing', async () => {
    const sink = new Sink();
    const error = await refusal(new StepIngest({ sink }).steps('acme', { steps: [step(0), step(1, { toolName: null }), step(2, { seq: -1 })] }));
    expect(error.status).toBe(400);
    expect(error.issues).toEqual([
      { path: 'steps.1.toolName', message: 'is required for a TOOL_CALL step' },
      { path: 'steps.2.seq', message: expect.stringMatching(/>= ?0/) },
    ]);
    expect(sink.written).toEqual([]);
  });

  it('refuses a tenantId in the body: the key decides', async () => {
    const error = await refusal(new StepIngest({ sink: new Sink() }).steps('acme', { steps: [step(0, { tenantId: 'globex' })] }));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/tenantId/);
  });

  it('answers 503 when Kafka does not acknowledge', async () => {
    const sink = new Sink();
    sink.failing = true;
    await expect(new StepIngest({ sink }).steps('acme', { steps: [step(0)] })).rejects.toThrow('broker down');
  });
});

describe('POST /v1/traces', () => {
  it('maps GenAI spans to steps with the same mapping as the importer, reporting refused spans as partial success', async () => {
    const sink = new Sink();
    const res = await new StepIngest({ sink }).traces('acme', otlp);
    expect(res.partialSuccess).toEqual({ rejectedSpans: 1, errorMessage: expect.stringContaining('an execute_tool span needs gen_ai.tool.name') });
    const tools = sink.written.filter((s) => s.kind === 'TOOL_CALL');
    expect(tools.map((s) => s.toolName)).toEqual(['search_flights', 'book_flight', 'book_flight', 'search_hotels', 'get_forecast']);
    expect(sink.written.every((s) => s.tenantId === 'acme')).toBe(true);
    expect(new Set(sink.written.map((s) => s.sessionId)).size).toBe(3);
    expect(sink.written.filter((s) => s.kind === 'TASK_END').map((s) => s.taskOutcome)).toEqual(['FAILED']);
  });

  it('is a 400 when it is not OTLP, or when no span could be used', async () => {
    const ingest = new StepIngest({ sink: new Sink() });
    expect((await refusal(ingest.traces('acme', { spans: [] }))).status).toBe(400);
    const onlyBad = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 't', spanId: 's', attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'execute_tool' } }] }] }] }] };
    const error = await refusal(ingest.traces('acme', onlyBad));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/needs gen_ai.tool.name/);
  });

  it('accepts a request of only non-GenAI spans and writes nothing', async () => {
    const sink = new Sink();
    const http = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 't', spanId: 's', name: 'GET /', attributes: [{ key: 'http.request.method', value: { stringValue: 'GET' } }] }] }] }] };
    expect(await new StepIngest({ sink }).traces('acme', http)).toEqual({});
    expect(sink.written).toEqual([]);
  });
});
