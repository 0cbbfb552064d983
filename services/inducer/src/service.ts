// The inducer as a consumer group member: trajectories and feedback in; template versions
// and its changelog out. On start it restores its changelog and the templates topic, then
// replays trajectories from the held commits, publishing nothing for an agent until the
// agent's partition has caught up (so a restart publishes only real changes).
import { ConsumerRunner, ensureTopics, type Assignment, type HandlerOutcome, type OutputRecord, type Runtime } from '@praxis/kafka';
import type { Feedback, Template, Trajectory } from '@praxis/schemas';
import { changelogSpec, type TemplateControl } from './control.js';
import { refusalsTotal, restoringGauge, templatesPublishedTotal, trajectoriesInHorizonGauge } from './metrics.js';
import { inducerPolicyResolver, type InducerOverrides, type InducerPolicy } from './policy.js';
import { Inducer, type TemplateOutput } from './processor.js';
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
  const dirty = new Set<string>();
  const publishDirty = (): OutputRecord[] => {
    const outputs: OutputRecord[] = [];
    for (const key of [...dirty].sort()) {
      const agent = inducer.agents.get(key);
      // An agent is induced only once its horizon is rebuilt: never from a partial replay.
      if (!agent || !caughtUp(agent.partition)) continue;
      dirty.delete(key);
      for (const out of inducer.publish(key)) outputs.push(toRecord(out));
    }
    restoringGauge.set([...targets.keys()].filter((p) => !caughtUp(p)).length);
    trajectoriesInHorizonGauge.set([...inducer.agents.values()].reduce((n, a) => n + a.ring.length, 0));
    return outputs;
  };
  const toRecord = (out: TemplateOutput): OutputRecord => {
    templatesPublishedTotal.inc({ status: out.value?.status ?? 'tombstone' });
    return out.value === null ? { spec: templates, key: out.key, value: null } : { spec: templates, value: out.value };
  };

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
    handler: async (records, ctx): Promise<HandlerOutcome> => {
      const last = Number(records[records.length - 1]!.offset);
      if (ctx.topic === trajectories.name) {
        for (const r of records) {
          const key = inducer.applyTrajectory(r.value as Trajectory, ctx.partition, Number(r.offset), r.timestamp);
          if (key) dirty.add(key);
        }
        applied.set(ctx.partition, last);
        return { outputs: publishDirty(), commitOffset: String(inducer.hold(ctx.partition, last + 1)) };
      }
      const changes: TemplateControl[] = [];
      for (const r of records) {
        const result = inducer.applyFeedback(r.value as Feedback, ctx.partition, Number(r.offset), r.timestamp);
        if (!result) continue;
        changes.push(result.control);
        dirty.add(result.agentKey);
      }
      // Template versions first, then the changelog: a crash in between re-applies the feedback (idempotently).
      return { outputs: [...publishDirty(), ...changes.map((c): OutputRecord => ({ spec: changelog, value: c }))] };
    },
    tick: {
      intervalMs: options.tickMs ?? 1_000,
      run: async () => ({ outputs: dirty.size > 0 ? publishDirty() : [] }),
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
    appliedOffsets: () => new Map(applied),
    stop: () => runner.stop(),
  };
}
