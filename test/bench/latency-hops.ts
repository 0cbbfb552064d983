// Where the time goes from a task's TASK_END to the router serving the template it completed,
// hop by hop, on the pipeline-latency workload (the fleet's tasks in real time, every service
// in one process):
//   npx tsx test/bench/latency-hops.ts [--lateness 2000] [--idle 3000] [--duration 20000]
// For each template the router comes to serve as ACTIVE, from the last task it was learned from:
//   segmenter  TASK_END acknowledged -> its trajectory record created (broker CreateTime)
//   inducer    trajectory record created -> first ACTIVE version of the template created
//   router     template record created -> the router's catalog serves it (polled every 10 ms)
// Broker CreateTime is the producing client's wall clock; every service runs in this process.
import { ensureStack } from '@praxis/cli/stack';
import { generateTraffic } from '@praxis/fleet';
import { AvroSerde } from '@praxis/kafka';
import type { Template, Trajectory } from '@praxis/schemas';
import { kafkaStepSink } from '@praxis/sdk';
import { percentile } from './harness.js';
import { launch, orderedEvents, sendInRealTime, trajectoryIdOf, until, watchActive } from './suites/pipeline.js';

const arg = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const latenessMs = arg('--lateness', 2_000);
const idleMs = arg('--idle', 3_000);
const durationMs = arg('--duration', 20_000);

const stack = await ensureStack(process.env, (l) => console.error(l));
const traffic = generateTraffic(`bench-latency-${latenessMs}`, { instancesPerWorkflow: 12, sessionsPerAgent: 6, lateRate: 0, tooLateRate: 0, duplicateRate: 0, abandonRate: 0 });
const events = orderedEvents(traffic);
const endEventOf = new Map<string, string>();
for (const t of traffic.tasks) endEventOf.set(t.events[t.events.length - 1]!.eventId!, trajectoryIdOf(t));
const { services, prefix, cleanup } = await launch(stack, `lathops${latenessMs}`, { SEGMENTER_ALLOWED_LATENESS_MS: String(latenessMs), SEGMENTER_IDLE_MS: String(idleMs) });

const taskEnds = new Map<string, number>();
const trajectoryCreated = new Map<string, { created: number; closeReason: string }>();
const activeCreated = new Map<string, number>();
const served = new Map<string, { at: number; lineage: string[] }>();
const serde = AvroSerde.forUrl(stack.registryUrl);
const observer = services.kafka.consumer({ groupId: `${prefix}observer`, maxWaitTimeInMs: 100 });
await observer.connect();
await observer.subscribe({ topics: [services.topics.trajectories.name, services.topics.templates.name], fromBeginning: true });
await observer.run({
  eachMessage: async ({ topic, message }) => {
    if (message.value === null) return;
    const created = Number(message.timestamp);
    if (topic === services.topics.trajectories.name) {
      const t = (await serde.decode(services.topics.trajectories, message.value)) as Trajectory;
      trajectoryCreated.set(t.trajectoryId, { created, closeReason: t.closeReason });
    } else {
      const t = (await serde.decode(services.topics.templates, message.value)) as Template;
      if (t.status === 'ACTIVE' && !activeCreated.has(t.templateId)) activeCreated.set(t.templateId, created);
    }
  },
});

// inside the inducer and the router: when a trajectory is applied, how long re-induction takes, when a template is applied
const trajectoryApplied = new Map<string, number>();
const induceMs: number[] = [];
const inducer = services.inducer.inducer;
const applyTrajectory = inducer.applyTrajectory.bind(inducer);
inducer.applyTrajectory = (t, ...rest) => {
  if (!trajectoryApplied.has(t.trajectoryId)) trajectoryApplied.set(t.trajectoryId, Date.now());
  return applyTrajectory(t, ...rest);
};
const plan = inducer.plan.bind(inducer);
inducer.plan = (agentKey) => {
  const t0 = performance.now();
  try {
    return plan(agentKey);
  } finally {
    induceMs.push(performance.now() - t0);
  }
};
// the inducer's producer (a private of its runner: this is a diagnostic): when a template's first ACTIVE version is handed to send() and acknowledged
const sendCalled = new Map<string, number>();
const sendAcked = new Map<string, number>();
const producer = (services.inducer.runner as unknown as { options: { producer: { send: (records: { value: unknown }[]) => Promise<void> } } }).options.producer;
const send = producer.send.bind(producer);
const sendSizes: number[] = [];
const encodeMs: number[] = [];
const inner = producer as unknown as { options: { serde: { encode: (...a: unknown[]) => Promise<Buffer> } } };
const encode = inner.options.serde.encode.bind(inner.options.serde);
inner.options.serde.encode = async (...a: unknown[]) => {
  const t0 = performance.now();
  try {
    return await encode(...a);
  } finally {
    encodeMs.push(performance.now() - t0);
  }
};
producer.send = async (records) => {
  sendSizes.push(records.length);
  const ids = records.map((r) => r.value as Template | null).filter((v) => v !== null && typeof v === 'object' && v.status === 'ACTIVE' && 'lineage' in v).map((v) => v!.templateId).filter((id) => !sendCalled.has(id));
  for (const id of ids) sendCalled.set(id, Date.now());
  await send(records);
  for (const id of ids) if (!sendAcked.has(id)) sendAcked.set(id, Date.now());
};
const routerFetched = new Map<string, number>();
const routerApplyMs: number[] = [];
const core = services.router.core;
const applyRecords = core.applyRecords.bind(core);
core.applyRecords = async (records) => {
  const t0 = Date.now();
  for (const r of records) if (r.value?.status === 'ACTIVE' && !routerFetched.has(r.key)) routerFetched.set(r.key, t0);
  try {
    return await applyRecords(records);
  } finally {
    routerApplyMs.push(Date.now() - t0);
  }
};

const watcher = watchActive(services, 10, (t) => served.set(t.templateId, { at: Date.now(), lineage: t.lineage.map((l) => l.trajectoryId) }));

try {
  const sink = kafkaStepSink({ brokers: stack.kafkaBrokers.split(','), registryUrl: stack.registryUrl, topicPrefix: prefix, clientId: 'bench-latency-hops' });
  await sendInRealTime(sink, events, durationMs, (e) => {
    const trajectory = endEventOf.get(e.eventId!);
    if (trajectory) taskEnds.set(trajectory, Date.now());
  });
  await until(async () => services.segmenter.openSessions() === 0, 120_000);
  await new Promise((r) => setTimeout(r, 3_000));
  await watcher.stop();
  await sink.close();
} finally {
  await observer.disconnect().catch(() => undefined);
  await cleanup();
}

const hops = {
  total: [] as number[],
  segmenter: [] as number[],
  inducer: [] as number[],
  '  fetch (created -> applied)': [] as number[],
  '  batch + send (applied -> template created)': [] as number[],
  '    applied -> send() called': [] as number[],
  '    send() called -> template created': [] as number[],
  '    send() called -> acknowledged': [] as number[],
  router: [] as number[],
  '  fetch (created -> apply starts)': [] as number[],
  '  apply + poll': [] as number[],
};
const reasons = new Map<string, number>();
for (const [templateId, s] of served) {
  const ends = s.lineage.map((id) => [id, taskEnds.get(id)] as const).filter((x): x is readonly [string, number] => x[1] !== undefined);
  if (ends.length === 0) continue;
  const [last, end] = ends.reduce((a, b) => (b[1] > a[1] ? b : a));
  const traj = trajectoryCreated.get(last);
  const tpl = activeCreated.get(templateId);
  hops.total.push(s.at - end);
  if (!traj || tpl === undefined) continue;
  reasons.set(traj.closeReason, (reasons.get(traj.closeReason) ?? 0) + 1);
  hops.segmenter.push(traj.created - end);
  hops.inducer.push(tpl - traj.created);
  hops.router.push(s.at - tpl);
  const applied = trajectoryApplied.get(last);
  if (applied !== undefined) {
    hops['  fetch (created -> applied)'].push(applied - traj.created);
    hops['  batch + send (applied -> template created)'].push(tpl - applied);
    const called = sendCalled.get(templateId);
    const acked = sendAcked.get(templateId);
    if (called !== undefined) {
      hops['    applied -> send() called'].push(called - applied);
      hops['    send() called -> template created'].push(tpl - called);
      if (acked !== undefined) hops['    send() called -> acknowledged'].push(acked - called);
    }
  }
  const fetched = routerFetched.get(templateId);
  if (fetched !== undefined) {
    hops['  fetch (created -> apply starts)'].push(fetched - tpl);
    hops['  apply + poll'].push(s.at - fetched);
  }
}
const fmt = (xs: number[]) => `p50 ${Math.round(percentile(xs, 50))} ms, p90 ${Math.round(percentile(xs, 90))} ms, p99 ${Math.round(percentile(xs, 99))} ms, max ${Math.round(Math.max(...xs))} ms`;
console.log(`lateness ${latenessMs} ms, idle close ${idleMs} ms, ${events.length} steps over ${durationMs} ms: ${hops.total.length} templates served`);
console.log(`close reasons of the last task: ${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')}`);
for (const [hop, xs] of Object.entries(hops)) console.log(`  ${hop.padEnd(46)} ${fmt(xs)}`);
console.log(`  one agent's re-induction (plan), all calls:     ${fmt(induceMs)} (${induceMs.length} calls)`);
console.log(`  records per inducer send():                      p50 ${percentile(sendSizes, 50)}, p99 ${percentile(sendSizes, 99)}, max ${Math.max(...sendSizes)} (${sendSizes.length} sends)`);
console.log(`  one record's Avro encode in the inducer:         p50 ${percentile(encodeMs, 50).toFixed(2)} ms, p99 ${percentile(encodeMs, 99).toFixed(2)} ms, sum ${Math.round(encodeMs.reduce((a, b) => a + b, 0))} ms`);
console.log(`  one router apply, all batches:                   ${fmt(routerApplyMs)} (${routerApplyMs.length} batches)`);
process.exit(0);
