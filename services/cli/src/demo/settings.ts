// The environment the demo gives the services: its own topics and ClickHouse database, an
// API key per fleet tenant, short idle timeouts so the last tasks close soon after the
// traffic stops, and service logs in a file instead of the terminal.
import net from 'node:net';
import { tenants } from '@praxis/fleet';
import { hashApiKey } from '@praxis/router';
import { isolatedEnv } from '../launch.js';
import type { StackEndpoints } from '../stack.js';

export interface DemoSettings {
  runId: string;
  prefix: string;
  database: string;
  /** Tenant -> plaintext API key (the router stores only their hashes). */
  keys: Record<string, string>;
  routerPort: number;
  logPath: string;
  env: Record<string, string>;
}

/** The demo's API key of a tenant: printed for the user, hashed for the router. */
export const demoKey = (tenantId: string) => `demo-${tenantId}-key`;

/** 8080 when it is free (as docker-compose), else whatever the OS gives. */
export async function routerPort(preferred = 8080): Promise<number> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  return free ? preferred : 0;
}

export function demoSettings(stack: StackEndpoints, options: { runId: string; routerPort: number; logDir: string; logLevel: string; prefix?: string; database?: string; extraTenants?: string[] }): DemoSettings {
  const keys = Object.fromEntries([...tenants().map((t) => t.tenantId), ...(options.extraTenants ?? [])].map((t) => [t, demoKey(t)]));
  const prefix = options.prefix ?? `demo-${options.runId}.`;
  const database = options.database ?? 'praxis_demo';
  const logPath = `${options.logDir}/demo-${options.runId}.log`;
  return {
    runId: options.runId,
    prefix,
    database,
    keys,
    routerPort: options.routerPort,
    logPath,
    env: {
      ...isolatedEnv({
        stack,
        prefix,
        database,
        routerPort: options.routerPort,
        instanceId: `demo-${options.runId}`,
        keyHashes: Object.fromEntries(Object.entries(keys).map(([tenant, key]) => [tenant, hashApiKey(key)])),
        logLevel: options.logLevel,
        // a quiet partition's open tasks close 3 s after its last step (processing time)
        idleMs: 3_000,
        idleGraceMs: 1_000,
      }),
      SEGMENTER_SESSION_TIMEOUT_MS: '10000',
      INDUCER_SESSION_TIMEOUT_MS: '10000',
      ANALYTICS_SESSION_TIMEOUT_MS: '10000',
    },
  };
}
