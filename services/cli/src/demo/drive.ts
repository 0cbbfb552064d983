// Feeding the fleet's traffic to Kafka at a visible pace, and watching the pipeline work:
// open sessions, trajectories closed, templates learned, rows in ClickHouse.
import type { AgentStepInput } from '@praxis/schemas';
import { metricsRegistry } from '@praxis/kafka';
import type { StepSink } from '@praxis/sdk';
import { inducerCaughtUp, type PraxisServices } from '../launch.js';

export interface PipelineCounts {
  openSessions: number;
  trajectories: number;
  templates: { total: number; active: number; draft: number };
  rows: { steps: number; trajectories: number; templates: number };
}

/** The fleet's events moved in time so that the last one happens `endsAgoMs` before now. */
export function shiftToNow(events: AgentStepInput[], endsAgoMs = 5_000, now = Date.now()): AgentStepInput[] {
  const last = Math.max(...events.map((e) => e.timestampMs));
  const delta = now - endsAgoMs - last;
  return events.map((e) => ({ ...e, timestampMs: e.timestampMs + delta }));
}

async function counterTotal(name: string): Promise<number> {
  const metric = metricsRegistry.getSingleMetric(name);
  if (!metric) return 0;
  return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
}

/** What the pipeline has done so far (ClickHouse counts are rows written, before dedup merges). */
export async function pipelineCounts(services: PraxisServices): Promise<PipelineCounts> {
  let active = 0;
  let draft = 0;
  let total = 0;
  for (const tenantId of services.router.core.catalog.tenantIds()) {
    for (const t of services.router.core.catalog.tenant(tenantId).templates.values()) {
      total++;
      if (t.status === 'ACTIVE') active++;
      if (t.status === 'DRAFT') draft++;
    }
  }
  const count = async (table: string) => Number((await services.clickhouse.query<{ n: number }>(`SELECT count() AS n FROM ${table}`).catch(() => [{ n: 0 }]))[0]?.n ?? 0);
  const [steps, trajectories, templates] = await Promise.all([count('steps'), count('trajectories'), count('template_versions')]);
  return {
    openSessions: services.segmenter.openSessions(),
    trajectories: await counterTotal('praxis_segmenter_trajectories_total'),
    templates: { total, active, draft },
    rows: { steps, trajectories, templates },
  };
}

/**
 * Sends the events through the SDK's Kafka sink in chunks, `chunk` every `everyMs`, calling
 * `onProgress` about once a second with how many were sent. Stops early when `signal` aborts.
 */
export async function sendTraffic(sink: StepSink, events: AgentStepInput[], options: { chunk: number; everyMs: number; onProgress: (sent: number) => Promise<void>; signal?: AbortSignal }): Promise<number> {
  let sent = 0;
  let lastReport = 0;
  for (let i = 0; i < events.length && !options.signal?.aborted; i += options.chunk) {
    const started = Date.now();
    const chunk = events.slice(i, i + options.chunk);
    await sink.send(chunk);
    sent += chunk.length;
    if (Date.now() - lastReport >= 1_000 || sent === events.length) {
      lastReport = Date.now();
      await options.onProgress(sent);
    }
    const wait = options.everyMs - (Date.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return sent;
}

/**
 * Waits until the pipeline is quiet: no open session, the inducer has applied every
 * trajectory, and the router's catalog has not changed for `stableMs`. False on timeout.
 */
export async function waitUntilLearned(services: PraxisServices, options: { timeoutMs: number; stableMs?: number; onTick?: () => Promise<void>; signal?: AbortSignal }): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  let lastSignature = '';
  let stableSince = Date.now();
  while (Date.now() < deadline && !options.signal?.aborted) {
    await options.onTick?.();
    const inducerDone = (await inducerCaughtUp(services)).caughtUp;
    const catalog = services.router.core.catalog;
    const signature = `${catalog.size}:${[...catalog.tenantIds()].flatMap((t) => [...catalog.tenant(t).templates.values()].map((x) => `${x.templateId}@${x.version}`)).sort().join(',')}`;
    if (signature !== lastSignature) {
      lastSignature = signature;
      stableSince = Date.now();
    }
    if (services.segmenter.openSessions() === 0 && inducerDone && Date.now() - stableSince >= (options.stableMs ?? 2_000)) return true;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return false;
}
