// Renders a report as aligned text tables, CSV or JSON. Pure.
import type { Report, ReportSection } from './report.js';

export type ReportFormat = 'table' | 'csv' | 'json';

const RATE = /(_rate|share)$/;

/** A cell as people read it: rates as percentages, fractions with two decimals, empty for null. */
export function displayValue(column: string, value: unknown, row?: Record<string, unknown>): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    const isRate = RATE.test(column) || (column === 'value' && typeof row?.figure === 'string' && /(rate|share)$/.test(row.figure));
    if (isRate) return `${(value * 100).toFixed(1)}%`;
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    return value.toFixed(2);
  }
  return String(value);
}

/** One section as an aligned text table; numbers right-aligned. */
export function formatTable(section: ReportSection): string {
  const header = section.columns;
  const cells = section.rows.map((row) => header.map((c) => displayValue(c, row[c], row)));
  const numeric = header.map((c) => section.rows.length > 0 && section.rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number'));
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...cells.map((r) => r[i]!.length))));
  const fit = (text: string, i: number) => {
    const w = widths[i]!;
    const t = text.length > w ? `${text.slice(0, w - 1)}…` : text;
    return numeric[i] ? t.padStart(w) : t.padEnd(w);
  };
  const lines = [header.map(fit).join('  '), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map((r) => r.map(fit).join('  '))];
  if (section.rows.length === 0) lines.push('(no data in this range)');
  return `${section.title}\n${lines.map((l) => l.trimEnd()).join('\n')}`;
}

/** A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One section as CSV, with raw values (rates as fractions). */
export function formatCsv(section: ReportSection): string {
  return [section.columns.map(csvField).join(','), ...section.rows.map((r) => section.columns.map((c) => csvField(r[c])).join(','))].join('\n');
}

/**
 * The whole report. CSV of several sections puts a `# section` line before each table and a
 * blank line between them; with one section (`only`) it is a plain CSV file.
 */
export function formatReport(report: Report, format: ReportFormat, only?: ReportSection['id']): string {
  const sections = only ? report.sections.filter((s) => s.id === only) : report.sections;
  if (format === 'json') return `${JSON.stringify({ ...report, sections: Object.fromEntries(sections.map((s) => [s.id, s.rows])) }, null, 2)}\n`;
  if (format === 'csv') {
    if (sections.length === 1) return `${formatCsv(sections[0]!)}\n`;
    return `${sections.map((s) => `# ${s.id}\n${formatCsv(s)}`).join('\n\n')}\n`;
  }
  const head = `Praxis report: tenant ${report.tenant}, ${report.from} to ${report.to} (UTC days, inclusive)`;
  return `${head}\n\n${sections.map(formatTable).join('\n\n')}\n`;
}
