import { parseArgs } from 'node:util';
import { MigrationError, migrate, migrationStatus } from '@praxis/clickhouse';
import type { Command } from '../command.js';
import { CLICKHOUSE_ENV_USAGE, clickHouseFromEnv } from './clickhouse-env.js';

export const migrateCommand: Command = {
  summary: 'apply the pending ClickHouse migrations (schemas/clickhouse/*.sql) once, in order',
  usage: `praxis migrate [--status] [--dry-run] [--json]\n${CLICKHOUSE_ENV_USAGE}`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { status: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } }, strict: true });
    const opened = await clickHouseFromEnv('migrate', io);
    if (!opened) return 1;
    const { ch } = opened;
    try {
      if (values.status) {
        const status = await migrationStatus(ch);
        if (values.json) io.out(JSON.stringify(status, null, 2));
        else {
          io.out(`database ${status.database} (${ch.engine})`);
          for (const f of status.files) io.out(`${f.appliedAt ? `applied ${f.appliedAt}` : 'pending            '}  ${f.file}`);
          for (const p of status.problems) io.err(`problem: ${p}`);
        }
        return status.problems.length ? 1 : 0;
      }
      const report = await migrate(ch, { dryRun: values['dry-run'] });
      if (values.json) io.out(JSON.stringify(report, null, 2));
      else {
        const verb = report.dryRun ? 'would apply' : 'applied';
        for (const a of report.applied) io.out(`${verb} ${a.file} (${a.statements} statements)`);
        io.out(`database ${report.database}: ${report.applied.length} ${verb}, ${report.alreadyApplied} already applied`);
      }
      return 0;
    } catch (error) {
      if (error instanceof MigrationError) {
        io.err(`praxis migrate: ${error.message}`);
        return 1;
      }
      throw error;
    } finally {
      await ch.close();
    }
  },
};
