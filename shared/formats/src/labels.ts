// Outcomes that arrive apart from the run: label records joined to runs, and a verifier
// for data that has none. A label names its runs by runId, by taskId, or by the task's query
// text (the same normalisation as a run without a task id), optionally for one agent only;
// the most specific label wins.
import { z } from 'zod';
import { parseJsonText, taskIdForQuery, type ImportedRun, type ReadError, type RunOutcome } from './run.js';

const LabelSchema = z
  .object({
    runId: z.string().min(1).optional(),
    taskId: z.string().min(1).optional(),
    query: z.string().min(1).optional(),
    agentId: z.string().min(1).optional(),
    success: z.boolean().optional(),
    outcome: z.enum(['SUCCEEDED', 'FAILED', 'ABANDONED']).optional(),
  })
  .refine((l) => l.runId !== undefined || l.taskId !== undefined || l.query !== undefined, { message: 'needs runId, taskId or query' })
  .refine((l) => l.success !== undefined || l.outcome !== undefined, { message: 'needs success (boolean) or outcome' });

export interface Label {
  runId: string | null;
  taskId: string | null;
  agentId: string | null;
  outcome: RunOutcome;
  line: number;
}

/** Parses a JSONL of label records; bad lines are errors with their line. */
export function readLabels(text: string): { labels: Label[]; errors: ReadError[] } {
  const labels: Label[] = [];
  const errors: ReadError[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = i + 1;
    if (raw.trim() === '') continue;
    const json = parseJsonText(raw);
    if (!json.ok) {
      errors.push({ line, reason: `not JSON (${json.reason})` });
      continue;
    }
    const parsed = LabelSchema.safeParse(json.value);
    if (!parsed.success) {
      errors.push({ line, reason: `invalid label: ${parsed.error.issues.map((e) => `${e.path.join('.') || 'label'} ${e.message}`).join('; ')}` });
      continue;
    }
    const l = parsed.data;
    labels.push({
      runId: l.runId ?? null,
      taskId: l.taskId ?? (l.query !== undefined ? taskIdForQuery(l.query, '') : null),
      agentId: l.agentId ?? null,
      outcome: l.outcome ?? (l.success ? 'SUCCEEDED' : 'FAILED'),
      line,
    });
  }
  return { labels, errors };
}

/** Runs with the outcome of their most specific label (run > task and agent > task); counts the runs labelled. */
export function applyLabels(runs: ImportedRun[], labels: Label[], defaultAgentId: string | null = null): { runs: ImportedRun[]; labelled: number } {
  const byRun = new Map<string, RunOutcome>();
  const byTaskAgent = new Map<string, RunOutcome>();
  const byTask = new Map<string, RunOutcome>();
  for (const l of labels) {
    if (l.runId !== null) byRun.set(l.runId, l.outcome);
    else if (l.agentId !== null) byTaskAgent.set(`${l.taskId}\u0000${l.agentId}`, l.outcome);
    else byTask.set(l.taskId!, l.outcome);
  }
  let labelled = 0;
  const out = runs.map((run) => {
    const agent = run.agentId ?? defaultAgentId;
    const outcome = byRun.get(run.runId) ?? byTaskAgent.get(`${run.taskId}\u0000${agent}`) ?? byTask.get(run.taskId);
    if (outcome === undefined) return run;
    labelled++;
    return { ...run, outcome };
  });
  return { runs: out, labelled };
}

/** A verifier module's export: decides a run's success, or returns undefined when it cannot tell. */
export type Verifier = (run: ImportedRun) => boolean | undefined | Promise<boolean | undefined>;

/** Runs whose outcome is unknown get the verifier's verdict; counts the runs decided. */
export async function applyVerifier(runs: ImportedRun[], verify: Verifier): Promise<{ runs: ImportedRun[]; verified: number }> {
  let verified = 0;
  const out: ImportedRun[] = [];
  for (const run of runs) {
    if (run.outcome !== null) {
      out.push(run);
      continue;
    }
    const verdict = await verify(run);
    if (verdict === undefined) out.push(run);
    else {
      verified++;
      out.push({ ...run, outcome: verdict ? 'SUCCEEDED' : 'FAILED' });
    }
  }
  return { runs: out, verified };
}
