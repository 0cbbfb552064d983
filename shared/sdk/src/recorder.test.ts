import type { AgentStepInput } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { Recorder, StepValidationError, type StepSink } from './recorder.js';

class MemorySink implements StepSink {
  batches: AgentStepInput[][] = [];
  gate: Promise<void> | null = null;
  async send(steps: AgentStepInput[]) {
    await this.gate;
    this.batches.push(steps);
  }
  async close() {}
  get steps() {
    return this.batches.flat();
  }
}

const recorder = (sink: StepSink, extra: Partial<ConstructorParameters<typeof Recorder>[0]> = {}) =>
  new Recorder({ tenantId: 'acme', agentId: 'bot', sink, flushOnExit: false, onWarning: () => undefined, ...extra });

describe('recorder', () => {
  it('numbers steps per session, redacts, and writes them in batches', async () => {
    const sink = new MemorySink();
    const rec = recorder(sink, { batchSize: 2 });
    rec.record({ kind: 'QUERY', sessionId: 's1', query: 'reset my password, token=abc123' });
    rec.record({ kind: 'TOOL_CALL', sessionId: 's1', toolName: 'login', parameters: { user: 'bob', password: 'hunter2' }, result: { sessionToken: 'x', ok: true } });
    rec.record({ kind: 'TOOL_CALL', sessionId: 's2', toolName: 'ping' });
    await rec.flush();
    const steps = sink.steps;
    expect(steps.map((s) => [s.sessionId, s.seq])).toEqual([['s1', 0], ['s1', 1], ['s2', 0]]);
    expect(steps[0]!.query).toBe('reset my password, token=[REDACTED]');
    expect(JSON.parse(steps[1]!.parametersJson!)).toEqual({ user: 'bob', password: '[REDACTED]' });
    expect(JSON.parse(steps[1]!.resultJson!)).toEqual({ sessionToken: '[REDACTED]', ok: true });
    expect(new Set(steps.map((s) => s.eventId)).size).toBe(3);
    expect(sink.batches.map((b) => b.length)).toEqual([2, 1]);
    expect(rec.stats()).toMatchObject({ recorded: 3, sent: 3, dropped: 0, buffered: 0 });
  });

  it('refuses an invalid step at once, and does not consume a sequence number', async () => {
    const sink = new MemorySink();
    const rec = recorder(sink);
    expect(() => rec.record({ kind: 'TOOL_CALL', sessionId: 's1' })).toThrow(StepValidationError);
    expect(() => rec.record({ kind: 'TOOL_CALL', sessionId: 's1' })).toThrow(/toolName: is required/);
    rec.record({ kind: 'TASK_END', sessionId: 's1', taskOutcome: 'SUCCEEDED' });
    await rec.flush();
    expect(sink.steps.map((s) => s.seq)).toEqual([0]);
  });

  it('truncates long results and marks them', async () => {
    const sink = new MemorySink();
    const rec = recorder(sink, { maxResultBytes: 50 });
    rec.record({ kind: 'TOOL_CALL', sessionId: 's', toolName: 't', result: { text: 'x'.repeat(500) } });
    await rec.flush();
    expect(sink.steps[0]).toMatchObject({ resultTruncated: true });
    expect(sink.steps[0]!.resultJson).toHaveLength(50);
  });

  it('drops the oldest buffered steps when the sink is stuck, counts them, and sends the newest later', async () => {
    const sink = new MemorySink();
    let release!: () => void;
    sink.gate = new Promise((r) => (release = r));
    const warnings: string[] = [];
    const rec = recorder(sink, { maxBuffer: 5, batchSize: 2, onWarning: (m) => warnings.push(m) });
    for (let i = 0; i < 12; i++) rec.record({ kind: 'QUERY', sessionId: 's', query: `q${i}` });
    // 2 went out in the first batch (stuck); the buffer keeps the 5 newest of the other 10
    expect(rec.stats()).toMatchObject({ recorded: 12, dropped: 5, buffered: 5, inFlight: 2 });
    expect(warnings[0]).toMatch(/buffer full \(5\): dropping the oldest/);
    release();
    sink.gate = null;
    await rec.flush();
    expect(sink.steps.map((s) => s.query)).toEqual(['q0', 'q1', 'q7', 'q8', 'q9', 'q10', 'q11']);
    expect(rec.stats()).toMatchObject({ sent: 7, dropped: 5, buffered: 0 });
  });

  it('closes within its timeout when the sink never answers, counting what is lost', async () => {
    const sink = new MemorySink();
    sink.gate = new Promise(() => undefined);
    const rec = recorder(sink, { batchSize: 1 });
    rec.record({ kind: 'QUERY', sessionId: 's', query: 'a' });
    rec.record({ kind: 'QUERY', sessionId: 's', query: 'b' });
    const stats = await rec.close(50);
    expect(stats).toMatchObject({ sent: 0, dropped: 1, buffered: 0 });
    expect(() => rec.record({ kind: 'QUERY', sessionId: 's', query: 'c' })).toThrow(/closed/);
  });
});
