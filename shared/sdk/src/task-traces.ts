// The trace of each agent task: a span from the task's first step to its TASK_END, started
// when the sink first sees a step of the task, and whose context every step of the task
// carries in its `traceparent` header. The services continue it, so one task can be followed
// from the agent to the template the router serves (docs/observability.md). A no-op unless
// the agent's process started tracing (startTracing, or its own OpenTelemetry SDK).
import { startSpan, traceHeaders, contextWith, type Span, type Context } from '@praxis/kafka';
import type { AgentStepInput } from '@praxis/schemas';
import { LRUCache } from 'lru-cache';

/** Open tasks whose spans are kept; the least recently used is ended (as abandoned) beyond it. */
export const MAX_OPEN_TASK_SPANS = 10_000;

/** Task spans of the sessions a sink writes, by tenant/agent/session. */
export class TaskTraces {
  private readonly open = new LRUCache<string, { span: Span; ctx: Context; headers: Record<string, string> }>({
    max: MAX_OPEN_TASK_SPANS,
    dispose: (entry, _key, reason) => {
      if (reason === 'evict') entry.span.setAttribute('praxis.task.abandoned', true);
      entry.span.end();
    },
  });

  /** The trace headers of each step (empty when tracing is off); ends the task span at its TASK_END. */
  headersFor(steps: AgentStepInput[]): Record<string, string>[] {
    return steps.map((step) => {
      const key = `${step.tenantId}/${step.agentId}/${step.sessionId}`;
      let entry = this.open.get(key);
      if (!entry) {
        const span = startSpan('sdk', 'agent task', {
          attributes: { 'praxis.tenant': step.tenantId, 'praxis.agent': step.agentId, 'praxis.session': step.sessionId, ...(step.taskId ? { 'praxis.task': step.taskId } : {}) },
        });
        if (!span) return {};
        const ctx = contextWith(span);
        entry = { span, ctx, headers: traceHeaders(ctx) };
        this.open.set(key, entry);
      }
      if (step.kind === 'TASK_END') this.open.delete(key); // dispose ends the span
      return entry.headers;
    });
  }

  /** Ends every open task span (the sink is closing). */
  close(): void {
    this.open.clear();
  }
}
