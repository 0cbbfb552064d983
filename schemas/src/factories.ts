// Valid example records for tests: each factory returns a complete record that passes
// both the zod validator and the Avro schema; overrides replace fields.
import type { AgentStepInput } from './agent-step.js';
import type { FeedbackInput } from './feedback.js';
import type { TemplateInput } from './template.js';
import type { TrajectoryInput } from './trajectory.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
let counter = 0;
const next = () => (++counter).toString(36).padStart(6, '0');

/** A TOOL_CALL step (override kind and fields for the others). */
export function makeAgentStep(overrides: Partial<AgentStepInput> = {}): AgentStepInput {
  return {
    eventId: `evt-${next()}`,
    tenantId: 'acme',
    agentId: 'support-bot',
    sessionId: 'sess-1',
    seq: 0,
    kind: 'TOOL_CALL',
    timestampMs: T0,
    toolName: 'lookup_order',
    parametersJson: JSON.stringify({ orderId: 'A-1001' }),
    resultJson: JSON.stringify({ order: { id: 'A-1001', status: 'shipped' } }),
    durationMs: 120,
    ...overrides,
  };
}

export function makeTrajectory(overrides: Partial<TrajectoryInput> = {}): TrajectoryInput {
  return {
    trajectoryId: `traj-${next()}`,
    tenantId: 'acme',
    agentId: 'support-bot',
    sessionId: 'sess-1',
    query: 'where is my order A-1001?',
    startedAtMs: T0,
    endedAtMs: T0 + 2_000,
    closeReason: 'TASK_END',
    outcome: 'SUCCEEDED',
    signature: ['lookup_order', 'get_tracking'],
    steps: [
      {
        index: 0,
        eventId: 'evt-a',
        seq: 1,
        timestampMs: T0 + 100,
        toolName: 'lookup_order',
        parametersJson: JSON.stringify({ orderId: 'A-1001' }),
        status: 'OK',
        paramShapeHash: 'p1',
        resultShapeJson: JSON.stringify({ order: { id: 'string', carrierRef: 'string' } }),
        resultShapeHash: 'r1',
        dataflow: [{ paramPath: 'orderId', origin: 'QUERY' }],
      },
      {
        index: 1,
        eventId: 'evt-b',
        seq: 2,
        timestampMs: T0 + 900,
        toolName: 'get_tracking',
        parametersJson: JSON.stringify({ ref: 'ZX-77' }),
        status: 'OK',
        paramShapeHash: 'p2',
        dataflow: [{ paramPath: 'ref', origin: 'STEP_RESULT', stepIndex: 0, path: 'order.carrierRef' }],
      },
    ],
    ...overrides,
  };
}

export function makeTemplate(overrides: Partial<TemplateInput> = {}): TemplateInput {
  return {
    templateId: `tpl-${next()}`,
    version: 1,
    tenantId: 'acme',
    agentId: 'support-bot',
    source: 'LEARNED',
    status: 'ACTIVE',
    name: 'lookup_order > get_tracking',
    signature: ['lookup_order', 'get_tracking'],
    steps: [
      { index: 0, toolName: 'lookup_order', params: [{ path: 'orderId', kind: 'SLOT', slotName: 'orderId' }] },
      {
        index: 1,
        toolName: 'get_tracking',
        params: [{ path: 'ref', kind: 'STEP_RESULT', stepIndex: 0, resultPath: 'order.carrierRef' }],
      },
    ],
    slots: [
      {
        name: 'orderId',
        schemaJson: JSON.stringify({ type: 'string', pattern: '^[A-Z]-\\d+$' }),
        source: 'QUERY',
        examplesJson: ['"A-1001"'],
      },
    ],
    triggerExamples: ['where is my order A-1001?'],
    stats: { support: 12, successes: 11 },
    confidence: 0.83,
    createdAtMs: T0,
    updatedAtMs: T0,
    ...overrides,
  };
}

export function makeFeedback(overrides: Partial<FeedbackInput> = {}): FeedbackInput {
  return {
    feedbackId: `fb-${next()}`,
    tenantId: 'acme',
    agentId: 'support-bot',
    kind: 'EXECUTION',
    timestampMs: T0,
    templateId: 'tpl-1',
    templateVersion: 1,
    execution: { executionId: `exe-${next()}`, outcome: 'SUCCEEDED', stepsTotal: 2, stepsCompleted: 2, durationMs: 840 },
    ...overrides,
  };
}
