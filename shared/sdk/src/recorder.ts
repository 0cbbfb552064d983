// The step recorder: record(step) redacts, numbers and buffers a step and returns at once;
// a background loop writes batches to praxis.steps.v1. Memory is bounded: when the buffer
// is full (Kafka unreachable or slow), the OLDEST buffered step is dropped, counted and
// warned about (docs/sdk.md, "Recorder").
import { randomUUID } from 'node:crypto';
import { AgentStepSchema, formatIssues, parseSealed, type AgentStepInput } from '@praxis/schemas';
import { Redactor, type RedactionOptions } from '@praxis/core';

/** A step as an agent describes it; the recorder fills ids, order, time and JSON text. */
export interface StepInput {
  kind: 'QUERY' | 'TOOL_CALL' | 'LLM_CALL' | 'TASK_END';
  sessionId: string;
  taskId?: string;
  /** Defaults to the recorder's agent. */
  agentId?: string;
  timestampMs?: number;
  query?: string;
  toolName?: string;
  parameters?: Record<string, unknown>;
  result?: unknown;
  status?: 'OK' | 'ERROR';
  errorType?: string;
  errorMessage?: string;
  durationMs?: number;
  model?: string;
  promptTokens?: number;
  completionTokens?: number;
  taskOutcome?: 'SUCCEEDED' | 'FAILED' | 'ABANDONED';
  templateId?: string;
  attributes?: Record<string, string>;
}

/** Where batches go: a Kafka producer in production (kafkaStepSink), anything in tests. */
export interface StepSink {
  /** Resolves when the steps are durable; may wait out an outage. */
  send(steps: AgentStepInput[]): Promise<void>;
  close(): Promise<void>;
}

export interface RecorderOptions {
  tenantId: string;
  agentId: string;
  sink: StepSink;
  /** Steps held in memory at most (buffered, not yet handed to the sink). */
  maxBuffer?: number;
  /** Steps per send. */
  batchSize?: number;
  /** A partial batch is sent after this long. */
  flushIntervalMs?: number;
  /** Longer results are cut (and marked resultTruncated). */
  maxResultBytes?: number;
  redaction?: RedactionOptions;
  /** Called for every warning (drops, failed sends), at most once per `warnEveryMs` per kind. */
  onWarning?: (message: string, details: Record<string, unknown>) => void;
  warnEveryMs?: number;
  /** Flush on process beforeExit (default true). */
  flushOnExit?: boolean;
  /** Flush on SIGTERM/SIGINT, then let the signal's default happen (default false). */
  flushOnSignals?: boolean;
}

/** Counters of a recorder since it started. */
export interface RecorderStats {
  recorded: number;
  sent: number;
  /** Dropped because the buffer was full (oldest first). */
  dropped: number;
  /** Handed to the sink, which failed them for good. */
  failed: number;
  buffered: number;
  inFlight: number;
}

/** Thrown by record() for a step that can never be valid (the caller's bug): nothing is buffered. */
export class StepValidationError extends Error {
  override name = 'StepValidationError';
}

export class Recorder {
  private readonly redactor: Redactor;
  private buffer: AgentStepInput[] = [];
  private readonly seqs = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  private closed = false;
  private readonly counts = { recorded: 0, sent: 0, dropped: 0, failed: 0, inFlight: 0 };
  private readonly lastWarning = new Map<string, number>();
  private readonly detach: (() => void)[] = [];

  constructor(private readonly options: RecorderOptions) {
    this.redactor = new Redactor(options.redaction);
    if (options.flushOnExit ?? true) {
      const onExit = () => void this.flush();
      process.on('beforeExit', onExit);
      this.detach.push(() => process.off('beforeExit', onExit));
    }
    if (options.flushOnSignals) {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        const onSignal = () => {
          this.detach.forEach((d) => d());
          void this.close().finally(() => process.kill(process.pid, signal));
        };
        process.once(signal, onSignal);
        this.detach.push(() => process.off(signal, onSignal));
      }
    }
  }

  private get maxBuffer() {
    return this.options.maxBuffer ?? 10_000;
  }

  private get batchSize() {
    return this.options.batchSize ?? 500;
  }

  /** Redacts, numbers and buffers a step; never waits for Kafka. Throws StepValidationError for an invalid step. */
  record(step: StepInput): void {
    if (this.closed) throw new StepValidationError('the recorder is closed');
    const event = this.toEvent(step);
    // sealed: the sink's producer trusts this parse instead of repeating it (schemas/src/sealed.ts)
    const parsed = parseSealed(AgentStepSchema, event);
    if (!parsed.success) {
      this.seqs.set(step.sessionId, (this.seqs.get(step.sessionId) ?? 1) - 1);
      throw new StepValidationError(`invalid ${step.kind} step: ${formatIssues(parsed.error)}`);
    }
    if (this.buffer.length >= this.maxBuffer) {
      this.buffer.shift();
      this.counts.dropped++;
      this.warn('dropped', `step buffer full (${this.maxBuffer}): dropping the oldest steps; is Kafka reachable?`, { dropped: this.counts.dropped });
    }
    this.buffer.push(parsed.data);
    this.counts.recorded++;
    if (this.buffer.length >= this.batchSize) this.kick();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.kick();
      }, this.options.flushIntervalMs ?? 100);
      this.timer.unref();
    }
  }

  /** Sends everything buffered so far; resolves when the sink has acknowledged it (or failed it). */
  async flush(): Promise<void> {
    while (this.buffer.length > 0 || this.sending) {
      this.kick();
      await this.sending;
    }
  }

  /**
   * Flushes (bounded by `timeoutMs`), then closes the sink. Steps still unsent after the
   * timeout are counted as dropped.
   */
  async close(timeoutMs = 10_000): Promise<RecorderStats> {
    if (this.closed) return this.stats();
    this.closed = true;
    this.detach.forEach((d) => d());
    if (this.timer) clearTimeout(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const flushed = await Promise.race([this.flush().then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)))]);
    clearTimeout(timer);
    if (!flushed) {
      const lost = this.buffer.length + this.counts.inFlight;
      this.counts.dropped += this.buffer.length;
      this.buffer = [];
      this.warn('close_timeout', `recorder closed before Kafka acknowledged ${lost} step(s)`, { lost });
    }
    await Promise.race([this.options.sink.close(), new Promise((r) => setTimeout(r, 2_000).unref())]).catch(() => undefined);
    return this.stats();
  }

  stats(): RecorderStats {
    return { ...this.counts, buffered: this.buffer.length };
  }

  private kick(): void {
    if (this.sending || this.buffer.length === 0) return;
    this.sending = (async () => {
      while (this.buffer.length > 0) {
        const batch = this.buffer.splice(0, this.batchSize);
        this.counts.inFlight = batch.length;
        try {
          await this.options.sink.send(batch);
          this.counts.sent += batch.length;
        } catch (error) {
          this.counts.failed += batch.length;
          this.warn('send_failed', `could not write ${batch.length} step(s): ${(error as Error).message}`, { failed: this.counts.failed });
        } finally {
          this.counts.inFlight = 0;
        }
      }
    })().finally(() => {
      this.sending = null;
    });
  }

  private warn(kind: string, message: string, details: Record<string, unknown>): void {
    const now = Date.now();
    if (now - (this.lastWarning.get(kind) ?? 0) < (this.options.warnEveryMs ?? 5_000)) return;
    this.lastWarning.set(kind, now);
    (this.options.onWarning ?? ((m, d) => process.emitWarning(`${m} ${JSON.stringify(d)}`, 'PraxisRecorderWarning')))(message, details);
  }

  private nextSeq(sessionId: string): number {
    const seq = this.seqs.get(sessionId) ?? 0;
    this.seqs.set(sessionId, seq + 1);
    if (this.seqs.size > 50_000) this.seqs.delete(this.seqs.keys().next().value!);
    return seq;
  }

  private toEvent(step: StepInput): AgentStepInput {
    const r = this.redactor;
    let resultJson: string | null = null;
    let resultTruncated = false;
    if (step.result !== undefined) {
      resultJson = JSON.stringify(r.value(step.result)) ?? null;
      const max = this.options.maxResultBytes ?? 16_384;
      if (resultJson !== null && resultJson.length > max) {
        resultJson = resultJson.slice(0, max);
        resultTruncated = true;
      }
    }
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.attributes ?? {})) attributes[k] = r.isSecretKey(k) ? r.replacement : r.text(v);
    return {
      eventId: randomUUID(),
      tenantId: this.options.tenantId,
      agentId: step.agentId ?? this.options.agentId,
      sessionId: step.sessionId,
      taskId: step.taskId ?? null,
      seq: this.nextSeq(step.sessionId),
      kind: step.kind,
      timestampMs: step.timestampMs ?? Date.now(),
      query: step.query === undefined ? null : r.text(step.query),
      toolName: step.toolName ?? null,
      parametersJson: step.parameters === undefined ? (step.kind === 'TOOL_CALL' ? '{}' : null) : JSON.stringify(r.value(step.parameters)),
      resultJson,
      resultTruncated,
      status: step.status ?? 'OK',
      errorType: step.errorType ?? null,
      errorMessage: step.errorMessage === undefined ? null : r.text(step.errorMessage),
      durationMs: step.durationMs === undefined ? null : Math.max(0, Math.round(step.durationMs)),
      model: step.model ?? null,
      promptTokens: step.promptTokens ?? null,
      completionTokens: step.completionTokens ?? null,
      taskOutcome: step.taskOutcome ?? null,
      templateId: step.templateId ?? null,
      attributes,
    };
  }
}
