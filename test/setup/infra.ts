import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Where the integration tests find the real servers. */
export interface StackInfo {
  mode: 'env' | 'docker' | 'infra';
  kafkaBrokers: string[];
  registryUrl: string;
  clickhouseUrl: string;
  /** infra mode: the folder holding the servers' data and logs. */
  infraDir?: string;
}

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const infraScript = `${repoRoot}infra/praxis-infra`;

/** Runs infra/praxis-infra with extra env; resolves with its stdout, rejects with its stderr tail. */
export function runInfra(args: string[], env: Record<string, string> = {}, timeoutMs = 15 * 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [infraScript, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      if (process.env.PRAXIS_TEST_VERBOSE) process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`infra/praxis-infra ${args.join(' ')} failed (exit ${code}):\n${err.split('\n').slice(-25).join('\n')}\nRun it by hand to see why, or point the tests at running servers with KAFKA_BROKERS, SCHEMA_REGISTRY_URL and CLICKHOUSE_URL.`));
    });
  });
}

/** The servers infra/ has to run: those the environment does not already name (the registry needs Kafka). */
export function wantedServers(given: { kafkaBrokers?: string; registryUrl?: string; clickhouseUrl?: string }): string[] {
  const servers = [
    ...(given.kafkaBrokers ? [] : ['kafka']),
    ...(given.registryUrl ? [] : ['kafka', 'registry']),
    ...(given.clickhouseUrl ? [] : ['clickhouse']),
  ];
  return [...new Set(servers)];
}

/** Installs and starts whatever servers the environment does not already name. */
export async function infraUp(given: { kafkaBrokers?: string; registryUrl?: string; clickhouseUrl?: string }): Promise<StackInfo> {
  const wanted = wantedServers(given);
  process.stderr.write(`[stack] starting ${wanted.join(', ')} through infra/praxis-infra (first run installs them; this can take a few minutes)\n`);
  const out = await runInfra(['up', ...wanted]);
  const env = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  return {
    mode: 'infra',
    kafkaBrokers: (given.kafkaBrokers ?? env.KAFKA_BROKERS!).split(','),
    registryUrl: given.registryUrl ?? env.SCHEMA_REGISTRY_URL!,
    clickhouseUrl: given.clickhouseUrl ?? env.CLICKHOUSE_URL!,
    infraDir: process.env.PRAXIS_INFRA_DIR ?? `${repoRoot}.praxis`,
  };
}
