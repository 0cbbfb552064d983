// The one entry point: text of a log file in a named or detected format -> runs and refused
// lines. Each format's reader knows its wire format; none knows a data set.
import { readLangChainCsv } from './csv-container.js';
import { isLangChainOutput, langChainRun, parseLangChainValue } from './langchain.js';
import type { ReadError, ReadResult } from './run.js';
import type { ErrorTextOptions } from './tool-error.js';

export const FORMATS = ['langchain'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReadOptions extends ErrorTextOptions {
  format: Format;
  /** Names the runs in ids (usually the file name); runs of two sources never collide. */
  source?: string;
  /** CSV containers: the column holding each run. */
  column?: string;
  /** The agent of runs whose log names none. */
  agentId?: string | null;
}

/** Reads the runs of one file. */
export function readRuns(text: string, options: ReadOptions): ReadResult {
  const source = options.source ?? 'input';
  switch (options.format) {
    case 'langchain':
      return looksLikeJsonLines(text) ? readLangChainLines(text, source, options) : readLangChainCsv(text, { ...options, source });
  }
}

/** Whether the first non-blank line starts a JSON value or a Python dict (else CSV). */
function looksLikeJsonLines(text: string): boolean {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return /^\s*[{[]/.test(first);
}

/** One LangChain output (JSON or Python repr) per line. */
function readLangChainLines(text: string, source: string, options: ReadOptions): ReadResult {
  const runs: ReadResult['runs'] = [];
  const errors: ReadError[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = i + 1;
    if (raw.trim() === '') continue;
    const parsed = parseLangChainValue(raw);
    if (!parsed.ok) errors.push({ line, reason: parsed.reason });
    else if (!isLangChainOutput(parsed.value)) errors.push({ line, reason: 'not a LangChain agent output (no intermediate_steps list)' });
    else {
      const v = parsed.value;
      const made = langChainRun(v, {
        runId: `${source}:${line}`,
        line,
        ...(typeof v.task_id === 'string' ? { taskId: v.task_id } : typeof v.taskId === 'string' ? { taskId: v.taskId } : {}),
        agentId: options.agentId ?? null,
        error: typeof v.error === 'string' ? v.error : null,
        patterns: options.patterns,
      });
      if ('run' in made) runs.push(made.run);
      else errors.push({ line, reason: made.reason });
    }
  }
  return { runs, errors };
}
