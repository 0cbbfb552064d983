import type { Command } from '../command.js';
import { importCommand } from './import.js';
import { sampleCommand } from './sample.js';
import { topicsCommand } from './topics.js';

/** Every praxis subcommand; packages add theirs here. */
export const commands: Record<string, Command> = {
  topics: topicsCommand,
  sample: sampleCommand,
  import: importCommand,
};
