// The segmenter as a consumer group member: steps in, trajectories out, commits held at
// the offset from which a replay rebuilds the open sessions (see processor.ts, hold()).
import { ConsumerRunner, TraceCarry, type Assignment, type HandlerOutcome, type TickContext, type OutputRecord, type Runtime } from '@praxis/kafka';
import type { AgentStep } from '@praxis/schemas';
import { clockClampedTotal, fallbackFlushesTotal, openSessionsGauge, pendingStepsGauge, trajectoriesTotal } from './metrics.js';
import { policyResolver, type PolicyOverrides, type SegmenterPolicy } from './policy.js';
import { PartitionSegmenter, type EmittedTrajectory } from './processor.js';

export interface SegmenterServiceOptions {
  runtime: Runtime;
  groupId: string;
  policy: SegmenterPolicy;
  overrides?: PolicyOverrides;
  /** Processing-time idleness (see processor.ts). */
  idleMs: number;
  /** Extra wall time before the idle fallback closes a quiet partition's sessions: tolerated delivery delay. */
  idleGraceMs: number;
  tickMs?: number;
  maxPendingPerSession?: number;
  maxBatchSize?: number;
  sessionTimeoutMs?: number;
  fromBeginning?: boolean;
  /** Bound of the stalled-loop check (default: the runtime's CONSUMER_STALL_AFTER_MS). */
  stallAfterMs?: number;
  /** See SegmenterOptions.maxClockSkewMs; defaults to 5 min (a member always has broker time). */
  maxClockSkewMs?: number;
}

export interface SegmenterHandle {
  runner: ConsumerRunner;
  /** Sessions with open tasks, over all assigned partitions. */
  openSessions(): number;
  /** Steps handed to the processor by this member so far (accepted, refused or dropped). */
  applied(): number;
  stop(): Promise<void>;
}

/** Starts a segmenter group member; resolves once it consumes. */
export async function startSegmenter(options: SegmenterServiceOptions): Promise<SegmenterHandle> {
  const { runtime } = options;
  const { steps, trajectories } = runtime.topics;
  const policyFor = policyResolver(options.policy, options.overrides);
  const partitions = new Map<number, PartitionSegmenter>();
  const lastRecordAt = new Map<number, number>();
  const startedAt = Date.now();
  let applied = 0;
  const log = runtime.logger.child({ component: 'segmenter' });
  // a trajectory continues the trace of its steps (the agent task's), by their event ids
  const traces = new TraceCarry();

  const partitionOf = (p: number) => {
    let seg = partitions.get(p);
    if (!seg) {
      seg = new PartitionSegmenter({
        policyFor,
        idleMs: options.idleMs,
        maxPendingPerSession: options.maxPendingPerSession ?? 2_000,
        maxClockSkewMs: options.maxClockSkewMs ?? 5 * 60_000,
        onClamped: () => clockClampedTotal.inc(),
      });
      partitions.set(p, seg);
    }
    return seg;
  };
  const toOutputs = (emitted: EmittedTrajectory[]): OutputRecord[] =>
    emitted.map((e) => {
      trajectoriesTotal.inc({ reason: e.trajectory.closeReason });
      const steps = e.trajectory.steps;
      return { spec: trajectories, value: e.trajectory, headers: traces.headersFor(steps[steps.length - 1]?.eventId, steps[0]?.eventId) };
    });
  const observe = (p: number, seg: PartitionSegmenter) => {
    openSessionsGauge.set({ partition: String(p) }, seg.openSessions);
    pendingStepsGauge.set({ partition: String(p) }, seg.pendingSteps);
  };

  const runner = new ConsumerRunner({
    kafka: runtime.kafka,
    serde: runtime.serde,
    producer: runtime.producer,
    logger: runtime.logger,
    service: runtime.service,
    groupId: options.groupId,
    topics: [steps],
    fromBeginning: options.fromBeginning ?? true,
    maxBatchSize: options.maxBatchSize,
    sessionTimeoutMs: options.sessionTimeoutMs,
    stallAfterMs: options.stallAfterMs ?? runtime.stallAfterMs,
    // its sessions are per partition: one partition's trajectories are written while another's steps are applied
    partitionsInFlight: runtime.partitionsInFlight,
    // apply() changes the sessions as it reads: trajectories not written must be rebuilt by replay
    replayOnFailedSend: true,
    handler: async (records, ctx): Promise<HandlerOutcome> => {
      const seg = partitionOf(ctx.partition);
      lastRecordAt.set(ctx.partition, Date.now());
      const emitted: EmittedTrajectory[] = [];
      for (const r of records) traces.note((r.value as AgentStep).eventId, r.headers);
      const results = records.map((r) => seg.apply(r.value as AgentStep, Number(r.offset), r.timestamp, emitted));
      applied += records.length;
      const next = Number(records[records.length - 1]!.offset) + 1;
      observe(ctx.partition, seg);
      return { results, outputs: toOutputs(emitted), commitOffset: String(seg.hold(next)) };
    },
    tick: {
      intervalMs: options.tickMs ?? 1_000,
      run: async (now: number, assigned: Assignment[], ctx: TickContext) => {
        const outputs: OutputRecord[] = [];
        const commits: { topic: string; partition: number; offset: string }[] = [];
        // Quiet is counted from the last record or the member's last join, whichever is later,
        // and never during a rebalance: fetching stops then, so a partition only looks quiet.
        if (ctx.rebalancing) return { outputs, commits };
        const quiet = assigned.filter((a) => {
          if (a.topic !== steps.name) return false;
          const seg = partitions.get(a.partition);
          if (!seg || seg.openSessions === 0) return false;
          return now - Math.max(lastRecordAt.get(a.partition) ?? startedAt, ctx.joinedAt) >= options.idleMs + options.idleGraceMs;
        });
        // ... and only where the log holds nothing more for it: records not yet fetched (a slow
        // or starved member) would otherwise be cut off from the sessions they continue.
        const idle = quiet.length === 0 ? [] : await ctx.caughtUp(quiet);
        for (const a of idle) {
          const seg = partitions.get(a.partition)!;
          const quietFor = now - (lastRecordAt.get(a.partition) ?? startedAt);
          const emitted: EmittedTrajectory[] = [];
          const closed = seg.flushAll(emitted);
          fallbackFlushesTotal.inc();
          log.info({ event: 'idle_partition_flushed', partition: a.partition, sessions: closed, trajectories: emitted.length, quietForMs: quietFor }, 'closed the sessions of an idle partition');
          outputs.push(...toOutputs(emitted));
          commits.push({ topic: steps.name, partition: a.partition, offset: String(seg.hold(seg.appliedOffset + 1)) });
          observe(a.partition, seg);
        }
        return { outputs, commits };
      },
    },
    onRevoked: (lost) => {
      for (const a of lost) {
        partitions.delete(a.partition);
        lastRecordAt.delete(a.partition);
        openSessionsGauge.remove({ partition: String(a.partition) });
        pendingStepsGauge.remove({ partition: String(a.partition) });
      }
    },
  });
  await runner.start();
  return {
    runner,
    openSessions: () => [...partitions.values()].reduce((n, s) => n + s.openSessions, 0),
    applied: () => applied,
    stop: () => runner.stop(),
  };
}
