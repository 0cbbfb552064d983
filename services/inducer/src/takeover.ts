// How an inducer member takes state over: on assignment, the tasks it gained (their partitions
// of the stores, and the templates of their tenants); once, the changelog of earlier versions.
import { ensureTopics, fetchCommitted, tp, type Logger, type Runtime } from '@praxis/kafka';
import type { Template, Trajectory } from '@praxis/schemas';
import type { TemplateControl } from './control.js';
import type { Outbox } from './outbox.js';
import type { Inducer } from './processor.js';
import { readPartitionsToEnd, readToEnd, type RestoredRecord } from './restore.js';
import { sourceOf, type HorizonLedger, type InducerStores } from './store.js';
import type { TakeoverOffsets, TaskTable } from './tasks.js';

/** The parts of a member a takeover restores into. */
export interface TakeoverTarget {
  runtime: Runtime;
  groupId: string;
  stores: InducerStores;
  inducer: Inducer;
  ledger: HorizonLedger;
  outbox: Outbox;
  table: TaskTable;
  logger: Logger;
  timeoutMs?: number;
}

/** What a takeover read and how long it took. */
export interface TakeoverSummary {
  tasks: number[];
  controls: number;
  templates: number;
  trajectories: number;
  agents: number;
  skipped: number;
  ms: number;
}

/**
 * Restores the state of `tasks` (controls, then the published templates of their tenants, then
 * the horizons) and sets their catch-up targets. Reads the stores' partitions of these tasks
 * only, and the compacted templates topic: time bounded by the state, not by history.
 */
export async function takeOver(target: TakeoverTarget, tasks: readonly number[]): Promise<TakeoverSummary> {
  const started = Date.now();
  const { runtime, stores, inducer, ledger, outbox, table } = target;
  const { trajectories, feedback, templates } = runtime.topics;
  const mine = new Set(tasks);
  const read: Record<'controls' | 'templates' | 'horizon', RestoredRecord[]> = { controls: [], templates: [], horizon: [] };
  const summary = await readPartitionsToEnd(
    runtime.kafka,
    runtime.serde,
    [{ spec: stores.controls, partitions: tasks }, { spec: stores.horizon, partitions: tasks }, { spec: templates }],
    (r) => read[r.spec === stores.controls ? 'controls' : r.spec === stores.horizon ? 'horizon' : 'templates'].push(r),
    { logger: target.logger, timeoutMs: target.timeoutMs },
  );

  for (const r of read.templates) {
    if (r.key === null) continue;
    const t = r.value as Template | null;
    if (t === null || mine.has(table.taskOfTenant(t.tenantId))) inducer.restorePublished(r.key, t);
  }
  // Controls before the horizons: they carry the agents' feedback clocks, which horizons are
  // evicted by. The store keys them by tenant, memory by template: where two tenants of one
  // task filed controls under one id, the template's owner keeps its own.
  for (const r of latest(read.controls)) {
    const c = r.value as TemplateControl;
    const owner = inducer.published.get(c.templateId)?.agentKey;
    if (owner !== undefined && owner.slice(0, owner.indexOf('/')) !== c.tenantId) continue;
    inducer.restoreControl(c);
  }
  const agents = new Set<string>();
  for (const r of latest(read.horizon)) {
    const t = r.value as Trajectory;
    const src = sourceOf(r.headers);
    const agentKey = `${t.tenantId}/${t.agentId}`;
    inducer.applyTrajectory(t, src.partition, src.offset, Number.isNaN(src.timestampMs) ? undefined : src.timestampMs);
    ledger.restored(agentKey, t.trajectoryId);
    agents.add(agentKey);
  }
  // Every restored agent is planned again once caught up: only real changes are published.
  for (const key of agents) {
    ledger.touch(key);
    outbox.touch(key);
  }

  const admin = runtime.kafka.admin();
  await admin.connect();
  try {
    const committed = await fetchCommitted(admin, target.groupId, [trajectories.name, feedback.name]);
    const inputs: TakeoverOffsets[] = [];
    for (const topic of [trajectories.name, feedback.name]) {
      for (const o of await admin.fetchTopicOffsets(topic)) {
        if (mine.has(o.partition % table.tasks)) inputs.push({ topic, partition: o.partition, high: Number(o.high), committed: committed.get(tp(topic, o.partition)) ?? -1 });
      }
    }
    for (const task of tasks) table.take(task, inputs.filter((i) => i.partition % table.tasks === task));
  } finally {
    await admin.disconnect();
  }
  return {
    tasks: [...tasks],
    controls: read.controls.length,
    templates: read.templates.length,
    trajectories: read.horizon.length,
    agents: agents.size,
    skipped: summary.skipped,
    ms: Date.now() - started,
  };
}

/** The latest record per key of a compacted read, tombstoned keys removed, in offset order. */
function latest(records: readonly RestoredRecord[]): RestoredRecord[] {
  const byKey = new Map<string, RestoredRecord>();
  for (const r of records) {
    if (r.key === null) continue;
    byKey.delete(r.key); // re-insert: a key keeps the position of its latest record
    if (r.value !== null) byKey.set(r.key, r);
  }
  return [...byKey.values()];
}

/**
 * Creates the stores; the first time, copies the changelog of earlier versions (key templateId,
 * 3 partitions) into the controls store, where it is partitioned by tenant. Start one member of
 * the new version first (docs/scaling.md, "Migration"): the copy runs only while the store is new.
 */
export async function prepareStores(runtime: Runtime, stores: InducerStores, logger: Logger): Promise<{ migrated: number }> {
  const admin = runtime.kafka.admin();
  await admin.connect();
  let legacy = false;
  try {
    const existing = new Set(await admin.listTopics());
    legacy = existing.has(stores.legacyChangelog.name) && !existing.has(stores.controls.name);
    const reports = await ensureTopics(admin, [stores.horizon, stores.controls]);
    const wrong = reports.filter((r) => (r.topic === stores.horizon.name || r.topic === stores.controls.name) && r.partitions !== stores.horizon.partitions);
    if (wrong.length > 0) throw new Error(`inducer stores must have one partition per task (${stores.horizon.partitions}): ${wrong.map((r) => `${r.topic} has ${r.partitions}`).join('; ')}`);
  } finally {
    await admin.disconnect();
  }
  if (!legacy) return { migrated: 0 };
  const controls = new Map<string, TemplateControl>();
  await readToEnd(runtime.kafka, runtime.serde, stores.legacyChangelog, (key, value) => (key === null ? undefined : value === null ? controls.delete(key) : controls.set(key, value as TemplateControl)), { logger });
  const values = [...controls.values()];
  for (let i = 0; i < values.length; i += 500) await runtime.producer.send(values.slice(i, i + 500).map((value) => ({ spec: stores.controls, value })));
  logger.info({ event: 'legacy_changelog_migrated', from: stores.legacyChangelog.name, to: stores.controls.name, controls: values.length }, 'copied the changelog of an earlier version into the controls store');
  return { migrated: values.length };
}
