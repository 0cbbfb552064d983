// What the message-list formats (OpenAI, Anthropic) share: one conversation per record, as a
// bare list of messages or an object with `messages` and optional metadata about the run.
import { isPlainObject, type ImportedRun, type RunOutcome } from './run.js';
import type { ErrorTextOptions } from './tool-error.js';

export interface ConversationOptions extends ErrorTextOptions {
  runId: string;
  line: number;
  agentId?: string | null;
}

const OUTCOMES: Record<string, RunOutcome> = { succeeded: 'SUCCEEDED', success: 'SUCCEEDED', failed: 'FAILED', failure: 'FAILED', abandoned: 'ABANDONED' };

/** The outcome a record states: `success`/`succeeded` boolean or `outcome` text; null when absent. */
export function statedOutcome(record: Record<string, unknown>): RunOutcome | null {
  for (const key of ['success', 'succeeded']) if (typeof record[key] === 'boolean') return record[key] ? 'SUCCEEDED' : 'FAILED';
  const outcome = record.outcome;
  return typeof outcome === 'string' ? (OUTCOMES[outcome.toLowerCase()] ?? null) : null;
}

function text(record: Record<string, unknown>, ...keys: string[]): string | null {
  for (const k of keys) if (typeof record[k] === 'string' && record[k] !== '') return record[k] as string;
  return null;
}

/** The message list of a conversation record and the run fields its metadata gives. */
export function conversationMeta(value: unknown): { messages: unknown[]; query: string | null; run: (o: ConversationOptions) => Partial<ImportedRun> & Pick<ImportedRun, 'runId' | 'line'> } | { reason: string } {
  const record = Array.isArray(value) ? { messages: value } : isPlainObject(value) ? value : null;
  if (!record || !Array.isArray(record.messages)) return { reason: 'not a conversation (a list of messages, or an object with "messages")' };
  const taskId = text(record, 'task_id', 'taskId');
  const agentId = text(record, 'agent_id', 'agentId', 'agent');
  const runId = text(record, 'run_id', 'runId', 'id');
  const model = text(record, 'model');
  const error = text(record, 'error');
  return {
    messages: record.messages,
    query: text(record, 'query', 'input'),
    run: (o) => ({
      runId: runId ?? o.runId,
      line: o.line,
      ...(taskId ? { taskId } : {}),
      agentId: agentId ?? o.agentId ?? null,
      model,
      error,
      outcome: statedOutcome(record) ?? (error ? 'FAILED' : null),
    }),
  };
}
