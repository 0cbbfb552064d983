// The inducer's state stores: two compacted topics per group, partitioned like its input (one
// partition per task, by tenant), so a member restores exactly the tasks it is assigned and a
// restore reads the state, not the history (docs/scaling.md).
//  - horizon store: the trajectories in each agent's horizon, one record per trajectory
//    (key tenant/agent/trajectory), tombstoned when it leaves the horizon;
//  - controls store: each template's control (key tenant/template), what feedback taught.
import { avroSchemas, tenantOfKey, TrajectorySchema, type TopicSpec, type Trajectory } from '@praxis/schemas';
import type { OutputRecord } from '@praxis/kafka';
import { changelogSpec, type TemplateControl } from './control.js';

/** Where a stored trajectory was first read; kept in headers so a restore rebuilds the same summary (lineage, clock cap). */
export interface TrajectorySource {
  partition: number;
  offset: number;
  timestampMs: number;
}

export const SOURCE_PARTITION = 'praxis.source.partition';
export const SOURCE_OFFSET = 'praxis.source.offset';
export const SOURCE_TIMESTAMP = 'praxis.source.timestamp';

/** The stores of an inducer group. */
export interface InducerStores {
  horizon: TopicSpec;
  controls: TopicSpec;
  /** The changelog of earlier versions (3 partitions, key templateId): read once to migrate (see migrate.ts). */
  legacyChangelog: TopicSpec;
}

// Compaction only cleans closed segments: an hour per segment keeps the uncompacted tail short.
const COMPACTED = { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0', 'segment.ms': String(60 * 60_000), 'delete.retention.ms': String(24 * 60 * 60_000) };

/** The store topics of group `groupId`, with one partition per task. */
export function inducerStores(prefix: string, groupId: string, tasks: number): InducerStores {
  const legacyChangelog = changelogSpec(prefix, groupId);
  const horizonName = `${prefix}${groupId}-horizon-store`;
  const controlsName = `${prefix}${groupId}-controls-store`;
  // Internal topics: TopicSpec.id only names the public ones, so these borrow one (it is unused at runtime).
  const horizon = {
    id: 'trajectories',
    name: horizonName,
    avro: avroSchemas.trajectory,
    validator: TrajectorySchema,
    keyOf: (t: Trajectory) => `${t.tenantId}/${t.agentId}/${t.trajectoryId}`,
    partitionKey: tenantOfKey,
    tombstones: true,
    partitions: tasks,
    config: COMPACTED,
    dlq: `${horizonName}.dlq`,
  } as TopicSpec;
  const controls = {
    ...legacyChangelog,
    name: controlsName,
    keyOf: (c: TemplateControl) => `${c.tenantId}/${c.templateId}`,
    partitionKey: tenantOfKey,
    partitions: tasks,
    config: COMPACTED,
    dlq: `${controlsName}.dlq`,
  } as TopicSpec;
  return { horizon, controls, legacyChangelog };
}

/** A trajectory applied to a horizon and not yet in the store. */
interface Pending {
  trajectory: Trajectory;
  source: TrajectorySource;
}

/** What a delivery writes to the horizon store, and what to remember once it is acknowledged. */
export interface HorizonWrites {
  records: OutputRecord[];
  acknowledged: () => void;
}

/**
 * Which trajectories the horizon store holds per agent, and the writes that bring it to the
 * agents' rings: a put for a trajectory that entered, a tombstone for one that left. Output
 * before state: what the store holds changes only once the writes are acknowledged, so a
 * failed send is diffed again from the rings at the next delivery.
 */
export class HorizonLedger {
  private readonly stored = new Map<string, Set<string>>();
  private readonly pending = new Map<string, Pending>();
  private readonly dirty = new Set<string>();

  constructor(private readonly spec: TopicSpec) {}

  /** A trajectory entered an agent's ring (or was offered to it) from the input. */
  applied(agentKey: string, trajectory: Trajectory, source: TrajectorySource): void {
    this.pending.set(`${agentKey}/${trajectory.trajectoryId}`, { trajectory, source });
    this.dirty.add(agentKey);
  }

  /** An agent's ring may have lost trajectories (eviction by clock). */
  touch(agentKey: string): void {
    this.dirty.add(agentKey);
  }

  /** A trajectory read back from the store (restore). */
  restored(agentKey: string, trajectoryId: string): void {
    let ids = this.stored.get(agentKey);
    if (!ids) this.stored.set(agentKey, (ids = new Set()));
    ids.add(trajectoryId);
  }

  /** Agents whose store records may differ from their ring. */
  get size(): number {
    return this.dirty.size;
  }

  /** The puts and tombstones of every dirty agent; `ringOf` gives the ids its ring holds now. */
  writes(ringOf: (agentKey: string) => readonly string[]): HorizonWrites {
    const records: OutputRecord[] = [];
    const next = new Map<string, Set<string>>();
    const written: string[] = [];
    for (const agentKey of [...this.dirty].sort()) {
      const ring = new Set(ringOf(agentKey));
      const held = this.stored.get(agentKey) ?? new Set<string>();
      for (const id of [...held].sort()) if (!ring.has(id)) records.push({ spec: this.spec, key: `${agentKey}/${id}`, value: null });
      for (const id of ring) {
        if (held.has(id)) continue;
        const p = this.pending.get(`${agentKey}/${id}`);
        if (!p) continue; // restored from the store: already there
        records.push({ spec: this.spec, value: p.trajectory, headers: { [SOURCE_PARTITION]: String(p.source.partition), [SOURCE_OFFSET]: String(p.source.offset), [SOURCE_TIMESTAMP]: String(p.source.timestampMs) } });
        written.push(`${agentKey}/${id}`);
      }
      // offered but evicted before it was ever written: nothing to keep
      for (const k of [...this.pending.keys()]) if (k.startsWith(`${agentKey}/`) && !ring.has(k.slice(agentKey.length + 1))) this.pending.delete(k);
      next.set(agentKey, ring);
    }
    return {
      records,
      acknowledged: () => {
        for (const [agentKey, ring] of next) {
          this.stored.set(agentKey, ring);
          this.dirty.delete(agentKey);
        }
        for (const k of written) this.pending.delete(k);
      },
    };
  }

  /** Forgets the agents `drop` names (their task moved to another member). */
  forget(drop: (agentKey: string) => boolean): void {
    for (const k of [...this.stored.keys()]) if (drop(k)) this.stored.delete(k);
    for (const k of [...this.dirty]) if (drop(k)) this.dirty.delete(k);
    for (const [k, p] of [...this.pending]) if (drop(`${p.trajectory.tenantId}/${p.trajectory.agentId}`)) this.pending.delete(k);
  }
}

/** The source of a stored trajectory, from its headers (absent: unknown, offset -1). */
export function sourceOf(headers: Record<string, string>): TrajectorySource {
  const n = (name: string, fallback: number) => (headers[name] !== undefined && headers[name] !== '' ? Number(headers[name]) : fallback);
  return { partition: n(SOURCE_PARTITION, -1), offset: n(SOURCE_OFFSET, -1), timestampMs: n(SOURCE_TIMESTAMP, Number.NaN) };
}
