import type { Command } from '../command.js';
import { migrateCommand } from './migrate.js';
import { reportCommand } from './report.js';
import { retentionCommand } from './retention.js';
import { apiKeyCommand } from './api-key.js';
import { demoCommand } from './demo.js';
import { importCommand } from './import.js';
import { sampleCommand } from './sample.js';
import { topicsCommand } from './topics.js';

/** Every praxis subcommand; packages add theirs here. */
export const commands: Record<string, Command> = {
  demo: demoCommand,
  topics: topicsCommand,
  sample: sampleCommand,
  migrate: migrateCommand,
  report: reportCommand,
  retention: retentionCommand,
  'api-key': apiKeyCommand,
  import: importCommand,
};
