// A CSV whose rows are runs: one column holds a run as JSON or a Python repr (for LangChain,
// the AgentExecutor output), others may hold the query, an error, a task id or an agent.
// The run column is the first whose values parse as a run; the others are found by their
// usual header names (case-insensitive) unless named in the options.
import { parse } from 'csv-parse/sync';
import { isLangChainOutput, langChainRun, parseLangChainValue } from './langchain.js';
import type { ReadError, ReadResult } from './run.js';
import type { ErrorTextOptions } from './tool-error.js';

export interface CsvOptions extends ErrorTextOptions {
  /** Names the runs in ids and messages (usually the file name). */
  source: string;
  /** The column that holds each run (default: found from the values). */
  column?: string;
  agentId?: string | null;
}

const QUERY_COLUMNS = ['query', 'input', 'question', 'prompt', 'instruction'];
const ERROR_COLUMNS = ['error', 'errors', 'exception'];
const TASK_COLUMNS = ['task_id', 'taskid', 'task'];
const AGENT_COLUMNS = ['agent_id', 'agentid', 'agent'];
const SAMPLE_ROWS = 25;

interface Row {
  record: Record<string, string>;
  line: number;
}

/**
 * Parses the CSV into rows with the 1-based line each starts on (the header is line 1).
 * `sample` reads only the records that start in the text given (a prefix for detection: the
 * cut last record is skipped, not an error).
 */
export function csvRows(text: string, sample = false): { header: string[]; rows: Row[] } | { reason: string } {
  let parsed: { record: Record<string, string>; info: { lines: number } }[];
  let header: string[] = [];
  try {
    parsed = parse(text, {
      columns: (h: string[]) => (header = h.map((c) => c.trim())),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      ...(sample ? { skip_records_with_error: true } : {}),
    }) as never;
  } catch (error) {
    const e = error as Error & { lines?: number };
    return { reason: `${e.lines ? `line ${e.lines}: ` : ''}not a valid CSV (${e.message})` };
  }
  const rows: Row[] = [];
  let previousEnd = 1;
  for (const { record, info } of parsed) {
    rows.push({ record, line: previousEnd + 1 });
    previousEnd = info.lines;
  }
  return { header, rows };
}

function findColumn(header: string[], names: string[], given?: string): string | null {
  if (given !== undefined) return header.includes(given) ? given : null;
  return header.find((h) => names.includes(h.toLowerCase())) ?? null;
}

/** The column whose values parse as LangChain outputs, by a sample of rows. */
export function runColumn(header: string[], rows: Row[]): string | null {
  for (const column of header) {
    const sample = rows.map((r) => r.record[column] ?? '').filter((v) => v.trim() !== '').slice(0, SAMPLE_ROWS);
    if (sample.length === 0) continue;
    const hits = sample.filter((v) => v.includes('intermediate_steps')).filter((v) => {
      const parsed = parseLangChainValue(v);
      return parsed.ok && isLangChainOutput(parsed.value);
    }).length;
    if (hits > 0 && hits >= sample.length / 2) return column;
  }
  return null;
}

/** Reads every row of a CSV container of LangChain runs; bad rows are errors with their line. */
export function readLangChainCsv(text: string, options: CsvOptions): ReadResult {
  const table = csvRows(text);
  if ('reason' in table) return { runs: [], errors: [{ line: 1, reason: table.reason }] };
  const { header, rows } = table;
  const column = options.column !== undefined ? findColumn(header, [], options.column) : runColumn(header, rows);
  if (column === null) {
    const reason = options.column !== undefined ? `no column "${options.column}" (columns: ${header.join(', ')})` : `no column holds LangChain runs (a value with intermediate_steps); columns: ${header.join(', ')}`;
    return { runs: [], errors: [{ line: 1, reason }] };
  }
  const queryColumn = findColumn(header, QUERY_COLUMNS);
  const errorColumn = findColumn(header, ERROR_COLUMNS);
  const taskColumn = findColumn(header, TASK_COLUMNS);
  const agentColumn = findColumn(header, AGENT_COLUMNS);
  const runs: ReadResult['runs'] = [];
  const errors: ReadError[] = [];
  for (const { record, line } of rows) {
    const cell = (c: string | null) => (c === null ? null : (record[c] ?? '').trim() || null);
    const value = cell(column);
    const error = cell(errorColumn);
    const common = {
      runId: `${options.source}:${line}`,
      line,
      query: cell(queryColumn),
      ...(cell(taskColumn) ? { taskId: cell(taskColumn)! } : {}),
      agentId: cell(agentColumn) ?? options.agentId ?? null,
      error,
      patterns: options.patterns,
    };
    if (value === null) {
      // The agent crashed before producing an output: a failed run with no calls.
      if (error !== null) {
        const made = langChainRun({ intermediate_steps: [] }, common);
        if ('run' in made) runs.push(made.run);
      } else errors.push({ line, reason: `empty "${column}" and no error` });
      continue;
    }
    const parsed = parseLangChainValue(value);
    if (!parsed.ok) {
      errors.push({ line, reason: `column "${column}": ${parsed.reason}` });
      continue;
    }
    if (!isLangChainOutput(parsed.value)) {
      errors.push({ line, reason: `column "${column}" is not a LangChain agent output (no intermediate_steps list)` });
      continue;
    }
    const made = langChainRun(parsed.value, common);
    if ('run' in made) runs.push(made.run);
    else errors.push({ line, reason: made.reason });
  }
  return { runs, errors };
}
