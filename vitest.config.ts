import { defineConfig } from 'vitest/config';

// Two projects: `unit` tests are pure (no I/O, next to the code as *.test.ts);
// `integration` tests in test/ and *.integration.test.ts talk to real servers, which
// test/setup/stack.ts provides (env, Docker via testcontainers, or infra/).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['schemas/src/**/*.test.ts', 'shared/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts', '**/*.integration.test.ts'],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          globalSetup: ['test/setup/stack.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          // One file at a time: the machine has two cores and the servers share them.
          fileParallelism: false,
        },
      },
    ],
  },
});
