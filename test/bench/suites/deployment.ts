// The services as processes (their main.ts) on topics and a ClickHouse database of their own:
// what the members and pipeline-processes suites share (test/bench/suites/members.ts,
// pipeline-processes.ts).
import { randomBytes } from 'node:crypto';
import { openClickHouse, quoteIdentifier, type ClickHouse } from '@praxis/clickhouse';
import type { StackEndpoints } from '@praxis/cli/stack';
import { createLogger, createRuntime, ensureTopics, type Runtime } from '@praxis/kafka';
import { ServiceProcess } from '../../support/service-process.js';
import type { BenchContext } from '../harness.js';

export const SERVICES = ['segmenter', 'inducer', 'analytics'] as const;
export type Service = (typeof SERVICES)[number];

export interface Deployment {
  prefix: string;
  database: string;
  rt: Runtime;
  admin: ReturnType<Runtime['kafka']['admin']>;
  processes: { service: Service; p: ServiceProcess }[];
  ch?: ClickHouse;
  /** The environment every service gets (brokers, registry, database, prefix, group ids, info logs). */
  env: Record<string, string>;
  /** Starts one process of a service with the deployment's environment and `extra` over it. */
  start(service: Service, extra?: Record<string, string>, nodeArgs?: string[]): ServiceProcess;
}

/** Topics and a database of their own (`tag` names them), no process started yet. */
export async function openDeployment(stack: StackEndpoints, tag: string): Promise<Deployment> {
  const id = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const prefix = `bench-${tag}-${id}.`;
  const database = `bench_${tag}_${id}`;
  const rt: Runtime = await createRuntime(`bench-${tag}`, { KAFKA_BROKERS: stack.kafkaBrokers.split(','), SCHEMA_REGISTRY_URL: stack.registryUrl, PRAXIS_TOPIC_PREFIX: prefix, LOG_LEVEL: 'error' }, createLogger(`bench-${tag}`, 'error'));
  const admin = rt.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, Object.values(rt.topics));
  const env: Record<string, string> = {
    KAFKA_BROKERS: stack.kafkaBrokers,
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    CLICKHOUSE_URL: stack.clickhouseUrl,
    CLICKHOUSE_DATABASE: database,
    PRAXIS_TOPIC_PREFIX: prefix,
    // info: the partitions_assigned lines say when the groups are formed
    LOG_LEVEL: 'info',
    OPS_PORT: '0',
    SEGMENTER_GROUP_ID: `${prefix}segmenter`,
    INDUCER_GROUP_ID: `${prefix}inducer`,
    ANALYTICS_GROUP_ID: `${prefix}analytics`,
    ANALYTICS_RETENTION_INTERVAL_MS: '0',
  };
  const processes: Deployment['processes'] = [];
  return {
    prefix, database, rt, admin, processes, env,
    start(service, extra = {}, nodeArgs = []) {
      const p = new ServiceProcess(`services/${service}/src/main.ts`, { ...env, ...extra }, nodeArgs);
      processes.push({ service, p });
      p.start();
      return p;
    },
  };
}

/** Resolves once every process has been assigned partitions (its partitions_assigned log line). */
export async function joined(ps: ServiceProcess[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ps.every((p) => p.events('partitions_assigned').length > 0)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the services did not join within ${timeoutMs} ms`);
}

/** Stops the processes and removes the deployment's topics and database. */
export async function closeDeployment(stack: StackEndpoints, d: Deployment, ctx: BenchContext): Promise<void> {
  await Promise.all(d.processes.map((x) => x.p.stop()));
  await d.ch?.close();
  const topics = (await d.admin.listTopics()).filter((t) => t.startsWith(d.prefix));
  if (topics.length) await d.admin.deleteTopics({ topics }).catch(() => undefined);
  await d.admin.disconnect();
  await d.rt.producer.disconnect();
  const root = await openClickHouse({ url: stack.clickhouseUrl, database: 'default' });
  await root.command(`DROP DATABASE IF EXISTS ${quoteIdentifier(d.database).text}`).catch((error: unknown) => ctx.log(`bench: could not drop ${d.database}: ${(error as Error).message}`));
  await root.close();
}
