import { parseArgs } from 'node:util';
import { AnalyticsConfigSchema } from '@praxis/analytics';
import { applyRetention, type RetentionPolicy } from '@praxis/clickhouse';
import type { Command } from '../command.js';
import { CLICKHOUSE_ENV_USAGE, clickHouseFromEnv } from './clickhouse-env.js';

export const retentionCommand: Command = {
  summary: 'drop ClickHouse day partitions older than each table keeps (ANALYTICS_RETENTION)',
  usage: `praxis retention [--dry-run] [--json]\n${CLICKHOUSE_ENV_USAGE}\n  ANALYTICS_RETENTION: table=days,... over the defaults in docs/analytics.md`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } }, strict: true });
    const opened = await clickHouseFromEnv('retention', io, { ANALYTICS_RETENTION: AnalyticsConfigSchema.shape.ANALYTICS_RETENTION }, { requireDatabase: true });
    if (!opened) return 1;
    try {
      const drops = await applyRetention(opened.ch, opened.env.ANALYTICS_RETENTION as RetentionPolicy, { dryRun: values['dry-run'] });
      if (values.json) io.out(JSON.stringify({ dryRun: values['dry-run'], dropped: drops }, null, 2));
      else {
        for (const d of drops) io.out(`${values['dry-run'] ? 'would drop' : 'dropped'} ${d.table} ${d.day}`);
        io.out(`${drops.length} partition(s) ${values['dry-run'] ? 'expired' : 'dropped'}`);
      }
      return 0;
    } finally {
      await opened.ch.close();
    }
  },
};
