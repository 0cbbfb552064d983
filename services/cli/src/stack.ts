import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Where the servers are, for commands that need the whole stack (demo, bench). */
export interface StackEndpoints {
  kafkaBrokers: string;
  registryUrl: string;
  clickhouseUrl: string;
  startedByInfra: boolean;
}

const infraScript = fileURLToPath(new URL('../../../infra/praxis-infra', import.meta.url));

/**
 * Uses the servers named by KAFKA_BROKERS, SCHEMA_REGISTRY_URL and CLICKHOUSE_URL when all
 * are set; otherwise installs and starts them on loopback with infra/praxis-infra up,
 * streaming its progress to `progress`.
 */
export async function ensureStack(env: Record<string, string | undefined>, progress: (line: string) => void): Promise<StackEndpoints> {
  if (env.KAFKA_BROKERS && env.SCHEMA_REGISTRY_URL && env.CLICKHOUSE_URL) {
    return { kafkaBrokers: env.KAFKA_BROKERS, registryUrl: env.SCHEMA_REGISTRY_URL, clickhouseUrl: env.CLICKHOUSE_URL, startedByInfra: false };
  }
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', [infraScript, 'up'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => d.toString().split('\n').filter(Boolean).forEach(progress));
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`infra/praxis-infra up failed (exit ${code}); see its messages above`))));
  });
  const vars = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  return { kafkaBrokers: vars.KAFKA_BROKERS!, registryUrl: vars.SCHEMA_REGISTRY_URL!, clickhouseUrl: vars.CLICKHOUSE_URL!, startedByInfra: true };
}
