// Test factories for inducer unit tests: tasks written as tool calls go through the real
// segmenter, so trajectories carry real dataflow, retries and fingerprints.
import { AgentStepSchema, type AgentStep, type Template, type Trajectory } from '@praxis/schemas';
import { DEFAULT_POLICY, segmentSteps } from '@praxis/segmenter';
import { DEFAULT_INDUCER_POLICY, type InducerPolicy } from './policy.js';
import { Inducer } from './processor.js';

export const T0 = Date.UTC(2026, 0, 12, 9, 0, 0);
export const MIN = 60_000;

export interface Call {
  tool: string;
  params: Record<string, unknown>;
  result?: unknown;
  error?: { type: string; message: string };
}

export interface Task {
  session?: string;
  query?: string;
  calls: Call[];
  outcome?: 'SUCCEEDED' | 'FAILED' | null;
  /** Start time, minutes after T0. */
  at: number;
  tenantId?: string;
  agentId?: string;
  /** The log's task id (several agents' runs of one task share it). */
  taskId?: string;
}

/** The steps of tasks (each task in its own time slot), in time order. */
export function stepsOf(tasks: readonly Task[]): AgentStep[] {
  const seqs = new Map<string, number>();
  const steps: AgentStep[] = [];
  tasks.forEach((task) => {
    const session = task.session ?? `s${task.at}`;
    let seq = seqs.get(session) ?? 0;
    let t = T0 + task.at * MIN;
    const base = () => ({ eventId: `${session}-${seq}`, tenantId: task.tenantId ?? 'acme', agentId: task.agentId ?? 'bot', sessionId: session, seq: seq++, timestampMs: (t += 1_000), ...(task.taskId ? { taskId: task.taskId } : {}) });
    if (task.query) steps.push(AgentStepSchema.parse({ ...base(), kind: 'QUERY', query: task.query }));
    steps.push(AgentStepSchema.parse({ ...base(), kind: 'LLM_CALL', model: 'm', promptTokens: 1000, completionTokens: 100 }));
    for (const c of task.calls) {
      steps.push(
        AgentStepSchema.parse({
          ...base(),
          kind: 'TOOL_CALL',
          toolName: c.tool,
          parametersJson: JSON.stringify(c.params),
          ...(c.error ? { status: 'ERROR', errorType: c.error.type, errorMessage: c.error.message } : { resultJson: JSON.stringify(c.result ?? { ok: true }) }),
          durationMs: 100,
        }),
      );
    }
    if (task.outcome !== null) steps.push(AgentStepSchema.parse({ ...base(), kind: 'TASK_END', taskOutcome: task.outcome ?? 'SUCCEEDED' }));
    seqs.set(session, seq);
  });
  return steps.sort((a, b) => a.timestampMs - b.timestampMs);
}

/** Trajectories of tasks, through the segmenter. */
export function trajectoriesOf(tasks: readonly Task[]): Trajectory[] {
  return segmentSteps(stepsOf(tasks), { policyFor: () => DEFAULT_POLICY, idleMs: Number.MAX_SAFE_INTEGER, maxPendingPerSession: 10_000 }).trajectories;
}

/** The default inducer policy with overrides. */
export const policy = (overrides: Partial<InducerPolicy> = {}): InducerPolicy => ({ ...DEFAULT_INDUCER_POLICY, ...overrides });

/**
 * An order-lookup workflow run: get_order(orderId from the query) -> get_tracking(ref from
 * the order) -> send_email(to the customer, constant template).
 */
export function orderStatusTask(i: number, extra: Partial<Task> = {}): Task {
  const orderId = `ORD-${10_000 + i * 37}`;
  const ref = `TR${1_000_000 + i * 91}`;
  const email = `user${i}@example.com`;
  return {
    at: i * 10,
    query: `Where is my order ${orderId}?`,
    calls: [
      { tool: 'get_order', params: { orderId }, result: { order: { id: orderId, customer: { email }, shipment: { ref } } } },
      { tool: 'get_tracking', params: { ref }, result: { tracking: { status: 'in_transit' } } },
      { tool: 'send_email', params: { to: email, template: 'order_status', orderId }, result: { sent: true } },
    ],
    ...extra,
  };
}

/** Every template the real inducer publishes for `acme/bot` after applying `trajectories` in order, with the default test policy. */
export function publishedTemplates(trajectories: Trajectory[]): Template[] {
  const inducer = new Inducer(() => policy());
  trajectories.forEach((t, i) => inducer.applyTrajectory(t, 0, i));
  const out: Template[] = [];
  for (const o of inducer.publish('acme/bot')) if (o.value) out.push(o.value);
  return out;
}
