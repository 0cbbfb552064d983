// kill -9 of the segmenter and of the inducer, as real processes, at random points of a
// run: after they restart (from their committed offsets, held commits and changelog) the
// final template set equals that of an undisturbed run over the same steps and feedback.
import { generateTraffic, plantedWorkflows, Rng } from '@praxis/fleet';
import { DEFAULT_INDUCER_POLICY, startInducer, type InducerHandle } from '@praxis/inducer';
import type { Runtime } from '@praxis/kafka';
import type { FeedbackInput, Template } from '@praxis/schemas';
import { DEFAULT_POLICY, startSegmenter, type SegmenterHandle } from '@praxis/segmenter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/dedicated-kafka.js';
import { createTopics, stack, testRuntime, uniquePrefix } from '../support/stack.js';
import { ServiceProcess } from './processes.js';
import { comparable, consumedAll, endOffsets, liveTemplates, produceInOrder, produceSteps, settle, trajectoriesById } from './support.js';

const traffic = generateTraffic('crash');
const planted = plantedWorkflows();
const idOf = (workflowId: string) => planted.find((w) => w.id === workflowId)!;
const lastEvent = Math.max(...traffic.events.map((e) => e.timestampMs));

/** Feedback both runs receive: executions of two templates, and an unlearn order for a third. */
function feedback(): FeedbackInput[] {
  const exec = (wf: string, i: number, outcome: 'SUCCEEDED' | 'FAILED'): FeedbackInput => ({
    feedbackId: `fb-${wf}-${i}`,
    tenantId: idOf(wf).tenantId,
    agentId: idOf(wf).agentId,
    kind: 'EXECUTION',
    timestampMs: lastEvent + (i + 1) * 60_000,
    templateId: idOf(wf).templateId,
    execution: { executionId: `x-${wf}-${i}`, outcome, stepsTotal: 3, stepsCompleted: outcome === 'SUCCEEDED' ? 3 : 1, durationMs: 900 },
  });
  return [
    exec('support.order_status', 0, 'SUCCEEDED'),
    exec('support.order_status', 1, 'SUCCEEDED'),
    exec('support.order_status', 2, 'SUCCEEDED'),
    exec('ops.deploy', 0, 'FAILED'),
    exec('ops.deploy', 1, 'FAILED'),
    {
      feedbackId: 'fb-unlearn',
      tenantId: idOf('catalog.price_audit').tenantId,
      agentId: idOf('catalog.price_audit').agentId,
      kind: 'UNLEARN',
      timestampMs: lastEvent + 3_600_000,
      templateId: idOf('catalog.price_audit').templateId,
      reason: 'the user deleted it',
    },
  ];
}

describe('kill -9 of the segmenter and the inducer', () => {
  const reference = uniquePrefix('ref');
  const killed = uniquePrefix('kill');
  let refRt: Runtime;
  let killRt: Runtime;
  let segmenter: SegmenterHandle | undefined;
  let inducer: InducerHandle | undefined;
  let processes: ServiceProcess[] = [];
  let undisturbed: Map<string, Template>;
  let disturbed: Map<string, Template>;
  const kills: string[] = [];

  beforeAll(async () => {
    refRt = await testRuntime('crash-ref', reference);
    killRt = await testRuntime('crash-kill', killed);
    for (const rt of [refRt, killRt]) {
      await createTopics(rt.kafka, Object.values(rt.topics));
      await produceSteps(rt, traffic.events);
      await produceInOrder(rt, rt.topics.feedback, feedback());
    }

    // The undisturbed run, in-process.
    segmenter = await startSegmenter({ runtime: refRt, groupId: `${reference}segmenter`, policy: DEFAULT_POLICY, idleMs: 10_000, idleGraceMs: 2_000, sessionTimeoutMs: 10_000 });
    inducer = await startInducer({ runtime: refRt, groupId: `${reference}inducer`, policy: DEFAULT_INDUCER_POLICY, sessionTimeoutMs: 10_000 });
    await settle(async () => (segmenter!.openSessions() === 0 && (await consumedAll(refRt, refRt.topics.trajectories.name, inducer!.appliedOffsets())) ? [await endOffsets(refRt, refRt.topics.trajectories.name), await endOffsets(refRt, refRt.topics.templates.name)] : null), { times: 4 });
    undisturbed = await liveTemplates(refRt);
    await segmenter.stop();
    await inducer.stop();

    // The disturbed run: processes, killed and restarted at random points.
    const env = {
      KAFKA_BROKERS: stack().kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: stack().registryUrl,
      PRAXIS_TOPIC_PREFIX: killed,
      LOG_LEVEL: 'info',
      SEGMENTER_GROUP_ID: `${killed}segmenter`,
      SEGMENTER_IDLE_MS: '10000',
      SEGMENTER_IDLE_GRACE_MS: '2000',
      SEGMENTER_SESSION_TIMEOUT_MS: '6000',
      SEGMENTER_MAX_BATCH_SIZE: '25',
      INDUCER_GROUP_ID: `${killed}inducer`,
      INDUCER_SESSION_TIMEOUT_MS: '6000',
      INDUCER_MAX_BATCH_SIZE: '10',
    };
    const seg = new ServiceProcess('segmenter', env, await freePort());
    const ind = new ServiceProcess('inducer', env, await freePort());
    processes = [seg, ind];
    seg.start();
    ind.start();
    const rng = new Rng(process.env.CRASH_KILL_SEED ?? 'kill-points');
    for (const victim of [seg, ind, seg, ind, rng.chance(0.5) ? seg : ind]) {
      await new Promise((r) => setTimeout(r, rng.int(1_500, 6_000)));
      await victim.kill9();
      kills.push(victim.name);
      victim.start();
    }
    let state = '';
    const settled = await settle(
      async () => {
        const open = await seg.metric('praxis_segmenter_open_sessions');
        const restoring = await ind.metric('praxis_inducer_restoring_partitions');
        const lag = await ind.metric('praxis_consumer_lag');
        state = `segmenter open sessions ${JSON.stringify(open)}, inducer restoring ${JSON.stringify(restoring)}, inducer lag ${JSON.stringify(lag)}`;
        if (open.length < 6 || open.some((n) => n > 0) || restoring.length === 0 || restoring[0] !== 0 || lag.some((n) => n > 0)) return null;
        return [await endOffsets(killRt, killRt.topics.trajectories.name), await endOffsets(killRt, killRt.topics.templates.name)];
      },
      { times: 5, timeoutMs: 200_000 },
    );
    if (settled === null) {
      const tail = (p: ServiceProcess) => `--- ${p.name} (started ${p.starts} times), last lines:\n${p.log.slice(-150).join('\n')}`;
      throw new Error(`the disturbed run did not settle in 200 s (kills: ${kills.join(', ')}); last probe: ${state}\n${tail(seg)}\n${tail(ind)}`);
    }
    disturbed = await liveTemplates(killRt);
  }, 420_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await segmenter?.stop();
    await inducer?.stop();
    await refRt?.producer.disconnect();
    await killRt?.producer.disconnect();
  });

  it('killed each service at least once', () => {
    expect(new Set(kills)).toEqual(new Set(['segmenter', 'inducer']));
  });

  it('the trajectories (repeats included) are those of the undisturbed run', async () => {
    const [a, b] = [await trajectoriesById(refRt, refRt.topics.trajectories), await trajectoriesById(killRt, killRt.topics.trajectories)];
    expect(b.conflicts).toEqual([]);
    expect([...b.byId.keys()].sort()).toEqual([...a.byId.keys()].sort());
    for (const [id, t] of b.byId) expect(t).toEqual(a.byId.get(id));
  });

  it('the final template set equals the undisturbed run', () => {
    expect(undisturbed.size).toBeGreaterThanOrEqual(18);
    expect([...disturbed.keys()].sort()).toEqual([...undisturbed.keys()].sort());
    for (const [id, t] of disturbed) expect(comparable(t)).toEqual(comparable(undisturbed.get(id)!));
  });

  it('honours feedback in both runs: executions counted, the unlearned template gone', () => {
    for (const templates of [undisturbed, disturbed]) {
      expect(templates.has(idOf('catalog.price_audit').templateId)).toBe(false);
      expect(templates.get(idOf('support.order_status').templateId)!.stats).toMatchObject({ executions: 3, executionSuccesses: 3 });
      expect(templates.get(idOf('ops.deploy').templateId)!.stats).toMatchObject({ executions: 2, executionSuccesses: 0 });
    }
  });
});
