import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat, readRuns } from './read.js';
import { redactStep, redactTrajectory } from './redact.js';
import { runToSteps } from './run.js';

// Hand-made samples of the public wire formats: test/fixtures/formats/README.md.
const sample = (name: string) => readFileSync(new URL(`../../../test/fixtures/formats/${name}`, import.meta.url), 'utf8');

describe('OpenAI chat-completions messages', () => {
  const { runs, errors, format } = readRuns(sample('openai-chat.jsonl'), { format: 'auto', source: 'openai-chat.jsonl' });

  it('is detected, and bad lines are named', () => {
    expect(format).toBe('openai');
    expect(errors).toEqual([
      { line: 4, reason: 'messages[1] answers tool_call_id "call_missing", which no assistant message called' },
      { line: 5, reason: expect.stringMatching(/^not JSON/) },
    ]);
  });

  it('joins tool_calls to tool results by id, parallel calls included; text errors are errors', () => {
    const [refund] = runs;
    expect(refund).toMatchObject({ runId: 'chatcmpl-run-1', taskId: 'refund-1', model: 'gpt-4o-2024-08-06', outcome: 'SUCCEEDED', query: 'Refund order #A7301942, the lamp arrived broken.' });
    expect(refund!.calls.map((c) => [c.name, c.callId])).toEqual([['lookup_order', 'call_9fQx1'], ['issue_refund', 'call_Ab7'], ['send_note', 'call_Ab8']]);
    expect(refund!.calls[0]!.arguments).toEqual({ order_id: '#A7301942' });
    expect(refund!.calls[0]!.result).toMatchObject({ status: 'delivered', payment_method_id: 'credit_card_4421' });
    expect(refund!.calls[1]!.result).toBe('Refund of 137.28 issued to credit_card_4421.');
    expect(refund!.calls[1]!.error).toBeNull();
    expect(refund!.calls[2]!.error).toEqual({ type: null, message: 'Error: note service unavailable' });
  });

  it('reads content parts, a bare message list and the legacy function_call', () => {
    expect(runs[1]).toMatchObject({ query: "What's the weather in Paris?", outcome: null, calls: [{ name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' }, result: { temperature: 14, conditions: 'cloudy' } }] });
    expect(runs[2]).toMatchObject({ outcome: 'SUCCEEDED', calls: [{ name: 'convert_currency', arguments: { amount: 20, from: 'USD', to: 'EUR' }, result: '18.42' }] });
  });
});

describe('Anthropic tool_use / tool_result blocks', () => {
  const { runs, errors, format } = readRuns(sample('anthropic-messages.jsonl'), { format: 'auto', source: 'a.jsonl' });

  it('is detected, and a result that answers no call is refused by line', () => {
    expect(format).toBe('anthropic');
    expect(errors).toEqual([{ line: 3, reason: 'messages[1].content[0] answers tool_use_id "toolu_nope", which no tool_use called' }]);
  });

  it('reads calls, results and is_error', () => {
    expect(runs[0]).toMatchObject({ runId: 'msg_run_a1', query: 'Find the invoice for ACME Corp from March and email it to jo@example.com', model: 'claude-3-5-sonnet-20241022' });
    expect(runs[0]!.calls).toMatchObject([
      { name: 'search_invoices', arguments: { customer: 'ACME Corp', month: '2024-03' }, result: [{ invoice_id: 'INV-3391', total: 1200.5 }], error: null, callId: 'toolu_01A09q90qw90lq917835lq9' },
      { name: 'send_email', result: 'SMTP relay refused the recipient', error: { type: null, message: 'SMTP relay refused the recipient' } },
    ]);
    expect(runs[1]).toMatchObject({ taskId: 'tickets-blue', outcome: 'FAILED', query: 'How many open tickets does team Blue have?', calls: [{ name: 'count_tickets', result: '17' }] });
  });
});

describe('OpenTelemetry GenAI spans (OTLP JSON)', () => {
  const { runs, errors, format } = readRuns(sample('otel-genai.json'), { format: 'auto', source: 'otel.json' });

  it('is detected; a trace is a run; non-GenAI spans are ignored and a tool span without a name is refused', () => {
    expect(format).toBe('otel');
    expect(runs.map((r) => r.runId)).toEqual(['5b8efff798038103d269b633813fc60c', '0af7651916cd43dd8448eb211c80319c', '4bf92f3577b34da6a3ce929d0e0e4736']);
    expect(errors).toEqual([{ line: 1, reason: 'span b000000000000004 of trace 0af7651916cd43dd8448eb211c80319c: an execute_tool span needs gen_ai.tool.name' }]);
  });

  it('maps execute_tool spans to calls in time order, with arguments, results, status errors and times', () => {
    const [flight] = runs;
    expect(flight).toMatchObject({ agentId: 'travel', model: 'gpt-4o-2024-08-06', query: 'Book the cheapest flight from SFO to JFK on 2024-12-20', outcome: null, startedAtMs: 1733065200000 });
    expect(flight!.calls).toMatchObject([
      { name: 'search_flights', arguments: { from: 'SFO', to: 'JFK', date: '2024-12-20' }, result: [{ flight: 'UA 523', price: 189 }, { flight: 'B6 416', price: 214 }], error: null, startedAtMs: 1733065201300, durationMs: 800 },
      { name: 'book_flight', error: { type: 'PaymentDeclined', message: 'card declined' } },
      { name: 'book_flight', arguments: { flight: 'UA 523', payment: 'points' }, result: 'confirmed: PNR K2X9QL', error: null },
    ]);
  });

  it('reads older prompt attributes, kvlist arguments, exception events and a failed agent span', () => {
    expect(runs[1]).toMatchObject({ taskId: 'hotel-nyc', query: 'Find a hotel near Times Square for Dec 20-22', outcome: 'FAILED', error: 'gave up after tool failures' });
    expect(runs[1]!.calls).toMatchObject([{ name: 'search_hotels', arguments: { near: 'Times Square', nights: 2 }, error: { type: 'TimeoutError', message: 'upstream timed out after 500ms' } }]);
  });

  it('reads calls from chat messages when a trace has no execute_tool span', () => {
    expect(runs[2]).toMatchObject({ agentId: 'weather-bot', model: 'gpt-4o-mini', query: 'Should I take an umbrella in Lyon tomorrow?' });
    expect(runs[2]!.calls).toMatchObject([{ name: 'get_forecast', callId: 'call_lyon1', arguments: { city: 'Lyon', day: 'tomorrow' }, result: { rain_probability: 0.8 }, error: null, startedAtMs: 1733065300700 }]);
  });

  it('gives steps whose ids and seq come from spans and times, so a trace split over requests lands once, in order', () => {
    const steps = runToSteps(runs[0]!, { tenantId: 't', agentId: 'a', baseTimeMs: 0, seqFrom: 'time' }).steps;
    expect(steps.map((s) => s.kind)).toEqual(['QUERY', 'TOOL_CALL', 'TOOL_CALL', 'TOOL_CALL']);
    expect(steps.map((s) => s.timestampMs)).toEqual([1733065200000, 1733065201300, 1733065203000, 1733065205000]);
    const seqs = steps.map((s) => s.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const alone = runToSteps({ ...runs[0]!, query: null, calls: runs[0]!.calls.slice(2) }, { tenantId: 't', agentId: 'a', baseTimeMs: 0, seqFrom: 'time' }).steps;
    expect(alone[0]!.eventId).toBe(steps[3]!.eventId);
    expect(alone[0]!.seq).toBeGreaterThan(steps[2]!.seq);
  });
});

describe('format detection', () => {
  it('tells formats apart from their first records', () => {
    expect(detectFormat('{"kind":"QUERY","seq":0}\n')).toEqual({ format: 'jsonl' });
    expect(detectFormat("{'input': 'q', 'intermediate_steps': []}\n")).toEqual({ format: 'langchain' });
    expect(detectFormat('query,full_response\n"q","{\'intermediate_steps\': []}"\n')).toEqual({ format: 'langchain' });
    expect(detectFormat('{"resourceSpans": []}')).toEqual({ format: 'otel' });
    expect(detectFormat('{"hello": 1}\n')).toMatchObject({ reason: expect.stringMatching(/pass --format/) });
    expect(detectFormat('a,b\n1,2\n')).toMatchObject({ reason: expect.stringMatching(/pass --format/) });
  });
});

describe('runToSteps', () => {
  const [run] = readRuns(sample('openai-chat.jsonl'), { format: 'openai', source: 'o' }).runs;

  it('gives a QUERY, one TOOL_CALL per call and a TASK_END when the outcome is known; text results stay JSON strings', () => {
    const { steps } = runToSteps(run!, { tenantId: 'acme', agentId: 'bot', baseTimeMs: 1_000 });
    expect(steps.map((s) => [s.kind, s.seq, s.timestampMs])).toEqual([['QUERY', 0, 1000], ['TOOL_CALL', 1, 2000], ['TOOL_CALL', 2, 3000], ['TOOL_CALL', 3, 4000], ['TASK_END', 4, 5000]]);
    expect(new Set(steps.map((s) => s.sessionId)).size).toBe(1);
    expect(steps.every((s) => s.taskId === 'refund-1' && s.tenantId === 'acme' && s.agentId === 'bot')).toBe(true);
    expect(JSON.parse(steps[2]!.resultJson!)).toBe('Refund of 137.28 issued to credit_card_4421.');
    expect(steps[3]).toMatchObject({ status: 'ERROR', errorMessage: 'Error: note service unavailable' });
    expect(steps[4]).toMatchObject({ taskOutcome: 'SUCCEEDED' });
  });

  it('redacts our own records with the one ingest redaction', () => {
    const step = redactStep({ query: 'token sk-abcdefghijklmnopqrstuvwx', parametersJson: '{"password":"hunter2","q":1}', resultJson: 'cut {"api_key": "x', errorMessage: 'Bearer abc.def.ghi' });
    expect(JSON.stringify(step)).not.toMatch(/hunter2|sk-abcdefghijklmnop|abc\.def/);
    expect(JSON.parse(step.parametersJson!)).toEqual({ password: '[REDACTED]', q: 1 });
    const t = redactTrajectory({ query: 'password=hunter2', steps: [{ parametersJson: '{"secret":"s3"}', errorMessage: null }] });
    expect(JSON.stringify(t)).not.toMatch(/hunter2|s3/);
  });

  it('passes every text through the redactor it is given', () => {
    const { steps } = runToSteps(run!, { tenantId: 'acme', agentId: 'bot', baseTimeMs: 0, redact: (v) => JSON.parse(JSON.stringify(v).replaceAll('credit_card_4421', '[REDACTED]')) });
    expect(steps.map((s) => JSON.stringify(s)).join('\n')).not.toContain('credit_card_4421');
  });
});
