// A ClickHouse server of a test's own (the Debian 18.16 binary through infra/), on free
// ports in a temporary folder, which the test may stop, kill and start again without
// disturbing the shared server other tests use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInfra } from '../setup/infra.js';
import { freePort } from './dedicated-kafka.js';

export class DedicatedClickHouse {
  private constructor(readonly env: Record<string, string>, private readonly dir: string) {}

  /** Starts a server of its own. */
  static async start(): Promise<DedicatedClickHouse> {
    const dir = mkdtempSync(join(tmpdir(), 'praxis-clickhouse-'));
    const env = {
      PRAXIS_INFRA_DIR: dir,
      PRAXIS_CLICKHOUSE_HTTP_PORT: String(await freePort()),
      PRAXIS_CLICKHOUSE_TCP_PORT: String(await freePort()),
    };
    const server = new DedicatedClickHouse(env, dir);
    await server.startAgain();
    return server;
  }

  /** Its HTTP URL. */
  get url(): string {
    return `http://127.0.0.1:${this.env.PRAXIS_CLICKHOUSE_HTTP_PORT}`;
  }

  /** Starts the server (again), keeping its data; returns once it answers. */
  async startAgain(): Promise<void> {
    await runInfra(['start', 'clickhouse'], this.env);
  }

  /** Orderly stop. */
  async stop(): Promise<void> {
    await runInfra(['stop', 'clickhouse'], this.env);
  }

  /** kill -9; returns once the server no longer answers. */
  async kill(): Promise<void> {
    await runInfra(['kill', 'clickhouse'], this.env);
    for (let i = 0; i < 100 && (await this.answers()); i++) await new Promise((r) => setTimeout(r, 100));
  }

  /** Whether /ping answers. */
  async answers(): Promise<boolean> {
    return fetch(`${this.url}/ping`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
  }

  /** Kills the server and removes its folder. */
  async destroy(): Promise<void> {
    await runInfra(['kill', 'clickhouse'], this.env).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
