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

export default async function setup(project: TestProject) {
  const fromEnv = {
    kafkaBrokers: process.env.KAFKA_BROKERS,
    registryUrl: process.env.SCHEMA_REGISTRY_URL,
    clickhouseUrl: process.env.CLICKHOUSE_URL,
  };
  let stack: StackInfo;
  let teardown: (() => Promise<void>) | undefined;
  if (fromEnv.kafkaBrokers && fromEnv.registryUrl && fromEnv.clickhouseUrl) {
    stack = { mode: 'env', kafkaBrokers: fromEnv.kafkaBrokers.split(','), registryUrl: fromEnv.registryUrl, clickhouseUrl: fromEnv.clickhouseUrl };
  } else if (await dockerAnswers()) {
    const started = await startContainers();
    stack = started.stack;
    teardown = started.stop;
  } else {
    stack = await infraUp(fromEnv);
  }
  process.stderr.write(`[stack] ${stack.mode}: kafka ${stack.kafkaBrokers.join(',')}, registry ${stack.registryUrl}, clickhouse ${stack.clickhouseUrl}\n`);
  project.provide('stack', stack);
  return async () => {
    await teardown?.();
  };
}
