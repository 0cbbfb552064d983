// The inducer as a consumer group member, one of N. Its state is partitioned by tenant into
// tasks (task = murmur2(tenant) mod T, T the smaller partition count of trajectories and
// feedback); the group assigns whole tasks, so every trajectory, feedback record and unlearn
// order of a tenant reaches the member that owns it. On assignment a member restores just its
// tasks from two compacted stores (horizons, controls) and the templates of their tenants, then
// replays its input from the committed offsets, publishing nothing for a task until it caught
// up. Every batch writes its state changes to the stores before its offsets are committed, so
// a revoked task needs no flush and a commit is never held back by a quiet agent. While a
// backlog is pending (the broker already holds more of the partition), a chunk only applies:
// re-planning and the store writes wait for the chunk that reaches the backlog's end (or the
// tick), and the commit is held at the first record not yet written. docs/scaling.md.
import { ConsumerRunner, taskCount, TraceCarry, type Assignment, type HandlerOutcome, type OutputRecord, type Runtime } from '@praxis/kafka';
import type { Feedback, Template, Trajectory } from '@praxis/schemas';
import { agentPlansTotal, ownedTasksGauge, refusalsTotal, restoreSeconds, restoringGauge, templatesPublishedTotal, trajectoriesInHorizonGauge, forwardedTotal } from './metrics.js';
import { inducerPolicyResolver, type InducerOverrides, type InducerPolicy } from './policy.js';
import { Inducer, type TemplateOutput } from './processor.js';
import { Outbox } from './outbox.js';
import { HorizonLedger, inducerStores, type InducerStores } from './store.js';
import { prepareStores, takeOver } from './takeover.js';
import { TaskTable } from './tasks.js';

export interface InducerServiceOptions {
  runtime: Runtime;
  groupId: string;
  policy: InducerPolicy;
  overrides?: InducerOverrides;
  tickMs?: number;
  maxBatchSize?: number;
  sessionTimeoutMs?: number;
  /** Bound of the stalled-loop check (default: the runtime's CONSUMER_STALL_AFTER_MS). */
  stallAfterMs?: number;
  /** See InducerOptions.maxClockSkewMs. */
  maxClockSkewMs?: number;
  /** See InducerOptions.templateIdKey. */
  templateIdKey?: string;
  /** Bound of one takeover's store read (default 120 s; it must also stay under the session timeout). */
  restoreTimeoutMs?: number;
}

export interface InducerHandle {
  runner: ConsumerRunner;
  inducer: Inducer;
  stores: InducerStores;
  /** Whether every owned task has caught up with its replay (and at least one is owned). */
  caughtUp(): boolean;
  /** Tasks this member owns. */
  ownedTasks(): number[];
  /** Agents to re-induce, control changes and horizon-store writes not yet acknowledged. */
  unacknowledged(): number;
  /** Agents planned (induced again) by this member so far. */
  plans(): number;
  /** The last trajectories offset applied, per owned partition. */
  appliedOffsets(): Map<number, number>;
  stop(): Promise<void>;
}

/** Starts an inducer group member; resolves once it consumes. Any number of members per group (docs/scaling.md). */
export async function startInducer(options: InducerServiceOptions): Promise<InducerHandle> {
  const { runtime } = options;
  const { trajectories, feedback, templates } = runtime.topics;
  const log = runtime.logger.child({ component: 'inducer' });
  const prefix = templates.name.slice(0, templates.name.length - 'praxis.templates.v1'.length);

  const admin = runtime.kafka.admin();
  await admin.connect();
  let tasks: number;
  try {
    const meta = await admin.fetchTopicMetadata({ topics: [trajectories.name, feedback.name] });
    tasks = taskCount(meta.topics.map((t) => ({ topic: t.name, partitions: t.partitions.length })));
  } finally {
    await admin.disconnect();
  }
  const stores = inducerStores(prefix, options.groupId, tasks);
  const { migrated } = await prepareStores(runtime, stores, log);

  const inducer = new Inducer(inducerPolicyResolver(options.policy, options.overrides), {
    maxClockSkewMs: options.maxClockSkewMs,
    templateIdKey: options.templateIdKey,
    onRefusal: (reason) => refusalsTotal.inc({ reason }),
  });
  const table = new TaskTable(tasks);
  const outbox = new Outbox(inducer);
  let plans = 0;
  const ledger = new HorizonLedger(stores.horizon);

  /** Everything owed (templates, horizon-store writes, controls) as one send; its state takes effect only on acknowledgement. */
  const delivery = (): Pick<HandlerOutcome, 'outputs' | 'onAcknowledged'> => {
    // A chunk of dead letters only never reaches the handler: the runner's position says how far the input was read.
    for (const { topic, partition } of table.pendingInputs()) {
      const next = runner.positionOf(topic, partition);
      if (next !== undefined) table.advance(topic, partition, next - 1);
    }
    // An agent is induced only once its task has caught up: never from a partial replay.
    const d = outbox.deliver((key) => table.caughtUp(table.taskOfAgent(key)));
    plans += d.planned;
    agentPlansTotal.inc(d.planned);
    const h = ledger.writes((key) => inducer.agents.get(key)?.ring.map((t) => t.trajectoryId) ?? []);
    restoringGauge.set(table.restoring());
    trajectoriesInHorizonGauge.set([...inducer.agents.values()].reduce((n, a) => n + a.ring.length, 0));
    const outputs = [...d.templates.map(toRecord), ...h.records, ...d.controls.map((c): OutputRecord => ({ spec: stores.controls, value: c }))];
    return {
      outputs,
      onAcknowledged: () => {
        d.acknowledged();
        h.acknowledged();
        for (const out of d.templates) templatesPublishedTotal.inc({ status: out.value?.status ?? 'tombstone' });
      },
    };
  };
  const toRecord = (out: TemplateOutput): OutputRecord =>
    out.value === null ? { spec: templates, key: out.key, value: null } : { spec: templates, value: out.value, headers: traces.headersFor(out.value.agentId === null ? undefined : `${out.value.tenantId}/${out.value.agentId}`) };
  /** A record written before tenant partitioning sits on another task's partition: sent on to its tenant's. */
  const forward = (spec: typeof trajectories | typeof feedback, value: unknown): OutputRecord => {
    forwardedTotal.inc({ topic: spec.name });
    return { spec, value };
  };
  // Partition -> first offset applied but not yet written to the stores (a deferred chunk's hold).
  const deferredFrom = new Map<string, string>();
  /** `delivery()`, and once it is acknowledged the holds of the chunks it covered are released. */
  const deliverAll = (): Pick<HandlerOutcome, 'outputs' | 'onAcknowledged'> => {
    const d = delivery();
    const covered = [...deferredFrom.keys()];
    return {
      outputs: d.outputs,
      onAcknowledged: () => {
        d.onAcknowledged?.();
        for (const k of covered) deferredFrom.delete(k);
      },
    };
  };
  const tasksOf = (assignments: Assignment[]) => [...new Set(assignments.filter((a) => a.topic === trajectories.name || a.topic === feedback.name).map((a) => a.partition % tasks))].sort((a, b) => a - b);
  // a template version continues the trace of the latest trajectory (or feedback) of its agent
  const traces = new TraceCarry();

  const runner = new ConsumerRunner({
    kafka: runtime.kafka,
    serde: runtime.serde,
    producer: runtime.producer,
    logger: runtime.logger,
    service: runtime.service,
    groupId: options.groupId,
    topics: [trajectories, feedback],
    fromBeginning: true,
    coPartitioned: true,
    maxBatchSize: options.maxBatchSize,
    sessionTimeoutMs: options.sessionTimeoutMs,
    stallAfterMs: options.stallAfterMs ?? runtime.stallAfterMs,
    handler: async (records, ctx): Promise<HandlerOutcome> => {
      const last = Number(records[records.length - 1]!.offset);
      const forwards: OutputRecord[] = [];
      if (ctx.topic === trajectories.name) {
        for (const r of records) {
          const t = r.value as Trajectory;
          if (!table.inPlace(t.tenantId, ctx.partition)) {
            forwards.push(forward(trajectories, t));
            continue;
          }
          const key = inducer.applyTrajectory(t, ctx.partition, Number(r.offset), r.timestamp);
          if (!key) continue;
          outbox.touch(key);
          traces.note(key, r.headers);
          ledger.applied(key, t, { partition: ctx.partition, offset: Number(r.offset), timestampMs: r.timestamp });
        }
      } else {
        for (const r of records) {
          const f = r.value as Feedback;
          if (!table.inPlace(f.tenantId, ctx.partition)) {
            forwards.push(forward(feedback, f));
            continue;
          }
          const result = inducer.applyFeedback(f, ctx.partition, Number(r.offset), r.timestamp);
          if (!result) continue;
          outbox.control(result.control);
          outbox.touch(result.agentKey);
          traces.note(result.agentKey, r.headers);
          ledger.touch(result.agentKey); // a later execution time can evict trajectories
        }
      }
      table.advance(ctx.topic, ctx.partition, last);
      const at = `${ctx.topic}:${ctx.partition}`;
      if (ctx.behind > 0) {
        // more of the partition is already fetched or on the broker: plan once for the whole backlog
        if (!deferredFrom.has(at)) deferredFrom.set(at, records[0]!.offset);
        return { outputs: forwards, commitOffset: deferredFrom.get(at) };
      }
      const d = deliverAll();
      return { ...d, outputs: [...forwards, ...(d.outputs ?? [])] };
    },
    tick: {
      intervalMs: options.tickMs ?? 1_000,
      // Also the retry of a failed send: what was not acknowledged is still owed.
      run: async () => (outbox.size > 0 || ledger.size > 0 || table.restoring() > 0 ? deliverAll() : {}),
    },
    onRevoked: (lost) => {
      for (const a of lost) deferredFrom.delete(`${a.topic}:${a.partition}`);
      for (const task of tasksOf(lost)) {
        const drop = (tenantId: string) => table.taskOfTenant(tenantId) === task;
        inducer.forgetTenants(drop);
        outbox.forget(drop);
        ledger.forget((agentKey) => drop(agentKey.slice(0, agentKey.indexOf('/'))));
        table.drop(task);
      }
      ownedTasksGauge.set(table.ownedTasks().length);
      log.info({ event: 'tasks_revoked', tasks: tasksOf(lost), owned: table.ownedTasks() }, 'gave tasks up');
    },
    onAssigned: async (gained) => {
      const fresh = tasksOf(gained).filter((t) => !table.owns(t));
      if (fresh.length === 0) return;
      const s = await takeOver({ runtime, groupId: options.groupId, stores, inducer, ledger, outbox, table, logger: log, timeoutMs: options.restoreTimeoutMs }, fresh);
      restoreSeconds.observe(s.ms / 1000);
      ownedTasksGauge.set(table.ownedTasks().length);
      restoringGauge.set(table.restoring());
      log.info({ event: 'tasks_restored', ...s, owned: table.ownedTasks() }, 'took tasks over');
    },
  });
  await runner.start();
  log.info({ event: 'inducer_member_started', tasks, stores: [stores.horizon.name, stores.controls.name], migratedControls: migrated }, 'inducer member consuming');
  return {
    runner,
    inducer,
    stores,
    caughtUp: () => table.ownedTasks().length > 0 && table.restoring() === 0,
    ownedTasks: () => table.ownedTasks(),
    unacknowledged: () => outbox.size + ledger.size,
    appliedOffsets: () => table.appliedOf(trajectories.name),
    plans: () => plans,
    stop: () => runner.stop(),
  };
}
