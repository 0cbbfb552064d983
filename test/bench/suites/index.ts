import type { BenchSuite } from '../harness.js';
import { learningSuite } from './learning.js';

/** Every benchmark suite; packages add theirs here. `pnpm bench <id>...` runs a selection. */
export const suites: BenchSuite[] = [learningSuite];
