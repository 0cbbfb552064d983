// Test helpers for the router's unit tests: templates and an in-memory sink.
import type { FeedbackInput, Template, TemplateInput } from '@praxis/schemas';
import { TemplateSchema } from '@praxis/schemas';
import { makeTemplate } from '@praxis/schemas/factories';
import type { RouterSink } from '../router-core.js';

/** A validated template from the factory, with overrides. */
export function template(overrides: Partial<TemplateInput> = {}): Template {
  return TemplateSchema.parse(makeTemplate(overrides));
}

/** A sink that keeps what is written, in order. */
export class MemorySink implements RouterSink {
  readonly templates: { key: string; value: Template | null }[] = [];
  readonly feedback: FeedbackInput[] = [];
  failing = false;

  async writeTemplates(records: { key: string; value: Template | null }[]): Promise<void> {
    if (this.failing) throw new Error('sink down');
    this.templates.push(...records);
  }

  async writeFeedback(records: FeedbackInput[]): Promise<void> {
    if (this.failing) throw new Error('sink down');
    this.feedback.push(...records);
  }
}

/** A cancel-order template: one QUERY slot (order id) and one GENERATED slot (reason). */
export function cancelTemplate(overrides: Partial<TemplateInput> = {}): Template {
  return template({
    templateId: 'tpl-cancel',
    name: 'cancel order',
    signature: ['get_order', 'cancel_order'],
    steps: [
      { index: 0, toolName: 'get_order', params: [{ path: 'orderId', kind: 'SLOT', slotName: 'orderId' }] },
      {
        index: 1,
        toolName: 'cancel_order',
        params: [
          { path: 'orderId', kind: 'STEP_RESULT', stepIndex: 0, resultPath: 'order.id' },
          { path: 'notify', kind: 'CONSTANT', valueJson: 'true' },
        ],
      },
    ],
    slots: [{ name: 'orderId', schemaJson: JSON.stringify({ type: 'string', pattern: '^[A-Z]-\\d+$' }), source: 'QUERY', examplesJson: ['"A-1001"'] }],
    triggerExamples: ['cancel my order A-1001', 'please cancel order B-22 now'],
    stats: { support: 20, successes: 19, meanTokens: 1200 },
    confidence: 0.8,
    ...overrides,
  });
}
