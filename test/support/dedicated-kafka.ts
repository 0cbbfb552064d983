// Servers of a test's own, on free ports and in a temporary folder, which the test may stop,
// kill and start again without disturbing the shared stack other tests use. They always run
// through infra/ (reusing the jars the shared stack already downloaded, when it has them).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runInfra } from '../setup/infra.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sharedInfraDir = () => process.env.PRAXIS_INFRA_DIR ?? `${repoRoot}.praxis`;

export class DedicatedKafka {
  private constructor(readonly env: Record<string, string>, readonly brokers: string[], private readonly dir: string) {}

  /** Starts a broker of its own. */
  static async start(): Promise<DedicatedKafka> {
    const dir = mkdtempSync(join(tmpdir(), 'praxis-kafka-'));
    const port = await freePort();
    const env: Record<string, string> = {
      PRAXIS_INFRA_DIR: dir,
      PRAXIS_KAFKA_PORT: String(port),
      PRAXIS_KAFKA_CONTROLLER_PORT: String(await freePort()),
      PRAXIS_REGISTRY_PORT: String(await freePort()),
      PRAXIS_REGISTRY_MGMT_PORT: String(await freePort()),
      PRAXIS_KAFKA_HEAP: '384m',
      PRAXIS_REGISTRY_HEAP: '384m',
    };
    const libs = `${sharedInfraDir()}/kafka/libs`;
    if (existsSync(libs)) env.PRAXIS_KAFKA_LIBS = libs;
    const broker = new DedicatedKafka(env, [`127.0.0.1:${port}`], dir);
    await broker.startAgain();
    return broker;
  }

  /** Starts the broker (again), keeping its data. */
  async startAgain(): Promise<void> {
    await runInfra(['start', 'kafka'], this.env);
  }

  /** Orderly stop (SIGTERM, wait). */
  async stop(): Promise<void> {
    await runInfra(['stop', 'kafka'], this.env);
  }

  /** kill -9. */
  async kill(): Promise<void> {
    await runInfra(['kill', 'kafka'], this.env);
  }

  /** The Confluent-API URL of this broker's own registry (see startRegistry). */
  get registryUrl(): string {
    return `http://127.0.0.1:${this.env.PRAXIS_REGISTRY_PORT}/apis/ccompat/v7`;
  }

  /** Starts (or starts again) a schema registry that stores its schemas in this broker. */
  async startRegistry(): Promise<void> {
    const app = (await import('node:fs')).readdirSync(`${sharedInfraDir()}/registry`, { withFileTypes: true }).find((d) => d.isDirectory() && d.name.startsWith('app-'));
    const env = app ? { ...this.env, PRAXIS_REGISTRY_APP: `${sharedInfraDir()}/registry/${app.name}` } : this.env;
    await runInfra(['start', 'registry'], env);
  }

  async stopRegistry(): Promise<void> {
    await runInfra(['stop', 'registry'], this.env);
  }

  /** Stops everything and removes the folder. */
  async destroy(): Promise<void> {
    await runInfra(['kill', 'registry', 'kafka'], this.env).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
