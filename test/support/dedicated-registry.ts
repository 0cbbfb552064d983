// A schema registry of a test's own, which the test may stop and start again, on free ports
// and a temporary folder. It keeps its journal in topics of its own on the stack's broker:
// what it must survive is its own restart, which needs no broker of its own (starting one
// cost a JVM boot per run). The shared registry never sees these topics.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runInfra } from '../setup/infra.js';
import { freePort } from './dedicated-kafka.js';

const sharedInfraDir = () => process.env.PRAXIS_INFRA_DIR ?? `${repoRoot}.praxis`;

export class DedicatedRegistry {
  private constructor(private readonly env: Record<string, string>, private readonly dir: string) {}

  /** Starts a registry whose journal lives in `<name>` topics of the broker at `broker` (host:port on loopback). */
  static async start(broker: string, name: string): Promise<DedicatedRegistry> {
    const [host, port] = broker.split(':') as [string, string];
    const dir = mkdtempSync(join(tmpdir(), 'praxis-registry-'));
    const env: Record<string, string> = {
      PRAXIS_INFRA_DIR: dir,
      PRAXIS_BIND_HOST: host,
      PRAXIS_KAFKA_PORT: port,
      PRAXIS_REGISTRY_PORT: String(await freePort()),
      PRAXIS_REGISTRY_MGMT_PORT: String(await freePort()),
      PRAXIS_REGISTRY_HEAP: '384m',
      // Apicurio reads its settings from the environment too (apicurio.kafkasql.topic, ...)
      APICURIO_KAFKASQL_TOPIC: `${name}journal`,
      APICURIO_KAFKASQL_SNAPSHOTS_TOPIC: `${name}snapshots`,
      APICURIO_EVENTS_KAFKA_TOPIC: `${name}events`,
    };
    // the registry the shared stack unpacked, when there is one (else infra/ fetches it)
    const app = readdirSync(`${sharedInfraDir()}/registry`, { withFileTypes: true }).find((d) => d.isDirectory() && d.name.startsWith('app-'));
    if (app) env.PRAXIS_REGISTRY_APP = `${sharedInfraDir()}/registry/${app.name}`;
    const registry = new DedicatedRegistry(env, dir);
    await registry.startAgain();
    return registry;
  }

  /** Its Confluent-API URL. */
  get url(): string {
    return `http://${this.env.PRAXIS_BIND_HOST}:${this.env.PRAXIS_REGISTRY_PORT}/apis/ccompat/v7`;
  }

  /** Starts it (again); returns once it answers. */
  async startAgain(): Promise<void> {
    await runInfra(['start', 'registry'], this.env);
  }

  /** Orderly stop. */
  async stop(): Promise<void> {
    await runInfra(['stop', 'registry'], this.env);
  }

  /** Kills it and removes its folder. */
  async destroy(): Promise<void> {
    await runInfra(['kill', 'registry'], this.env).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
