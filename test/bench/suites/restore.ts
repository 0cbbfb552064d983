// Inducer restore time against history length: a 1,000-agent fleet (20 tenants), one
// trajectory per agent per day for 1, 10 and 100 days, and one quiet agent whose only run is
// on day 0 (it stays in its horizon, since its own clock never moves). Measured in the same
// run for each history:
//  - takeover (now): what a member reads on assignment, the compacted horizon and controls
//    stores of its tasks plus the templates topic (the store as compaction leaves it: the
//    trajectories in the horizons, written with the headers the service writes);
//  - replay from the hold (before): what the commit hold made a restart read, the
//    trajectories topic from the quiet agent's run on day 0, applied to the horizons.
// And heap per 10k agents of the restored state. docs/scaling.md explains the figures.
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { DEFAULT_INDUCER_POLICY, HorizonLedger, Inducer, Outbox, inducerStores, readPartitionsToEnd, SOURCE_OFFSET, SOURCE_PARTITION, SOURCE_TIMESTAMP, takeOver, TaskTable } from '@praxis/inducer';
import { createKafka, createLogger, createRuntime, ensureTopics, partitionOf, type OutputRecord, type Runtime } from '@praxis/kafka';
import { TrajectorySchema, type Trajectory } from '@praxis/schemas';
import { makeTrajectory } from '@praxis/schemas/factories';
import { repeat, timeMs, type BenchSuite, type Measurement } from '../harness.js';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const DAY = 24 * 60 * 60_000;
const T0 = Date.UTC(2026, 0, 1, 9);

/** The history: per day, one run of every agent, in time order; the quiet agent runs on day 0 only. */
function history(agents: number, days: number): Trajectory[] {
  const out: Trajectory[] = [];
  for (let d = 0; d < days; d++) {
    for (let a = 0; a < agents; a++) {
      if (a === 0 && d > 0) continue; // the quiet agent
      const at = T0 + d * DAY + (a % 600) * 60_000;
      const tenantId = `tenant-${a % 20}`;
      out.push(TrajectorySchema.parse(makeTrajectory({ trajectoryId: `t-${a}-${d}`, tenantId, agentId: `agent-${a}`, sessionId: `s-${a}-${d}`, startedAtMs: at, endedAtMs: at + 2_000 })));
    }
  }
  return out;
}

const inducerOf = () => new Inducer(() => DEFAULT_INDUCER_POLICY);

async function topicsFor(rt: Runtime, tasks: number) {
  const prefix = rt.topics.steps.name.slice(0, rt.topics.steps.name.length - 'praxis.steps.v1'.length);
  const stores = inducerStores(prefix, 'bench-inducer', tasks);
  const admin = rt.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [rt.topics.trajectories, rt.topics.feedback, rt.topics.templates, stores.horizon, stores.controls]);
  await admin.disconnect();
  return stores;
}

async function send(rt: Runtime, records: OutputRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 2_000) await rt.producer.send(records.slice(i, i + 2_000));
}

export const restoreSuite: BenchSuite = {
  id: 'restore',
  title: 'Inducer restore against history length (1,000 agents; takeover of the stores vs replay from the hold)',
  async run(ctx) {
    const stack = await ctx.stack();
    const agents = ctx.quick ? 200 : 1_000;
    const lengths = ctx.quick ? [1, 10] : [1, 10, 100];
    const repeats = Math.min(ctx.repeats, 3);
    const logger = createLogger('bench', 'error');
    const out: Measurement[] = [];
    let heapPer10k = 0;
    const created: string[] = [];
    for (const days of lengths) {
      const prefix = `bench-restore-${days}d-${Date.now().toString(36)}.`;
      const rt = await createRuntime('bench-restore', { KAFKA_BROKERS: stack.kafkaBrokers.split(','), SCHEMA_REGISTRY_URL: stack.registryUrl, PRAXIS_TOPIC_PREFIX: prefix, LOG_LEVEL: 'error' }, logger);
      const tasks = 3;
      const stores = await topicsFor(rt, tasks);
      // The history and its store are built in a scope of their own, so neither measurement pays for their heap.
      const { records, storeRecords } = await (async () => {
        const runs = history(agents, days);
        await send(rt, runs.map((value) => ({ spec: rt.topics.trajectories, value })));
        // The store as the service leaves it once compacted: the rings after the whole history.
        const offline = inducerOf();
        const byId = new Map<string, { t: Trajectory; offset: number }>();
        const perPartition = new Map<number, number>();
        for (const t of runs) {
          const p = partitionOf(t.tenantId, rt.topics.trajectories.partitions);
          const offset = perPartition.get(p) ?? 0;
          perPartition.set(p, offset + 1);
          byId.set(t.trajectoryId, { t, offset });
          offline.applyTrajectory(t, p, offset, t.endedAtMs);
        }
        const stored: OutputRecord[] = [];
        for (const agent of offline.agents.values()) {
          for (const s of agent.ring) {
            const { t, offset } = byId.get(s.trajectoryId)!;
            stored.push({ spec: stores.horizon, value: t, headers: { [SOURCE_PARTITION]: String(s.partition), [SOURCE_OFFSET]: String(offset), [SOURCE_TIMESTAMP]: String(t.endedAtMs) } });
          }
        }
        await send(rt, stored);
        ctx.log(`${days} d: ${runs.length} trajectories in the history, ${stored.length} in the horizon store`);
        return { records: runs.length, storeRecords: stored.length };
      })();
      const takeover = await repeat(repeats, async () => {
        const inducer = inducerOf();
        const table = new TaskTable(tasks);
        const target = { runtime: rt, groupId: `${prefix}bench-inducer`, stores, inducer, ledger: new HorizonLedger(stores.horizon), outbox: new Outbox(inducer), table, logger };
        gc();
        const before = process.memoryUsage().heapUsed;
        const ms = await timeMs(() => takeOver(target, [0, 1, 2]));
        gc();
        if (days === lengths[lengths.length - 1]) heapPer10k = ((process.memoryUsage().heapUsed - before) / inducer.agents.size) * 10_000;
        return ms;
      });
      const replay = await repeat(repeats, async () => {
        const inducer = inducerOf();
        return timeMs(() =>
          readPartitionsToEnd(rt.kafka, rt.serde, [{ spec: rt.topics.trajectories }], (r) => inducer.applyTrajectory(r.value as Trajectory, r.partition, r.offset, r.value ? (r.value as Trajectory).endedAtMs : undefined), { logger, timeoutMs: 600_000 }),
        );
      });
      out.push(
        { name: `restore.replay_${days}d_ms`, label: `replay from the hold, ${days} d history (before)`, unit: 'ms', higherIsBetter: false, samples: replay, notes: `${records} trajectories read` },
        { name: `restore.takeover_${days}d_ms`, label: `takeover of the stores, ${days} d history`, unit: 'ms', higherIsBetter: false, samples: takeover, baseline: `restore.replay_${days}d_ms`, notes: `${storeRecords} store records read` },
      );
      created.push(rt.topics.trajectories.name, rt.topics.feedback.name, rt.topics.templates.name, stores.horizon.name, stores.controls.name);
      await rt.producer.disconnect();
    }
    // deleted once at the end: a deletion while the next history's topics are created races with their metadata
    const admin = createKafka({ brokers: stack.kafkaBrokers.split(','), clientId: 'bench', logger }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: created }).catch(() => undefined);
    await admin.disconnect();
    out.push({ name: 'restore.heap_per_10k_agents_mib', label: `restored state, heap per 10k agents (${lengths[lengths.length - 1]} d)`, unit: 'MiB', higherIsBetter: false, samples: [heapPer10k / 2 ** 20] });
    return out;
  },
};
