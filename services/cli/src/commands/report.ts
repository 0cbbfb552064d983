import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildReport, formatReport, type ReportFormat, type ReportSection } from '@praxis/analytics';
import { formatDate, parseUtc } from '@praxis/clickhouse';
import { parseCalendarDate } from '@praxis/core';
import { UsageError, type Command } from '../command.js';
import { CLICKHOUSE_ENV_USAGE, clickHouseFromEnv } from './clickhouse-env.js';

const FORMATS: ReportFormat[] = ['table', 'csv', 'json'];
const SECTIONS: ReportSection['id'][] = ['overview', 'funnel', 'templates', 'tools', 'router'];
const DAY_MS = 86_400_000;

// ClickHouse's DateTime covers 1970-01-01 to 2106-02-07: a day outside is refused here with
// a clear message instead of failing inside a query.
const FIRST_DAY = '1970-01-01';
const LAST_DAY = '2106-02-06';

/** A day given as YYYY-MM-DD (or an ISO time, whose day is taken); a UsageError for anything else, a day that does not exist (2026-02-30) or one ClickHouse cannot store. */
export function reportDay(option: string, text: string): string {
  const t = text.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(t);
  const iso = m ? parseCalendarDate(m[1]!) : null;
  if (!iso) throw new UsageError(`--${option} must be a calendar day like 2026-11-01 (got ${JSON.stringify(text)})`);
  if (iso < FIRST_DAY || iso > LAST_DAY) throw new UsageError(`--${option} must be a day between ${FIRST_DAY} and ${LAST_DAY} (got ${JSON.stringify(text)})`);
  // an ISO time with an offset names the UTC day of that instant
  return m![0].length > 10 ? formatDate(parseUtc(t)) : iso;
}

export const reportCommand: Command = {
  summary: "print a tenant's key analytics figures for a range of days (tables, CSV or JSON)",
  usage: [
    'praxis report --tenant T [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format table|csv|json] [--out FILE] [--section ID] [--limit N]',
    '  days are UTC and inclusive; default: the last 7 days up to today',
    `  sections: ${SECTIONS.join(', ')} (default: all)`,
    CLICKHOUSE_ENV_USAGE,
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        tenant: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string', default: 'table' },
        out: { type: 'string' },
        section: { type: 'string' },
        limit: { type: 'string', default: '20' },
      },
      strict: true,
    });
    if (!values.tenant) throw new UsageError('--tenant is required');
    const format = values.format as ReportFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(values.format)})`);
    const section = values.section as ReportSection['id'] | undefined;
    if (section !== undefined && !SECTIONS.includes(section)) throw new UsageError(`--section must be one of ${SECTIONS.join(', ')} (got ${JSON.stringify(section)})`);
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer (got ${JSON.stringify(values.limit)})`);
    const to = values.to ? reportDay('to', values.to) : formatDate(Date.now());
    const from = values.from ? reportDay('from', values.from) : formatDate(parseUtc(to).getTime() - 6 * DAY_MS);
    if (from > to) throw new UsageError(`--from (${from}) is after --to (${to})`);

    const opened = await clickHouseFromEnv('report', io, {}, { requireDatabase: true });
    if (!opened) return 1;
    try {
      const report = await buildReport(opened.ch, { tenant: values.tenant, from, to, limit });
      const text = formatReport(report, format, section);
      if (values.out) {
        writeFileSync(values.out, text);
        io.err(`wrote ${format} report to ${values.out}`);
      } else io.out(text);
      return 0;
    } finally {
      await opened.ch.close();
    }
  },
};
