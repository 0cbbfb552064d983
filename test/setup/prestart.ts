// `npm test` runs this first: when the integration setup (stack.ts) will start its servers
// through infra/ (the environment names none and no Docker engine answers), it starts them
// now, detached, so that the JVMs boot while tsc and the unit tests run instead of after
// them. Nothing waits for this start: the integration setup's own `praxis-infra up` waits
// for it (praxis-infra takes one start at a time) and reports its errors as before. Output:
// <infra dir>/prestart.log.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { dockerAnswers } from './containers.js';
import { infraScript, repoRoot, wantedServers } from './infra.js';

const wanted = wantedServers({ kafkaBrokers: process.env.KAFKA_BROKERS, registryUrl: process.env.SCHEMA_REGISTRY_URL, clickhouseUrl: process.env.CLICKHOUSE_URL });
const complete = Boolean(process.env.KAFKA_BROKERS && process.env.SCHEMA_REGISTRY_URL && process.env.CLICKHOUSE_URL);
if (!complete && !(await dockerAnswers())) {
  const dir = process.env.PRAXIS_INFRA_DIR ?? `${repoRoot}.praxis`;
  mkdirSync(dir, { recursive: true });
  const log = openSync(`${dir}/prestart.log`, 'a');
  spawn('bash', [infraScript, 'up', ...wanted], { detached: true, stdio: ['ignore', log, log] }).unref();
  process.stderr.write(`[prestart] starting ${wanted.join(', ')} in the background through infra/praxis-infra (log: ${dir}/prestart.log)\n`);
}
