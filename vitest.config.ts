import { defineConfig } from 'vitest/config';

// Two projects: `unit` tests are pure (no I/O, next to the code as *.test.ts);
// `integration` tests in test/ and *.integration.test.ts talk to real servers, which
// test/setup/stack.ts provides (env, Docker via testcontainers, or infra/).
//
// Integration files run two at a time: they wait on Kafka, the registry and ClickHouse far
// more than they compute, and each has its own topics, groups and database. The files in
// SERIAL run after them, one at a time, in the `integration-serial` project: they kill or
// restart a server or a service process, run several service processes, or run the whole
// pipeline on tight idle and session timeouts, and must not share the two cores.
// docs/testing.md says how to choose.
export const SERIAL = [
  'test/analytics/sink-crash.test.ts',
  'test/e2e/demo.test.ts',
  'test/foundation/broker-restart.test.ts',
  'test/foundation/infra.test.ts',
  'test/foundation/tracing.test.ts',
  'test/learning/crash.test.ts',
  'test/learning/members.test.ts',
  'test/learning/pipeline.test.ts',
  'test/router/feed-idle.test.ts',
  'test/router/recorder.test.ts',
];

const integration = {
  environment: 'node',
  globalSetup: ['test/setup/stack.ts'],
  testTimeout: 120_000,
  hookTimeout: 240_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['schemas/src/**/*.test.ts', 'shared/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          environment: 'node',
          // The files share their worker's module cache: importing the workspace again for each
          // of the 90 files was most of the unit run (import 69 s of 136 s, 42 s in all without).
          // Unit tests are pure: no vi.mock, stubbed globals, fake timers or env changes, which
          // would leak into the next file of the worker (docs/testing.md).
          isolate: false,
        },
      },
      {
        test: {
          ...integration,
          name: 'integration',
          include: ['test/**/*.test.ts', '**/*.integration.test.ts'],
          exclude: ['**/node_modules/**', ...SERIAL],
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...integration,
          name: 'integration-serial',
          include: SERIAL,
          // One file at a time, after the others: the machine has two cores and the servers share them.
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
