// The inducer as a consumer group member: trajectories and feedback in; template versions
// and its changelog out. On start it restores its changelog and the templates topic, then
// replays trajectories from the held commits, publishing nothing for an agent until the
// agent's partition has caught up (so a restart publishes only real changes).
import { ConsumerRunner, ensureTopics, TraceCarry, type Assignment, type HandlerOutcome, type OutputRecord, type Runtime } from '@praxis/kafka';
import type { Feedback, Template, Trajectory } from '@praxis/schemas';
import { changelogSpec, type TemplateControl } from './control.js';
import { refusalsTotal, restoringGauge, templatesPublishedTotal, trajectoriesInHorizonGauge } from './metrics.js';
import { inducerPolicyResolver, type InducerOverrides, type InducerPolicy } from './policy.js';
import { Inducer, type TemplateOutput } from './processor.js';
import { Outbox } from './outbox.js';
import { readToEnd } from './restore.js';

export interface InducerServiceOptions {
  runtime: Runtime;
  groupId: string;
  policy: InducerPolicy;
  overrides?: InducerOverrides;
  /** Defaults to `<prefix><groupId>-state-changelog`, next to the templates topic. */
  changelogTopic?: string;
  tickMs?: number;
  maxBatchSize?: number;
  sessionTimeoutMs?: number;
  /** Bound of the stalled-loop check (default: the runtime's CONSUMER_STALL_AFTER_MS). */
  stallAfterMs?: number;
  /** See InducerOptions.maxClockSkewMs. */
  maxClockSkewMs?: number;
  /** See InducerOptions.templateIdKey. */
  templateIdKey?: string;
}

export interface InducerHandle {
  runner: ConsumerRunner;
  inducer: Inducer;
  /** Whether every assigned trajectories partition has caught up with its replay. */
  caughtUp(): boolean;
  /** Agents to re-induce and control changes whose records are not yet acknowledged. */
  unacknowledged(): number;
  /** The last trajectories offset applied, per partition. */
  appliedOffsets(): Map<number, number>;
  stop(): Promise<void>;
}

/** Starts an inducer group member; resolves once it consumes. One member per group (see docs/learning.md). */
export async function startInducer(options: InducerServiceOptions): Promise<InducerHandle> {
  const { runtime } = options;
  const { trajectories, feedback, templates } = runtime.topics;
  const log = runtime.logger.child({ component: 'inducer' });
  const prefix = templates.name.slice(0, templates.name.length - 'praxis.templates.v1'.length);
  const changelog = changelogSpec(prefix, options.groupId);
  if (options.changelogTopic) Object.assign(changelog, { name: options.changelogTopic, dlq: `${options.changelogTopic}.dlq` });
  const inducer = new Inducer(inducerPolicyResolver(options.policy, options.overrides), {
    maxClockSkewMs: options.maxClockSkewMs,
    templateIdKey: options.templateIdKey,
    onRefusal: (reason) => refusalsTotal.inc({ reason }),
  });

  const admin = runtime.kafka.admin();
  await admin.connect();
  let targets: Map<number, number>;
  const applied = new Map<number, number>();
  try {
    await ensureTopics(admin, [changelog]);
    const started = Date.now();
    const controls = await readToEnd(runtime.kafka, runtime.serde, changelog, (_k, v) => v && inducer.restoreControl(v as TemplateControl), { logger: log });
    const published = await readToEnd(runtime.kafka, runtime.serde, templates, (k, v) => k && inducer.restorePublished(k, v as Template | null), { logger: log });
    // Where the replay of each trajectories partition ends, and where this group resumes.
    targets = new Map((await admin.fetchTopicOffsets(trajectories.name)).map((o) => [o.partition, Number(o.high)]));
    const committed = await admin.fetchOffsets({ groupId: options.groupId, topics: [trajectories.name] });
    for (const p of committed[0]?.partitions ?? []) if (Number(p.offset) >= 0) applied.set(p.partition, Number(p.offset) - 1);
    log.info({ event: 'inducer_restored', controls: controls.records, templateRecords: published.records, skipped: controls.skipped + published.skipped, ms: Date.now() - started, targets: Object.fromEntries(targets) }, 'restored state');
  } finally {
    await admin.disconnect();
  }

  const caughtUp = (p: number) => (applied.get(p) ?? -1) >= (targets.get(p) ?? 0) - 1;
  const outbox = new Outbox(inducer);
  /** Everything the outbox owes, as one send; its state takes effect only on acknowledgement. */
  const delivery = (): Pick<HandlerOutcome, 'outputs' | 'onAcknowledged'> => {
    // An agent is induced only once its horizon is rebuilt: never from a partial replay.
    const d = outbox.deliver((key) => caughtUp(inducer.agents.get(key)!.partition));
    restoringGauge.set([...targets.keys()].filter((p) => !caughtUp(p)).length);
    trajectoriesInHorizonGauge.set([...inducer.agents.values()].reduce((n, a) => n + a.ring.length, 0));
    const outputs = [...d.templates.map(toRecord), ...d.controls.map((c): OutputRecord => ({ spec: changelog, value: c }))];
    return {
      outputs,
      onAcknowledged: () => {
        d.acknowledged();
        for (const out of d.templates) templatesPublishedTotal.inc({ status: out.value?.status ?? 'tombstone' });
      },
    };
  };
  // a template version continues the trace of the latest trajectory (or feedback) of its agent
  const traces = new TraceCarry();
  const toRecord = (out: TemplateOutput): OutputRecord =>
    out.value === null ? { spec: templates, key: out.key, value: null } : { spec: templates, value: out.value, headers: traces.headersFor(out.value.agentId === null ? undefined : `${out.value.tenantId}/${out.value.agentId}`) };

  const runner = new ConsumerRunner({
    kafka: runtime.kafka,
    serde: runtime.serde,
    producer: runtime.producer,
    logger: runtime.logger,
    service: runtime.service,
    groupId: options.groupId,
    topics: [trajectories, feedback],
    fromBeginning: true,
    maxBatchSize: options.maxBatchSize,
    sessionTimeoutMs: options.sessionTimeoutMs,
    stallAfterMs: options.stallAfterMs ?? runtime.stallAfterMs,
    handler: async (records, ctx): Promise<HandlerOutcome> => {
      const last = Number(records[records.length - 1]!.offset);
      if (ctx.topic === trajectories.name) {
        for (const r of records) {
          const key = inducer.applyTrajectory(r.value as Trajectory, ctx.partition, Number(r.offset), r.timestamp);
          if (key) {
            outbox.touch(key);
            traces.note(key, r.headers);
          }
        }
        applied.set(ctx.partition, last);
        return { ...delivery(), commitOffset: String(inducer.hold(ctx.partition, last + 1)) };
      }
      for (const r of records) {
        const result = inducer.applyFeedback(r.value as Feedback, ctx.partition, Number(r.offset), r.timestamp);
        if (!result) continue;
        outbox.control(result.control);
        outbox.touch(result.agentKey);
        traces.note(result.agentKey, r.headers);
      }
      return delivery();
    },
    tick: {
      intervalMs: options.tickMs ?? 1_000,
      // Also the retry of a failed send: what was not acknowledged is still in the outbox.
      run: async () => (outbox.size > 0 ? delivery() : {}),
    },
    onRevoked: (lost: Assignment[]) => {
      for (const a of lost) {
        if (a.topic !== trajectories.name) continue;
        for (const [key, agent] of inducer.agents) if (agent.partition === a.partition) inducer.agents.delete(key);
        applied.delete(a.partition);
      }
    },
  });
  await runner.start();
  return {
    runner,
    inducer,
    caughtUp: () => [...targets.keys()].every(caughtUp),
    unacknowledged: () => outbox.size,
    appliedOffsets: () => new Map(applied),
    stop: () => runner.stop(),
  };
}
