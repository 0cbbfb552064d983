// The one entry point: text of a log file in a named or detected format -> runs (or, for our
// own JSONL, steps and trajectories) and refused lines. Each reader knows its wire format;
// none knows a data set.
import { anthropicRun, isAnthropicMessages } from './anthropic.js';
import { conversationMeta, type ConversationOptions } from './conversation.js';
import { csvRows, readLangChainCsv, runColumn } from './csv-container.js';
import { parseImportLine, isPraxisRecord, type ImportLine } from './jsonl.js';
import { isLangChainOutput, langChainRun, parseLangChainValue } from './langchain.js';
import { isOpenAiMessages, openAiRun } from './openai.js';
import { readOtel } from './otel-genai.js';
import { isPlainObject, parseJsonText, type ImportedRun, type ReadError, type ReadResult } from './run.js';
import type { ErrorTextOptions } from './tool-error.js';

export const FORMATS = ['openai', 'anthropic', 'langchain', 'otel', 'jsonl'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReadOptions extends ErrorTextOptions {
  format: Format | 'auto';
  /** Names the runs in ids (usually the file name); runs of two sources never collide. */
  source?: string;
  /** CSV containers: the column holding each run. */
  column?: string;
  /** The agent of runs whose log names none. */
  agentId?: string | null;
}

/** What a file held: runs (every format but ours) or our steps and trajectories, and refused lines. */
export interface ReadOutput extends ReadResult {
  format: Format;
  steps: Extract<ImportLine, { kind: 'step' }>[];
  trajectories: Extract<ImportLine, { kind: 'trajectory' }>[];
}

const DETECT_LINES = 20;
const DETECT_BYTES = 64 * 1024;

/** Reads the runs of one file in the given format, or the one detected from its first lines. */
export function readRuns(text: string, options: ReadOptions): ReadOutput {
  let format: Format;
  if (options.format === 'auto') {
    const detected = detectFormat(text);
    if ('reason' in detected) return { format: 'jsonl', runs: [], steps: [], trajectories: [], errors: [{ line: 1, reason: detected.reason }] };
    format = detected.format;
  } else format = options.format;
  const source = options.source ?? 'input';
  const empty = { steps: [], trajectories: [] };
  switch (format) {
    case 'langchain':
      return { format, ...empty, ...(startsLikeJson(text) ? readLangChainJson(text, source, options) : readLangChainCsv(text, { ...options, source })) };
    case 'openai':
      return { format, ...empty, ...readConversations(text, source, options, openAiRun) };
    case 'anthropic':
      return { format, ...empty, ...readConversations(text, source, options, anthropicRun) };
    case 'otel': {
      const { runs, errors } = readOtel(text, options);
      return { format, ...empty, runs, errors };
    }
    case 'jsonl':
      return { format, runs: [], ...readOurLines(text) };
  }
}

/** The format of a log from its first records, or why it cannot tell. */
export function detectFormat(text: string): { format: Format } | { reason: string } {
  if (startsLikeJson(text)) {
    const whole = parseJsonText(text);
    if (whole.ok && text.trim().includes('\n')) {
      const f = formatOfValue(whole.value) ?? (Array.isArray(whole.value) ? formatOfValue(whole.value[0]) : null);
      if (f) return { format: f };
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '').slice(0, DETECT_LINES);
    for (const raw of lines) {
      const json = parseJsonText(raw);
      if (json.ok) {
        const f = formatOfValue(json.value);
        if (f) return { format: f };
      } else {
        const py = parseLangChainValue(raw);
        if (py.ok && isLangChainOutput(py.value)) return { format: 'langchain' };
      }
    }
    return { reason: `cannot tell the format from the first ${lines.length} records (expected OTLP resourceSpans, a LangChain output with intermediate_steps, a message list, or an AgentStep/Trajectory); pass --format` };
  }
  const table = csvRows(text.slice(0, DETECT_BYTES), true);
  if (!('reason' in table) && runColumn(table.header, table.rows.slice(0, DETECT_LINES)) !== null) return { format: 'langchain' };
  return { reason: 'not JSON lines, and not a CSV with a column of LangChain runs; pass --format' };
}

function formatOfValue(value: unknown): Format | null {
  if (isPlainObject(value) && Array.isArray(value.resourceSpans)) return 'otel';
  if (isPraxisRecord(value)) return 'jsonl';
  if (isLangChainOutput(value)) return 'langchain';
  const meta = conversationMeta(value);
  if ('messages' in meta) {
    if (isAnthropicMessages(meta.messages)) return 'anthropic';
    if (isOpenAiMessages(meta.messages)) return 'openai';
  }
  return null;
}

function startsLikeJson(text: string): boolean {
  return /^\s*[{[]/.test(text);
}

type LineReader = (text: string, line: number, source: string, options: ReadOptions) => { run: ImportedRun } | { reason: string } | null;

function readLines(text: string, source: string, options: ReadOptions, read: LineReader): ReadResult {
  const runs: ImportedRun[] = [];
  const errors: ReadError[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    const made = read(raw, i + 1, source, options);
    if (made === null) continue;
    if ('run' in made) runs.push(made.run);
    else errors.push({ line: i + 1, reason: made.reason });
  }
  return { runs, errors };
}

/** One LangChain output (JSON or Python repr) per line, with optional task_id and error beside it. */
const langChainLine: LineReader = (raw, line, source, options) => {
  const parsed = parseLangChainValue(raw);
  if (!parsed.ok) return { reason: parsed.reason };
  if (!isLangChainOutput(parsed.value)) return { reason: 'not a LangChain agent output (no intermediate_steps list)' };
  const v = parsed.value;
  const taskId = typeof v.task_id === 'string' ? v.task_id : typeof v.taskId === 'string' ? v.taskId : null;
  return langChainRun(v, { runId: `${source}:${line}`, line, ...(taskId ? { taskId } : {}), agentId: options.agentId ?? null, error: typeof v.error === 'string' ? v.error : null, patterns: options.patterns });
};

/** One JSON document (an output or a list of them), else one output per line. */
function readLangChainJson(text: string, source: string, options: ReadOptions): ReadResult {
  const whole = text.trim().includes('\n') ? parseJsonText(text) : { ok: false as const, reason: '' };
  if (!whole.ok) return readLines(text, source, options, langChainLine);
  const list = Array.isArray(whole.value) ? whole.value : [whole.value];
  const runs: ImportedRun[] = [];
  const errors: ReadError[] = [];
  for (const [i, v] of list.entries()) {
    const made = langChainLine(JSON.stringify(v), 1, `${source}#${i}`, options);
    if (made === null) continue;
    if ('run' in made) runs.push({ ...made.run, runId: `${source}#${i}` });
    else errors.push({ line: 1, reason: `output ${i}: ${made.reason}` });
  }
  return { runs, errors };
}

/** Conversations: one JSON document (a conversation or a list of them) or one per line. */
function readConversations(text: string, source: string, options: ReadOptions, read: (c: unknown, o: ConversationOptions) => { run: ImportedRun } | { reason: string }): ReadResult {
  const base = { agentId: options.agentId ?? null, patterns: options.patterns };
  const whole = text.trim().includes('\n') ? parseJsonText(text) : { ok: false as const, reason: '' };
  if (whole.ok) {
    const list = Array.isArray(whole.value) && whole.value.every((c) => Array.isArray(c) || (isPlainObject(c) && Array.isArray(c.messages))) ? whole.value : [whole.value];
    const runs: ImportedRun[] = [];
    const errors: ReadError[] = [];
    for (const [i, c] of list.entries()) {
      const made = read(c, { ...base, runId: `${source}#${i}`, line: 1 });
      if ('run' in made) runs.push(made.run);
      else errors.push({ line: 1, reason: `conversation ${i}: ${made.reason}` });
    }
    return { runs, errors };
  }
  return readLines(text, source, options, (raw, line) => {
    const json = parseJsonText(raw);
    if (!json.ok) return { reason: `not JSON (${json.reason})` };
    return read(json.value, { ...base, runId: `${source}:${line}`, line });
  });
}

function readOurLines(text: string): Omit<ReadOutput, 'format' | 'runs'> {
  const steps: ReadOutput['steps'] = [];
  const trajectories: ReadOutput['trajectories'] = [];
  const errors: ReadError[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const parsed = parseImportLine(raw, i + 1);
    if (parsed.kind === 'step') steps.push(parsed);
    else if (parsed.kind === 'trajectory') trajectories.push(parsed);
    else if (parsed.kind === 'error') errors.push({ line: parsed.line, reason: parsed.reason });
  }
  return { steps, trajectories, errors };
}
