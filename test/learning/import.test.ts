// `praxis import`: logs of agents that ran before Praxis, as JSONL of steps and
// trajectories, go through the same processors: offline to a JSONL of templates, or into
// the topics. Bad lines are reported by number, skipped and counted.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@praxis/cli';
import { AGENTS, evaluateTemplates, generateTraffic } from '@praxis/fleet';
import type { Runtime } from '@praxis/kafka';
import { AgentStepSchema, type Template } from '@praxis/schemas';
import { DEFAULT_POLICY, segmentSteps } from '@praxis/segmenter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack, testRuntime, uniquePrefix } from '../support/stack.js';
import { endOffsets } from './support.js';

const traffic = generateTraffic('import');
const asSteps = new Set(AGENTS.slice(0, 3).map((a) => a.agentId));
const stepLines = traffic.events.filter((e) => asSteps.has(e.agentId));
// The other agents' logs arrive already cut into trajectories.
const trajectoryLines = segmentSteps(
  traffic.events.filter((e) => !asSteps.has(e.agentId)).map((e) => AgentStepSchema.parse(e)),
  { policyFor: () => DEFAULT_POLICY, idleMs: Number.MAX_SAFE_INTEGER, maxPendingPerSession: 10_000 },
).trajectories;

function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return runCli(['import', ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: { ...process.env, ...env } }).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
}

describe('praxis import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'praxis-import-'));
  const file = join(dir, 'logs.jsonl');
  const lines = [
    ...stepLines.map((s, i) => JSON.stringify(i % 2 ? { type: 'step', ...s } : s)),
    '',
    '{"kind": "TOOL_CALL", "seq": ',
    JSON.stringify({ ...stepLines[0], eventId: 'bad-1', kind: 'TOOL_CALL', toolName: null, parametersJson: '{}' }),
    JSON.stringify({ type: 'span', name: 'x' }),
    ...trajectoryLines.map((t) => JSON.stringify(t)),
  ];
  const badLines = [stepLines.length + 2, stepLines.length + 3, stepLines.length + 4];

  beforeAll(() => writeFileSync(file, `${lines.join('\n')}\n`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('offline: induces the planted workflows from steps and trajectories, reporting bad lines by number', async () => {
    const out = join(dir, 'templates.jsonl');
    const res = await run([file, '--out', out, '--trajectories-out', join(dir, 'trajectories.jsonl')]);
    expect(res.code).toBe(0);
    expect(res.err.split('\n').map((l) => Number(l.split(':')[1]))).toEqual(badLines);
    expect(res.err).toMatch(/not JSON/);
    expect(res.err).toMatch(/invalid AgentStep: toolName: is required for a TOOL_CALL step/);
    expect(res.err).toMatch(/unknown type "span"/);
    expect(res.out).toContain(`read ${lines.length} lines: ${stepLines.length} steps, ${trajectoryLines.length} trajectories, 3 refused, 1 blank`);
    const templates = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Template);
    const evaluation = evaluateTemplates(templates);
    expect(evaluation.precision).toBeGreaterThanOrEqual(0.95);
    expect(evaluation.recall).toBeGreaterThanOrEqual(0.95);
    expect(evaluation.mismatches).toEqual([]);
    const trajectories = readFileSync(join(dir, 'trajectories.jsonl'), 'utf8').trim().split('\n');
    expect(trajectories.length).toBe(traffic.tasks.length);
  });

  it('--strict fails when a line was refused', async () => {
    expect((await run([file, '--out', join(dir, 'strict.jsonl'), '--strict'])).code).toBe(1);
  });

  it('refuses a command line that says neither where nor how', async () => {
    expect((await run([file])).code).toBe(2);
    expect((await run([file, '--segment', '--out', join(dir, 'x.jsonl')])).code).toBe(2);
  });

  describe('into the topics', () => {
    const prefix = uniquePrefix('import');
    let rt: Runtime;
    const env = () => ({ KAFKA_BROKERS: stack().kafkaBrokers.join(','), SCHEMA_REGISTRY_URL: stack().registryUrl, PRAXIS_TOPIC_PREFIX: prefix });

    beforeAll(async () => {
      rt = await testRuntime('import-test', prefix);
    });
    afterAll(async () => rt?.producer.disconnect());

    it('produces the steps (in event-time order) and the trajectories', async () => {
      const res = await run([file, '--to-topics'], env());
      expect(res.code).toBe(0);
      expect(await endOffsets(rt, rt.topics.steps.name)).toBe(stepLines.length);
      expect(await endOffsets(rt, rt.topics.trajectories.name)).toBe(trajectoryLines.length);
    });

    it('with --segment, produces trajectories cut here instead of steps', async () => {
      const res = await run([file, '--to-topics', '--segment'], env());
      expect(res.code).toBe(0);
      expect(await endOffsets(rt, rt.topics.steps.name)).toBe(stepLines.length);
      expect(await endOffsets(rt, rt.topics.trajectories.name)).toBe(2 * trajectoryLines.length + (traffic.tasks.length - trajectoryLines.length));
    });
  });
});
