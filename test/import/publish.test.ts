// `praxis import --publish`: real agents' LangChain runs (a WorkBench subset, MIT) learned
// offline with a --policy and a --verifier, published to the compacted templates topic, and
// served by a router that only reads that topic.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@praxis/cli';
import type { Template } from '@praxis/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll } from '../learning/support.js';
import { startTestRouter, type TestRouter } from '../router/support.js';
import { createTopics, eventually, stack, testRuntime, uniquePrefix } from '../support/stack.js';

const subset = new URL('../fixtures/workbench-subset/data/results/calendar/', import.meta.url).pathname;
const files = readdirSync(subset).map((f) => join(subset, f));
const verifier = new URL('../fixtures/verify-clean-run.ts', import.meta.url).pathname;

function run(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return runCli(['import', ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env }).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
}

describe('praxis import --publish', () => {
  const prefix = uniquePrefix('import-publish');
  const dir = mkdtempSync(join(tmpdir(), 'praxis-import-publish-'));
  let router: TestRouter;

  beforeAll(async () => {
    const rt = await testRuntime('import-publish-setup', prefix);
    await createTopics(rt.kafka, Object.values(rt.topics));
    await rt.producer.disconnect();
    router = await startTestRouter('import-publish', { prefix });
  });
  afterAll(async () => {
    await router?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes what it learned from real LangChain runs, and the router answers lookups from it', async () => {
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ inducer: { minSupport: 3, minStepsToLearn: 2 } }));
    const out = join(dir, 'templates.jsonl');
    const env = { KAFKA_BROKERS: stack().kafkaBrokers.join(','), SCHEMA_REGISTRY_URL: stack().registryUrl, PRAXIS_TOPIC_PREFIX: prefix, INDUCER_MIN_SUCCESS_RATE: '0.6' };
    const res = await run([...files, '--format', 'langchain', '--tenant', 'acme', '--agent', 'workbench', '--policy', policy, '--verifier', verifier, '--out', out, '--publish'], env);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/outcomes: \d+ SUCCEEDED/);
    const written = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Template);
    expect(written.length).toBeGreaterThan(0);
    expect(res.out).toContain(`published ${written.length} templates to ${prefix}praxis.templates.v1`);

    // On the compacted topic, exactly what was written, under the acme tenant.
    const rt = await testRuntime('import-publish-reader', prefix);
    try {
      const records = await readAll<Template>(rt, rt.topics.templates);
      expect(records.map((r) => r.key).sort()).toEqual(written.map((t) => t.templateId).sort());
      expect(records.every((r) => r.value?.tenantId === 'acme' && r.value.agentId === 'workbench')).toBe(true);
    } finally {
      await rt.producer.disconnect();
    }

    // The router serves them: a lookup by a phrasing seen in learning names a published template.
    const served = new Set(written.filter((t) => t.status !== 'RETIRED' && t.status !== 'SUPERSEDED').map((t) => t.templateId));
    const best = written.filter((t) => served.has(t.templateId)).sort((a, b) => b.confidence - a.confidence)[0]!;
    const answer = await eventually(async () => {
      const r = await router.call('POST', '/v1/lookup', { query: best.triggerExamples[0], agentId: 'workbench' });
      return r.body?.templateId || r.body?.alternatives?.length ? r : null;
    }, 15_000, 100);
    expect(answer?.status).toBe(200);
    const named = [answer!.body.templateId, ...answer!.body.alternatives.map((a: { templateId: string }) => a.templateId)];
    expect(named.some((id: string) => served.has(id))).toBe(true);
    // Another tenant sees none of it.
    const other = await router.call('POST', '/v1/lookup', { query: best.triggerExamples[0], agentId: 'workbench' }, 'globex-secret-key');
    expect(other.body).toMatchObject({ tier: 'plan', templateId: null, alternatives: [] });
  });

  it('--to-topics sends the steps of imported runs, every one of them, to the steps topic', async () => {
    const openai = new URL('../fixtures/formats/openai-chat.jsonl', import.meta.url).pathname;
    const env = { KAFKA_BROKERS: stack().kafkaBrokers.join(','), SCHEMA_REGISTRY_URL: stack().registryUrl, PRAXIS_TOPIC_PREFIX: prefix };
    const stepsOut = join(dir, 'steps.jsonl');
    const res = await run([openai, '--tenant', 'acme', '--to-topics', '--steps-out', stepsOut], env);
    expect(res.code).toBe(0);
    const written = readFileSync(stepsOut, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { eventId: string });
    expect(res.out).toContain(`produced ${written.length} steps to ${prefix}praxis.steps.v1`);
    const rt = await testRuntime('import-steps-reader', prefix);
    try {
      const records = await readAll<{ eventId: string; tenantId: string }>(rt, rt.topics.steps);
      expect(records.map((r) => r.value!.eventId).sort()).toEqual(written.map((s) => s.eventId).sort());
      expect(records.every((r) => r.value!.tenantId === 'acme')).toBe(true);
    } finally {
      await rt.producer.disconnect();
    }
  });
});
