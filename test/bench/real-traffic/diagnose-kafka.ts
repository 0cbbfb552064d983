// Diagnosis (not the benchmark): does the Kafka path learn what the in-process path learns?
// Learns the suite's learning runs twice, in-process as offline-loop.ts (learnInProcess) and
// through the topics as `pnpm bench real-traffic` (learnThroughKafka), and diffs the two: the
// trajectories (the in-process segmenter's against the Kafka inducer's horizon, which keeps the
// latest horizonTrajectories of them in both paths) and the templates by id and by content
// without versions, times and lineage offsets (learntContent), field by field.
// Needs the server env (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, CLICKHOUSE_URL).
// --idle-ms N: the segmenter's idle time instead of the bench's IDLE_MS (grace N/2), to see what
// a short one does under load (1000 was the bench's before: runs cut in two at a stall).
// Run: npx tsx test/bench/real-traffic/diagnose-kafka.ts [--full | --subset] [--idle-ms N] [--json file]
import { isDeepStrictEqual } from 'node:util';
import { writeFileSync } from 'node:fs';
import { inducerCaughtUp } from '@praxis/cli/launch';
import { Inducer, inducerPolicyFrom, InducerEnv, summarise } from '@praxis/inducer';
import type { Template } from '@praxis/schemas';
import { REAL_TRAFFIC_ENV, splitFor } from '../suites/real-traffic.js';
import { loadAvailable, loadWorkBench, SUBSET_FIXTURE } from './dataset.js';
import { learningSteps, learnInProcess, learnThroughKafka, learntContent, TENANT } from './learn.js';
import { splitTasks } from './split.js';

const full = process.argv.includes('--full');
const wb = process.argv.includes('--subset') ? loadWorkBench(SUBSET_FIXTURE, 'subset') : loadAvailable();
const split = splitTasks(wb, splitFor(wb, !full));
const { steps } = learningSteps(wb, split.learningRuns);
const local = learnInProcess(steps, { ...REAL_TRAFFIC_ENV, ...process.env });
// the in-process horizon: the same bound as the service's
const inducerEnv = InducerEnv.parse({ KAFKA_BROKERS: 'unused:1', SCHEMA_REGISTRY_URL: 'http://unused', ...REAL_TRAFFIC_ENV, ...process.env });
const policy = { ...inducerPolicyFrom(inducerEnv), ...inducerEnv.INDUCER_OVERRIDES[TENANT] };
const horizon = new Inducer(() => policy);
local.trajectories.forEach((t, i) => horizon.applyTrajectory(t, 0, i));
const localRing = [...horizon.agents.values()].flatMap((a) => a.ring);

const idleMs = process.argv.includes('--idle-ms') ? Number(process.argv[process.argv.indexOf('--idle-ms') + 1]) : undefined;
const idle: Record<string, string> = idleMs === undefined ? {} : { SEGMENTER_IDLE_MS: String(idleMs), SEGMENTER_IDLE_GRACE_MS: String(Math.round(idleMs / 2)) };
const learned = await learnThroughKafka({ kafkaBrokers: process.env.KAFKA_BROKERS!, registryUrl: process.env.SCHEMA_REGISTRY_URL!, clickhouseUrl: process.env.CLICKHOUSE_URL!, startedByInfra: false }, steps, { tag: 'diag-kafka', log: (l) => console.log(l), env: { ...REAL_TRAFFIC_ENV, ...idle } });
const topicRecords = (await inducerCaughtUp(learned.services)).trajectories;
const kafka = learned.templates;
const kafkaRing = [...learned.services.inducer.inducer.agents.values()].flatMap((a) => a.ring);
await learned.cleanup();

type Summary = ReturnType<typeof summarise>;
const line = (t: Summary) => `${t.trajectoryId} ${t.taskKey.slice(0, 50)} ${new Date(t.startedAtMs).toISOString()}..${new Date(t.endedAtMs).toISOString()} ${t.outcome} ${t.steps.length} steps`;
const kafkaIds = new Set(kafkaRing.map((r) => r.trajectoryId));
const localIds = new Set(localRing.map((r) => r.trajectoryId));
console.log(`trajectories: in-process ${local.trajectories.length}, records on the topic ${topicRecords}; horizons ${localRing.length} in-process, ${kafkaRing.length} Kafka; settled ${learned.settled}`);
for (const t of localRing.filter((r) => !kafkaIds.has(r.trajectoryId))) console.log(`  in-process horizon only: ${line(t)}`);
for (const t of kafkaRing.filter((r) => !localIds.has(r.trajectoryId))) console.log(`  Kafka horizon only:      ${line(t)}`);

const byId = (ts: readonly Template[]) => new Map(ts.map((t) => [t.templateId, t]));
const a = byId(local.templates);
const b = byId(kafka);
console.log(`templates: in-process ${a.size} (${local.templates.filter((t) => t.status === 'ACTIVE').length} active), Kafka ${b.size} (${kafka.filter((t) => t.status === 'ACTIVE').length} active)`);
const head = (t: Template) => `${t.templateId} ${t.status} v${t.version} ${t.name.slice(0, 60)}`;
let differ = 0;
for (const id of [...new Set([...a.keys(), ...b.keys()])].sort()) {
  const x = a.get(id);
  const y = b.get(id);
  if (!x || !y) {
    differ++;
    console.log(`${x ? 'in-process only' : 'Kafka only'}: ${head((x ?? y)!)}`);
    continue;
  }
  const cx = learntContent(x) as Record<string, unknown>;
  const cy = learntContent(y) as Record<string, unknown>;
  const fields = Object.keys({ ...cx, ...cy }).filter((k) => !isDeepStrictEqual(cx[k], cy[k]));
  if (fields.length === 0) continue;
  differ++;
  console.log(`differs: ${head(x)} (Kafka v${y.version})`);
  for (const f of fields) console.log(`  ${f}: in-process ${JSON.stringify(cx[f]).slice(0, 200)}\n  ${' '.repeat(f.length)}  Kafka      ${JSON.stringify(cy[f]).slice(0, 200)}`);
}
console.log(differ === 0 ? 'the two paths learnt the same templates' : `${differ} templates differ`);
if (process.argv.includes('--json')) writeFileSync(process.argv[process.argv.indexOf('--json') + 1]!, JSON.stringify({ local: local.templates, kafka }, null, 1));
process.exit(differ === 0 ? 0 : 1);
