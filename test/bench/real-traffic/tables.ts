// The WorkBench sandbox's tables as pandas holds them: columns, rows in order, and each row's
// index label (which decides where `df.loc[len(df)] = ...` writes and is part of
// `DataFrame.equals`). Cells are strings (read with dtype=str), booleans (analytics'
// user_engaged) or null (NaN / None).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export type Cell = string | boolean | null;

export interface Row {
  label: number;
  v: Record<string, Cell>;
}

export interface Table {
  columns: string[];
  rows: Row[];
}

/** The five tables a task's state is, plus the analytics data the read-only tools use. */
export interface SandboxTables {
  calendar: Table;
  emails: Table;
  plots: Table;
  projectTasks: Table;
  crm: Table;
  analytics: Table;
  /** data/raw/email_addresses.csv: the company directory. */
  directory: string[];
}

/** The tables compared by the outcome rule, in WorkBench's order. */
export const STATE_TABLES = ['calendar', 'emails', 'plots', 'projectTasks', 'crm'] as const;
export type StateTable = (typeof STATE_TABLES)[number];

/** A CSV as pandas' read_csv(dtype=str) reads it: empty cells are NaN, labels 0..n-1. */
export function tableFromCsv(text: string): Table {
  const records = parse(text, { bom: true, relax_column_count: false }) as string[][];
  const [header, ...body] = records;
  if (!header) throw new Error('empty CSV');
  return { columns: header, rows: body.map((cells, i) => ({ label: i, v: Object.fromEntries(header.map((c, j) => [c, cells[j] === '' || cells[j] === undefined ? null : cells[j]!])) })) };
}

/** Reads the sandbox from a WorkBench data directory (the one holding processed/ and raw/). */
export function loadTables(dataDir: string): SandboxTables {
  const csv = (path: string) => tableFromCsv(readFileSync(join(dataDir, path), 'utf8'));
  const analytics = csv('processed/analytics_data.csv');
  for (const r of analytics.rows) r.v.user_engaged = r.v.user_engaged === 'True';
  const directory = readFileSync(join(dataDir, 'raw/email_addresses.csv'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return {
    calendar: csv('processed/calendar_events.csv'),
    emails: csv('processed/emails.csv'),
    plots: { columns: ['file_path'], rows: [] },
    projectTasks: csv('processed/project_tasks.csv'),
    crm: csv('processed/customer_relationship_manager_data.csv'),
    analytics,
    directory,
  };
}

/** A fresh copy of a table (each task starts from the original state). */
export const copyTable = (x: Table): Table => ({ columns: [...x.columns], rows: x.rows.map((r) => ({ label: r.label, v: { ...r.v } })) });

/** `df.to_dict(orient="records")` of some rows. */
export const records = (t: Table, rows: Row[] = t.rows) => rows.map((r) => Object.fromEntries(t.columns.map((c) => [c, r.v[c] ?? null])));

/** `str(int(df[column].max()) + 1)`: the maximum is the strings' (lexicographic) one. */
export function nextId(t: Table, column: string, width: number): string {
  let max: string | null = null;
  for (const r of t.rows) {
    const v = r.v[column];
    if (typeof v === 'string' && (max === null || v > max)) max = v;
  }
  const n = String(Number.parseInt(max ?? '0', 10) + 1);
  return width > 0 ? n.padStart(width, '0') : n;
}

/** `pd.concat([df, new])`: appended with the new frame's label (0), or relabelled 0..n-1 with ignore_index. */
export function concatRow(t: Table, values: Record<string, Cell>, ignoreIndex: boolean): void {
  t.rows.push({ label: 0, v: values });
  if (ignoreIndex) t.rows.forEach((r, i) => (r.label = i));
}

/** `df.loc[label] = values`: replaces the row with that label in place, or appends one. */
export function setRowAt(t: Table, label: number, values: Record<string, Cell>): void {
  const existing = t.rows.find((r) => r.label === label);
  if (existing) existing.v = values;
  else t.rows.push({ label, v: values });
}

/** `df.loc[mask, column] = value`: a column that does not exist is added (NaN elsewhere). */
export function setWhere(t: Table, test: (r: Row) => boolean, column: string, value: Cell): void {
  if (!t.columns.includes(column)) t.columns.push(column);
  for (const r of t.rows) if (test(r)) r.v[column] = value;
}

/** Whether any row has this value in the column (`value in df[column].values`). */
export const hasValue = (t: Table, column: string, value: unknown) => t.rows.some((r) => r.v[column] === value);

/** Columns whose case the outcome rule keeps; every other string is compared lower-cased. */
const CASE_KEPT = new Set(['status', 'list_name', 'board']);

/**
 * One table as the outcome rule compares it (`convert_strs_to_lowercase`, then
 * `DataFrame.equals`): columns, row labels and cells, strings lower-cased except the
 * case-kept columns; a non-string cell in a lower-cased column is NaN (`.str.lower()`).
 */
export function comparable(t: Table): string {
  const cell = (c: string, v: Cell | undefined) => (v === null || v === undefined ? null : CASE_KEPT.has(c) ? v : typeof v === 'string' ? v.toLowerCase() : null);
  return JSON.stringify({ columns: t.columns, rows: t.rows.map((r) => [r.label, ...t.columns.map((c) => cell(c, r.v[c]))]) });
}
