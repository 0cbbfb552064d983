import type { BenchSuite } from '../harness.js';

/** Every benchmark suite; packages add theirs here. `pnpm bench <id>...` runs a selection. */
export const suites: BenchSuite[] = [];
