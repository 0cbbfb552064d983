// Write paths check ownership before anything is written (docs/security.md): another
// tenant's template id answers 404 exactly like an unknown one, and nothing reaches the sink.
import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from './embedding/hashing.js';
import { HttpError } from './http/errors.js';
import { Policies } from './policy.js';
import { RouterCore } from './router-core.js';
import { MemorySink, template } from './test-support/fixtures.js';

const NOW = Date.UTC(2026, 11, 1);
const owned = template({ templateId: 'tpl-track', tenantId: 'acme', triggerExamples: ['where is my order A-1001?'] });

async function loaded() {
  const sink = new MemorySink();
  const core = new RouterCore({ embedder: new HashingEmbedder(), policies: new Policies(), sink, clock: () => NOW, maxClockSkewMs: 60_000 });
  await core.applyRecords([{ key: owned.templateId, value: owned, partition: 0, offset: '0' }]);
  return { core, sink };
}

const outcome = (extra: Record<string, unknown> = {}) => ({ executionId: `ex-${Math.random().toString(36).slice(2)}`, templateId: 'tpl-track', agentId: 'evil-bot', outcome: 'failed', failedStep: 0, stepsTotal: 2, stepsCompleted: 0, durationMs: 1, ...extra });

const statusOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (error) {
    return error instanceof HttpError ? `${error.status} ${error.code}` : `thrown ${(error as Error).message}`;
  }
};

describe('ownership on write paths', () => {
  it('refuses feedback for another tenant\'s template with 404 and writes nothing', async () => {
    const { core, sink } = await loaded();
    const before = core.getTemplate('acme', 'tpl-track').servedConfidence;
    for (let i = 0; i < 30; i++) expect(await statusOf(core.feedback('evil', outcome()))).toBe('404 not_found');
    expect(sink.feedback).toHaveLength(0);
    expect(core.getTemplate('acme', 'tpl-track').servedConfidence).toBe(before);
    expect(core.stats('evil').executions).toEqual(core.stats('nobody').executions);
  });

  it('refuses feedback for an unknown template the same way', async () => {
    const { core, sink } = await loaded();
    expect(await statusOf(core.feedback('acme', outcome({ templateId: 'tpl-nope' })))).toBe('404 not_found');
    expect(sink.feedback).toHaveLength(0);
  });

  it('refuses an unlearn of another tenant\'s template with 404 and writes no record and no tombstone', async () => {
    const { core, sink } = await loaded();
    expect(await statusOf(core.unlearn('evil', 'tpl-track', 'mine now'))).toBe('404 not_found');
    expect(sink.feedback).toHaveLength(0);
    expect(sink.templates).toHaveLength(0);
    expect(core.getTemplate('acme', 'tpl-track').template.templateId).toBe('tpl-track');
  });

  it('refuses feedback dated beyond the router clock plus the skew (400), and accepts it within', async () => {
    const { core, sink } = await loaded();
    const far = await statusOf(core.feedback('acme', outcome({ agentId: 'support-bot', timestampMs: Date.UTC(2099, 0, 1) })));
    expect(far).toBe('400 invalid_body');
    expect(sink.feedback).toHaveLength(0);
    expect(await statusOf(core.feedback('acme', outcome({ agentId: 'support-bot', timestampMs: NOW + 59_000 })))).toBe('ok');
    expect(sink.feedback).toHaveLength(1);
  });
});
