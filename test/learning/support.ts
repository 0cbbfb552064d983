// Helpers of the learning integration tests: produce the fleet, read topics back, wait for
// the pipeline to go quiet, and compare template sets.
import { readToEnd } from '@praxis/inducer';
import { fetchCommitted, tp, type Runtime } from '@praxis/kafka';
import type { AgentStepInput, Template, TopicSpec, Trajectory } from '@praxis/schemas';

/** Sends events in order, in chunks (the producer keeps per-partition order). */
export async function produceInOrder(rt: Runtime, spec: TopicSpec, values: readonly unknown[], chunk = 500): Promise<void> {
  for (let i = 0; i < values.length; i += chunk) await rt.producer.send(values.slice(i, i + chunk).map((value) => ({ spec, value })));
}

/** Sends steps to the steps topic in the given order. */
export const produceSteps = (rt: Runtime, events: readonly AgentStepInput[]) => produceInOrder(rt, rt.topics.steps, events);

/** Every record of a topic up to its current end, decoded and validated. */
export async function readAll<T>(rt: Runtime, spec: TopicSpec): Promise<{ key: string | null; value: T | null; partition: number; offset: number }[]> {
  const out: { key: string | null; value: T | null; partition: number; offset: number }[] = [];
  await readToEnd(rt.kafka, rt.serde, spec, (key, value, partition, offset) => out.push({ key, value: value as T | null, partition, offset }), { logger: rt.logger });
  return out;
}

/** Trajectories of a topic by id (repeats must be identical, and are checked to be). */
export async function trajectoriesById(rt: Runtime, spec: TopicSpec): Promise<{ byId: Map<string, Trajectory>; records: number; conflicts: string[] }> {
  const records = await readAll<Trajectory>(rt, spec);
  const byId = new Map<string, Trajectory>();
  const conflicts: string[] = [];
  for (const { value } of records) {
    if (!value) continue;
    const seen = byId.get(value.trajectoryId);
    if (seen && JSON.stringify(seen) !== JSON.stringify(value)) conflicts.push(value.trajectoryId);
    if (!seen) byId.set(value.trajectoryId, value);
  }
  return { byId, records: records.length, conflicts };
}

/** The live templates of a compacted topic: the latest value per key, tombstoned keys removed. */
export async function liveTemplates(rt: Runtime, spec: TopicSpec = rt.topics.templates): Promise<Map<string, Template>> {
  const live = new Map<string, Template>();
  for (const { key, value } of await readAll<Template>(rt, spec)) {
    if (key === null) continue;
    if (value === null) live.delete(key);
    else live.set(key, value);
  }
  return live;
}

/**
 * What must be equal between two runs over the same steps: everything but the version
 * counter and publication times (they count this process's publications), and the topic
 * offsets of lineage (each run writes its own trajectories topic).
 */
export function comparable(t: Template): unknown {
  const { version: _v, createdAtMs: _c, updatedAtMs: _u, lineage, ...rest } = t;
  return { ...rest, lineage: lineage.map((l) => l.trajectoryId) };
}

/** Polls until `probe` gives the same truthy value `times` times in a row (the pipeline is quiet), or the timeout. */
export async function settle<T>(probe: () => Promise<T | null>, options: { times?: number; everyMs?: number; timeoutMs?: number } = {}): Promise<T | null> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let last: string | null = null;
  let same = 0;
  let value: T | null = null;
  while (Date.now() < deadline) {
    value = await probe();
    const text = value === null ? null : JSON.stringify(value);
    same = text !== null && text === last ? same + 1 : 0;
    last = text;
    if (same >= (options.times ?? 3)) return value;
    await new Promise((r) => setTimeout(r, options.everyMs ?? 1_000));
  }
  return value;
}

/** Whether a consumer that applied these offsets has seen every record of the topic. */
export async function consumedAll(rt: Runtime, topic: string, applied: Map<number, number>): Promise<boolean> {
  const admin = rt.kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).every((p) => Number(p.high) === 0 || (applied.get(p.partition) ?? -1) >= Number(p.high) - 1);
  } finally {
    await admin.disconnect();
  }
}

/** End offsets of a topic, summed: grows while anything is written to it. */
export async function endOffsets(rt: Runtime, topic: string): Promise<number> {
  const admin = rt.kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Per partition of `topics`, where the group committed (-1: never) and where the partition ends (through an admin the caller connected). */
export async function groupPositions(admin: ReturnType<Runtime['kafka']['admin']>, groupId: string, topics: string[]): Promise<{ topic: string; partition: number; committed: number; high: number }[]> {
  const committed = await fetchCommitted(admin, groupId, topics);
  const out: { topic: string; partition: number; committed: number; high: number }[] = [];
  for (const topic of topics) {
    for (const o of await admin.fetchTopicOffsets(topic)) out.push({ topic, partition: o.partition, committed: committed.get(tp(topic, o.partition)) ?? -1, high: Number(o.high) });
  }
  return out;
}

/** Records a group has not committed over `topics` (through an admin the caller connected). */
export async function groupLag(admin: ReturnType<Runtime['kafka']['admin']>, groupId: string, topics: string[]): Promise<number> {
  return (await groupPositions(admin, groupId, topics)).reduce((behind, p) => behind + Math.max(0, p.high - Math.max(p.committed, 0)), 0);
}
