// `praxis import` offline on every format: detection per file, `file:line: reason` for bad
// records, --strict, --labels, --verifier, --policy and --steps-out. No servers needed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@praxis/cli';
import { AgentStepSchema, type AgentStep } from '@praxis/schemas';
import { afterAll, describe, expect, it } from 'vitest';

const fixture = (p: string) => new URL(`../fixtures/${p}`, import.meta.url).pathname;
const langchain = fixture('workbench/langchain-runs.csv');
const openai = fixture('formats/openai-chat.jsonl');
const anthropic = fixture('formats/anthropic-messages.jsonl');
const otel = fixture('formats/otel-genai.json');
const verifier = fixture('verify-clean-run.ts');

function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return runCli(['import', ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: { PATH: process.env.PATH, ...env } }).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
}

describe('praxis import, offline, every format', () => {
  const dir = mkdtempSync(join(tmpdir(), 'praxis-import-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const steps = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => AgentStepSchema.parse(JSON.parse(l)) as AgentStep);

  it('detects each file, reports bad records by file and line, and writes valid steps for each run', async () => {
    const stepsOut = join(dir, 'steps.jsonl');
    const res = await run([langchain, openai, anthropic, otel, '--tenant', 'acme', '--out', join(dir, 't.jsonl'), '--steps-out', stepsOut, '--end-time', '2026-01-01T00:00:00Z']);
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/langchain-runs\.csv \(langchain\): 10 runs of 10 tasks, \d+ tool calls \(\d+ errors\), 0 refused/);
    expect(res.out).toMatch(/openai-chat\.jsonl \(openai\): 3 runs/);
    expect(res.out).toMatch(/anthropic-messages\.jsonl \(anthropic\): 2 runs/);
    expect(res.out).toMatch(/otel-genai\.json \(otel\): 3 runs/);
    expect(res.err.split('\n')).toEqual([
      `${openai}:4: messages[1] answers tool_call_id "call_missing", which no assistant message called`,
      expect.stringMatching(new RegExp(`^${openai}:5: not JSON`)),
      `${anthropic}:3: messages[1].content[0] answers tool_use_id "toolu_nope", which no tool_use called`,
      expect.stringMatching(new RegExp(`^${otel}:1: span b000000000000004 .*needs gen_ai.tool.name$`)),
    ]);
    const written = steps(stepsOut);
    expect(written.every((s) => s.tenantId === 'acme')).toBe(true);
    expect(new Set(written.map((s) => s.agentId))).toEqual(new Set(['langchain-runs', 'openai-chat', 'anthropic-messages', 'travel', 'weather-bot']));
    const untimed = written.filter((s) => s.agentId !== 'travel' && s.agentId !== 'weather-bot').map((s) => s.timestampMs);
    expect(Math.max(...untimed)).toBeLessThanOrEqual(Date.parse('2026-01-01T00:00:00Z'));
    // The same input and end time give the same events.
    const again = join(dir, 'steps2.jsonl');
    await run([langchain, openai, anthropic, otel, '--tenant', 'acme', '--out', join(dir, 't2.jsonl'), '--steps-out', again, '--end-time', '2026-01-01T00:00:00Z']);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(stepsOut, 'utf8'));
    expect((await run([openai, '--out', join(dir, 's.jsonl'), '--strict'])).code).toBe(1);
  });

  it('takes outcomes from labels, then from the verifier', async () => {
    const labels = join(dir, 'labels.jsonl');
    writeFileSync(labels, [JSON.stringify({ query: 'Create a bar chart of total visits since September 2', success: false }), JSON.stringify({ runId: 'langchain-runs.csv:3', outcome: 'SUCCEEDED' }), '{"taskId": 7}'].join('\n'));
    const stepsOut = join(dir, 'labelled.jsonl');
    const res = await run([langchain, '--out', join(dir, 'l.jsonl'), '--labels', labels, '--verifier', verifier, '--steps-out', stepsOut]);
    expect(res.code).toBe(0);
    expect(res.err).toMatch(new RegExp(`^${labels}:3: invalid label: taskId`));
    expect(res.out).toContain('labels: 2 read, 2 runs labelled');
    expect(res.out).toMatch(/verifier: 5 runs decided/);
    const ends = steps(stepsOut).filter((s) => s.kind === 'TASK_END');
    const bySession = new Map(steps(stepsOut).filter((s) => s.kind === 'QUERY').map((s) => [s.sessionId, s.query]));
    expect(ends.find((s) => bySession.get(s.sessionId)?.startsWith('Create a bar chart of total visits since September 2'))?.taskOutcome).toBe('FAILED');
    expect(ends.find((s) => bySession.get(s.sessionId)?.startsWith('Please plot for me'))?.taskOutcome).toBe('SUCCEEDED');
  });

  it('refuses a bad command line, policy or missing file with the reason and exit 2', async () => {
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, '{"inducer": {"minSupport": 1}}');
    const bad = await run([langchain, '--out', join(dir, 'x.jsonl'), '--policy', policy]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(new RegExp(`${policy}: inducer`));
    expect((await run([langchain, '--out', join(dir, 'x.jsonl')], { INDUCER_MIN_SUPPORT: 'many' })).code).toBe(2);
    expect((await run([join(dir, 'nope.csv'), '--out', join(dir, 'x.jsonl')])).err).toMatch(/no such file: .*nope\.csv/);
    expect((await run([langchain, '--format', 'xml', '--out', join(dir, 'x.jsonl')])).code).toBe(2);
    expect((await run([langchain])).code).toBe(2);
  });
});
