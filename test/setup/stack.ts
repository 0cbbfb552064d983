// Global setup of the integration project: makes sure a real Kafka, schema registry and
// ClickHouse answer, and tells the tests where they are (inject('stack')).
//   1. KAFKA_BROKERS / SCHEMA_REGISTRY_URL / CLICKHOUSE_URL name servers that already run;
//   2. otherwise a Docker engine, if one answers, runs them through testcontainers;
//   3. otherwise infra/praxis-infra installs and starts them on loopback (left running
//      for the next run; `infra/praxis-infra stop` stops them).
import type { TestProject } from 'vitest/node';
import { dockerAnswers, startContainers } from './containers.js';
import { infraUp, type StackInfo } from './infra.js';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

interface Started {
  stack: StackInfo;
  teardown?: () => Promise<void>;
}

async function start(): Promise<Started> {
  const fromEnv = {
    kafkaBrokers: process.env.KAFKA_BROKERS,
    registryUrl: process.env.SCHEMA_REGISTRY_URL,
    clickhouseUrl: process.env.CLICKHOUSE_URL,
  };
  let started: Started;
  if (fromEnv.kafkaBrokers && fromEnv.registryUrl && fromEnv.clickhouseUrl) {
    started = { stack: { mode: 'env', kafkaBrokers: fromEnv.kafkaBrokers.split(','), registryUrl: fromEnv.registryUrl, clickhouseUrl: fromEnv.clickhouseUrl } };
  } else if (await dockerAnswers()) {
    const containers = await startContainers();
    started = { stack: containers.stack, teardown: containers.stop };
  } else {
    started = { stack: await infraUp(fromEnv) };
  }
  process.stderr.write(`[stack] ${started.stack.mode}: kafka ${started.stack.kafkaBrokers.join(',')}, registry ${started.stack.registryUrl}, clickhouse ${started.stack.clickhouseUrl}\n`);
  return started;
}

// Both integration projects (vitest.config.ts) name this setup, and vitest loads it once per
// project: the servers are found or started once per run, kept on globalThis (one process),
// and stopped when the last project is done.
const shared = globalThis as { praxisStack?: Promise<Started>; praxisStackUsers?: number };

export default async function setup(project: TestProject) {
  shared.praxisStack ??= start();
  shared.praxisStackUsers = (shared.praxisStackUsers ?? 0) + 1;
  const { stack, teardown } = await shared.praxisStack;
  project.provide('stack', stack);
  return async () => {
    shared.praxisStackUsers = (shared.praxisStackUsers ?? 1) - 1;
    if (shared.praxisStackUsers > 0) return;
    shared.praxisStack = undefined;
    await teardown?.();
  };
}
