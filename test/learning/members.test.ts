// N members of the segmenter and of the inducer as processes (main.ts), against one
// undisturbed single-member run over the same steps and feedback: the disturbed run starts 3
// members of each, adds a 4th, kills one of each with -9 and stops another while steps are
// still arriving. The final template set and the ClickHouse row counts are those of the
// undisturbed run. Tenants are one per agent here so that the inducer's three tasks all hold
// some (task = murmur2(tenant) mod 3, docs/scaling.md).
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTraffic, plantedWorkflows } from '@praxis/fleet';
import { DEFAULT_INDUCER_POLICY, learnedTemplateId, startInducer, type InducerHandle } from '@praxis/inducer';
import type { Runtime } from '@praxis/kafka';
import { openClickHouse, type ClickHouse } from '@praxis/clickhouse';
import type { AgentStepInput, FeedbackInput, Template } from '@praxis/schemas';
import { DEFAULT_POLICY, startSegmenter, type SegmenterHandle } from '@praxis/segmenter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueDatabase } from '../support/clickhouse.js';
import { ServiceProcess } from '../support/service-process.js';
import { createTopics, eventually, stack, testRuntime, uniquePrefix } from '../support/stack.js';
import { comparable, endOffsets, groupLag, groupPositions, liveTemplates, produceInOrder, settle } from './support.js';

const tenantOf = (tenantId: string, agentId: string) => `${tenantId}.${agentId}`;
const traffic = generateTraffic('members', { instancesPerWorkflow: 6 });
const events: AgentStepInput[] = traffic.events.map((e) => ({ ...e, tenantId: tenantOf(e.tenantId, e.agentId) }));
const lastEvent = Math.max(...events.map((e) => e.timestampMs!));
const planted = plantedWorkflows().map((w) => ({ ...w, tenantId: tenantOf(w.tenantId, w.agentId), templateId: learnedTemplateId(tenantOf(w.tenantId, w.agentId), w.agentId, w.signature) }));
const wf = (id: string) => planted.find((w) => w.id === id)!;

/** Both runs get it: executions of one template, an unlearn order (agentId "router", as the router sends it) for another. */
const feedback: FeedbackInput[] = [
  ...[0, 1, 2].map((i): FeedbackInput => ({
    feedbackId: `fb-exec-${i}`,
    tenantId: wf('support.order_status').tenantId,
    agentId: wf('support.order_status').agentId,
    kind: 'EXECUTION',
    timestampMs: lastEvent + (i + 1) * 60_000,
    templateId: wf('support.order_status').templateId,
    execution: { executionId: `x-${i}`, outcome: 'SUCCEEDED', stepsTotal: 3, stepsCompleted: 3, durationMs: 900 },
  })),
  { feedbackId: 'fb-unlearn', tenantId: wf('ops.deploy').tenantId, agentId: 'router', kind: 'UNLEARN', timestampMs: lastEvent + 3_600_000, templateId: wf('ops.deploy').templateId, reason: 'the user deleted it' },
];

const TABLES = ['steps', 'trajectories', 'executions', 'unlearns'];

describe('3 members of the segmenter and of the inducer, added, killed and removed mid-run', () => {
  const ref = uniquePrefix('members-ref');
  const run = uniquePrefix('members');
  const refDb = uniqueDatabase('members_ref');
  const runDb = uniqueDatabase('members');
  let refRt: Runtime;
  let runRt: Runtime;
  let segmenter: SegmenterHandle | undefined;
  let inducer: InducerHandle | undefined;
  const processes: ServiceProcess[] = [];
  let refCh: ClickHouse;
  let runCh: ClickHouse;
  let undisturbed: Map<string, Template>;
  let disturbed: Map<string, Template>;
  let refCounts: Record<string, number>;
  let runCounts: Record<string, number>;
  const owners: number[][] = [];
  const timings: string[] = [];
  let lastProbe = '';

  const env = (prefix: string, database: string): Record<string, string> => ({
    KAFKA_BROKERS: stack().kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: stack().registryUrl,
    CLICKHOUSE_URL: stack().clickhouseUrl,
    CLICKHOUSE_DATABASE: database,
    PRAXIS_TOPIC_PREFIX: prefix,
    LOG_LEVEL: 'info',
    OPS_PORT: '0',
    SEGMENTER_GROUP_ID: `${prefix}segmenter`,
    // The log clock closes a session whose next step was produced (broker time) longer after its
    // previous one: far longer than a loaded machine can take between two chunks below, so the
    // speed of sending does not change what is decided (the undisturbed run sends all at once).
    SEGMENTER_IDLE_MS: '20000',
    SEGMENTER_IDLE_GRACE_MS: '1000',
    SEGMENTER_SESSION_TIMEOUT_MS: '6000',
    SEGMENTER_MAX_BATCH_SIZE: '50',
    INDUCER_GROUP_ID: `${prefix}inducer`,
    INDUCER_SESSION_TIMEOUT_MS: '6000',
    INDUCER_MAX_BATCH_SIZE: '20',
    INDUCER_TICK_MS: '300',
    ANALYTICS_BATCH_MAX_AGE_MS: '300',
    ANALYTICS_SESSION_TIMEOUT_MS: '6000',
    ANALYTICS_RETENTION_INTERVAL_MS: '0',
  });
  const member = (service: 'segmenter' | 'inducer' | 'analytics', prefix: string, database: string) => {
    const p = new ServiceProcess(`services/${service}/src/main.ts`, env(prefix, database));
    processes.push(p);
    p.start();
    return p;
  };
  const counts = async (ch: ClickHouse) => {
    const out: Record<string, number> = {};
    for (const table of TABLES) out[table] = Number((await ch.query<{ n: number }>(`SELECT count() AS n FROM ${table} FINAL`))[0]!.n);
    return out;
  };
  /** Records the group has not committed yet over `topics` (the segmenter commits past a session only once it is closed). */
  const lag = async (rt: Runtime, groupId: string, topics: string[]) => {
    const admin = rt.kafka.admin();
    await admin.connect();
    try {
      return await groupLag(admin, groupId, topics);
    } finally {
      await admin.disconnect();
    }
  };
  /** Per partition of the inducer's input, where the group committed and where the topic ends (what a failure needs to be diagnosed). */
  const lagDetail = async (rt: Runtime, groupId: string) => {
    const admin = rt.kafka.admin();
    await admin.connect();
    try {
      const behind = (await groupPositions(admin, groupId, [rt.topics.trajectories.name, rt.topics.feedback.name])).filter((p) => p.high > Math.max(p.committed, 0));
      return behind.map((p) => `${p.topic.slice(p.topic.indexOf('praxis.'))}:${p.partition} committed ${p.committed} of ${p.high}`).join(', ') || 'none behind';
    } catch (error) {
      return `unavailable (${(error as Error).message})`;
    } finally {
      await admin.disconnect();
    }
  };
  /** One member's story in a line: service, runs, and how often the events a stuck group would show occurred. */
  const summary = (p: ServiceProcess, i: number) => {
    const service = /"service":"([a-z-]+)"/.exec(p.output)?.[1] ?? '?';
    const seen = ['partitions_assigned', 'tasks_restored', 'assignment_retry', 'assignment_failed', 'consumer_crash', 'handler_failed', 'partition_rewound', 'consumer_stop_timeout', 'stale_batch_skipped', 'tick_failed']
      .map((e) => [e, p.events(e).length] as const)
      .filter(([, n]) => n > 0)
      .map(([e, n]) => `${e}=${n}`);
    const last = p.events('partitions_assigned').at(-1);
    const parts = last ? /"partitions":(\[[^\]]*\])/.exec(last)?.[1] : undefined;
    return `#${i} ${service} alive=${p.alive} ${seen.join(' ')} last=${parts ?? '-'}`;
  };
  /**
   * Quiet: the inducer group committed all its input, `ready` holds, and topics and tables no
   * longer move. (The segmenter holds its commits on purpose, docs/learning.md, so its lag says
   * nothing here: the undisturbed run asks its open sessions, the disturbed one waits for the
   * trajectories of the undisturbed run to be in ClickHouse.)
   */
  const quiet = async (rt: Runtime, prefix: string, ch: ClickHouse, ready: (c: Record<string, number>) => boolean) => {
    try {
      const behind = await lag(rt, `${prefix}inducer`, [rt.topics.trajectories.name, rt.topics.feedback.name]);
      const c = await counts(ch).catch(() => null);
      lastProbe = `${prefix}: inducer group behind by ${behind}, tables ${JSON.stringify(c)}`;
      if (process.env.MEMBERS_DEBUG) console.log(lastProbe);
      if (behind > 0 || !c || !ready(c)) return null;
      return [await endOffsets(rt, rt.topics.trajectories.name), await endOffsets(rt, rt.topics.templates.name), c];
    } catch (error) {
      // a loaded broker may answer a probe with a transient error (coordinator or leader moving): not quiet yet
      lastProbe = `${prefix}: probe failed (${(error as Error).message})`;
      return null;
    }
  };

  beforeAll(async () => {
    refRt = await testRuntime('members-ref', ref);
    runRt = await testRuntime('members-run', run);
    await createTopics(refRt.kafka, Object.values(refRt.topics));
    await createTopics(runRt.kafka, Object.values(runRt.topics));

    // The undisturbed run first, alone: one member of each, everything produced up front (so
    // its idle fallback, processing time, closes only the sessions still open at the end, as
    // the disturbed run's does: it can be shorter).
    await produceInOrder(refRt, refRt.topics.steps, events);
    await produceInOrder(refRt, refRt.topics.feedback, feedback);
    const t0 = Date.now();
    const refSink = member('analytics', ref, refDb);
    segmenter = await startSegmenter({ runtime: refRt, groupId: `${ref}segmenter`, policy: DEFAULT_POLICY, idleMs: 2_000, idleGraceMs: 500, sessionTimeoutMs: 30_000 });
    inducer = await startInducer({ runtime: refRt, groupId: `${ref}inducer`, policy: DEFAULT_INDUCER_POLICY, sessionTimeoutMs: 30_000, tickMs: 300 });
    refCh = await openClickHouse({ url: stack().clickhouseUrl, database: refDb });
    const refQuiet = await settle(() => quiet(refRt, ref, refCh, (c) => segmenter!.openSessions() === 0 && c.steps! > 0), { times: 3, timeoutMs: 60_000 });
    expect(refQuiet, `the undisturbed run went quiet (last probe: ${lastProbe})`).not.toBeNull();
    undisturbed = await liveTemplates(refRt);
    refCounts = await counts(refCh);
    await refSink.stop();
    await segmenter.stop();
    await inducer.stop();
    timings.push(`undisturbed run: ${Date.now() - t0} ms`);

    // The disturbed run: 3 members of each, as processes, while the steps arrive in chunks.
    const t1 = Date.now();
    const segs = [0, 1, 2].map(() => member('segmenter', run, runDb));
    const inds = [0, 1, 2].map(() => member('inducer', run, runDb));
    member('analytics', run, runDb);
    const joined = (ps: ServiceProcess[]) => eventually(() => ps.every((p) => p.events('partitions_assigned').length > 0), 120_000, 200);
    expect(await joined([...segs, ...inds])).toBe(true);
    timings.push(`disturbed run, joined: ${Date.now() - t1} ms`);
    const chunk = Math.ceil(events.length / 8);
    const produced = (i: number) => produceInOrder(runRt, runRt.topics.steps, events.slice(i * chunk, (i + 1) * chunk));
    const removed: Promise<void>[] = [];
    const pause = () => new Promise((r) => setTimeout(r, 700));
    for (let i = 0; i < 8; i++) {
      await produced(i);
      if (i === 1) {
        segs.push(member('segmenter', run, runDb)); // add a member of each
        inds.push(member('inducer', run, runDb));
      }
      if (i === 3) {
        await Promise.all([segs[0]!.kill(), inds[0]!.kill()]); // kill -9 one member of each, mid-batch for all we know
      }
      // remove one of each in order (SIGTERM: it leaves the group), while the steps keep coming
      if (i === 5) removed.push(segs[1]!.stop(), inds[1]!.stop());
      await pause();
    }
    await produceInOrder(runRt, runRt.topics.feedback, feedback);

    timings.push(`disturbed run, produced: ${Date.now() - t1} ms`);
    runCh = await openClickHouse({ url: stack().clickhouseUrl, database: runDb });
    const runQuiet = await settle(() => quiet(runRt, run, runCh, (c) => c.trajectories! >= refCounts.trajectories!), { times: 3, timeoutMs: 150_000 });
    if (!runQuiet || process.env.MEMBERS_DEBUG) for (const [i, p] of processes.entries()) writeFileSync(join(tmpdir(), `members-process-${i}.log`), p.output);
    expect(runQuiet, `the disturbed run went quiet (last probe: ${lastProbe}; per partition: ${runQuiet ? '' : await lagDetail(runRt, `${run}inducer`)}; members: ${runQuiet ? '' : processes.map(summary).join(' | ')}; logs in ${tmpdir()}/members-process-*.log)`).not.toBeNull();
    timings.push(`disturbed run, quiet: ${Date.now() - t1} ms`);
    console.log(timings.join('; '));
    disturbed = await liveTemplates(runRt);
    runCounts = await counts(runCh);
    for (const p of inds.slice(2)) owners.push(p.events('tasks_restored').flatMap((l) => (JSON.parse(l.slice(l.indexOf('{'))) as { tasks: number[] }).tasks));
  }, 420_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await segmenter?.stop();
    await inducer?.stop();
    await refRt?.producer.disconnect();
    await runRt?.producer.disconnect();
    await refCh?.close();
    await runCh?.close();
  });

  it('spread the inducer tasks over the surviving members', () => {
    // each of the two members still running took at least one task over at some point
    expect(owners.every((tasks) => tasks.length > 0)).toBe(true);
  });

  it('ends with the template set of the undisturbed run', () => {
    expect(undisturbed.size).toBeGreaterThanOrEqual(15);
    expect([...disturbed.keys()].sort()).toEqual([...undisturbed.keys()].sort());
    for (const [id, t] of disturbed) expect(comparable(t)).toEqual(comparable(undisturbed.get(id)!));
  });

  it('honours the feedback in both runs, routed by tenant: executions counted, the unlearned template gone', () => {
    for (const templates of [undisturbed, disturbed]) {
      expect(templates.has(wf('ops.deploy').templateId)).toBe(false);
      expect(templates.get(wf('support.order_status').templateId)!.stats).toMatchObject({ executions: 3, executionSuccesses: 3 });
    }
  });

  it('ends with the ClickHouse row counts of the undisturbed run', () => {
    expect(refCounts.steps).toBeGreaterThan(1_000);
    expect(runCounts).toEqual(refCounts);
  });
});
