// Learning through the real path: the agents' LangChain runs of the learning tasks are read
// by the importer's LangChain reader, labelled by the verifier the import is given (WorkBench's
// outcome rule on that run), written as import JSONL, and `praxis import --to-topics` puts
// them on the steps topic; the segmenter, inducer and router services, launched on topics and
// a database of their own, learn and serve them.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '@praxis/cli/commands';
import { inducerCaughtUp, isolatedEnv, launchPraxis, type PraxisServices } from '@praxis/cli/launch';
import type { StackEndpoints } from '@praxis/cli/stack';
import { langChainRun, parseLangChainValue, runToSteps, type ImportedRun } from '@praxis/formats';
import { createLogger } from '@praxis/kafka';
import { inducerPolicyFrom, InducerEnv, induceTemplates } from '@praxis/inducer';
import { hashApiKey } from '@praxis/router';
import { AgentStepSchema, type AgentStepInput, type Template, type Trajectory } from '@praxis/schemas';
import { segmentSteps, segmenterPolicyFrom, SegmenterEnv } from '@praxis/segmenter';
import { TASK_TIME_MS, type AgentRun, type WorkBench } from './dataset.js';
import { removeIsolated } from '../isolated.js';
import { agentOutcome } from './scoring.js';

export const TENANT = 'workbench';
/** One agent: the assistant the five models stood in for. */
export const AGENT = 'workbench-assistant';

/** A run as the importer's LangChain reader reads it (its intermediate_steps), or null when it cannot. */
export function importedRun(run: AgentRun, index: number): ImportedRun | null {
  const parsed = parseLangChainValue(run.fullResponse);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || !Array.isArray((parsed.value as { intermediate_steps?: unknown }).intermediate_steps)) return null;
  const made = langChainRun(parsed.value as Record<string, unknown>, { runId: `${run.source.id}:${run.taskId}`, line: index + 1, taskId: run.taskId, agentId: AGENT, error: run.error || null });
  return 'run' in made ? { ...made.run, model: run.source.model } : null;
}

/**
 * The import JSONL of the learning runs: each run's steps, its outcome the verifier's label
 * (the outcome rule on that run; the logs carry none). The logs have no times: by default the
 * runs are laid out one after the other on the data set's day (2023-11-30, from 00:00 UTC), and
 * each QUERY step carries the task's own time (`referenceTimeMs`, the data set's 2023-11-30
 * 00:00 unless given), so relative dates read as the agents read them, also when the steps are
 * sent at another time (the demo sends them now).
 */
export function learningSteps(wb: WorkBench, runs: readonly AgentRun[], timing: { startMs?: number; gapMs?: number; referenceTimeMs?: number } = {}): { steps: AgentStepInput[]; unreadable: number } {
  const steps: AgentStepInput[] = [];
  let unreadable = 0;
  const gap = timing.gapMs ?? 1_000;
  let t = timing.startMs ?? TASK_TIME_MS;
  runs.forEach((run, i) => {
    const imported = importedRun(run, i);
    if (!imported) {
      unreadable++;
      return;
    }
    const labelled: ImportedRun = { ...imported, outcome: agentOutcome(wb, run) ? 'SUCCEEDED' : (imported.outcome ?? 'FAILED') };
    const made = runToSteps(labelled, { tenantId: TENANT, agentId: AGENT, baseTimeMs: t, stepGapMs: gap });
    // every task's own time is the data set's (its query's relative dates), whenever the steps are sent
    steps.push(...made.steps.map((st) => (st.kind === 'QUERY' ? { ...st, referenceTimeMs: timing.referenceTimeMs ?? TASK_TIME_MS } : st)));
    t = made.endMs + gap;
  });
  return { steps, unreadable };
}

/**
 * The same learning without Kafka (the fast loop's): the segmenter's and the inducer's
 * processors over the steps in order, with the policies `env` gives (REAL_TRAFFIC_ENV).
 */
export function learnInProcess(steps: readonly AgentStepInput[], env: Record<string, string | undefined>): { trajectories: Trajectory[]; templates: Template[] } {
  const all = { KAFKA_BROKERS: 'unused:1', SCHEMA_REGISTRY_URL: 'http://unused', ...env };
  const segmenterPolicy = segmenterPolicyFrom(SegmenterEnv.parse(all));
  const { trajectories } = segmentSteps(steps.map((s) => AgentStepSchema.parse(s)), { policyFor: () => segmenterPolicy, idleMs: Number.MAX_SAFE_INTEGER, maxPendingPerSession: 100_000 });
  const inducerEnv = InducerEnv.parse(all);
  const policy = { ...inducerPolicyFrom(inducerEnv), ...inducerEnv.INDUCER_OVERRIDES[TENANT] };
  return { trajectories, templates: induceTemplates(trajectories, () => policy) };
}

/**
 * What of a template both paths must agree on: all of it but its version and times (the
 * services publish intermediate versions as trajectories arrive; a template's createdAtMs is
 * the agent's clock at its first version) and where its lineage was read (partition and
 * offset of the trajectories topic; the in-process loop numbers its list).
 */
export function learntContent(t: Template): unknown {
  const { version: _v, createdAtMs: _c, updatedAtMs: _u, ...content } = t;
  return withoutNulls({ ...content, lineage: content.lineage.map((l) => ({ ...l, partition: 0, offset: 0 })) });
}

/** A value with its null and undefined fields left out: the Avro record the router read spells an absent optional field null. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, withoutNulls(x)]));
}

export interface Learned {
  services: PraxisServices;
  templates: Template[];
  steps: number;
  learnMs: number;
  settled: boolean;
  cleanup(): Promise<void>;
}

/**
 * The segmenter's processing-time idleness for the learning run. Every imported run ends with
 * its TASK_END, which closes its task at once, so idleness only matters for a run cut off
 * without one. A short idle time (it was 1 s) let the machine's load decide the trajectories:
 * the importer shares this process with the four services, so an induction pass that holds the
 * event loop for a second puts a gap of more than the idle time between two steps of one run
 * (broker timestamps), and the log-clock rule cuts that run in two (INACTIVITY); a consumer held
 * as long makes the wall-clock fallback close open sessions mid-run and refuse their next steps.
 * The in-process loop never cuts on idleness, so the two paths learnt from different
 * trajectories. No stall of the shared machine comes near a minute.
 */
export const IDLE_MS = 60_000;
export const IDLE_GRACE_MS = 5_000;

/** Ids and versions of the tenant's templates the router serves, and of the live ones the inducer last published (sorted, comma-joined). */
export function servedAndPublished(services: Pick<PraxisServices, 'router' | 'inducer'>): { served: string; published: string } {
  const served = [...services.router.core.catalog.tenant(TENANT).templates.values()].map((t) => `${t.templateId}@${t.version}`).sort().join(',');
  const published = [...services.inducer.inducer.published.values()]
    .filter((p) => !p.deleted && p.agentKey.startsWith(`${TENANT}/`))
    .map((p) => `${p.templateId}@${p.version}`)
    .sort()
    .join(',');
  return { served, published };
}

async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Launches the services on their own topics and database, imports the steps to the topics, and waits until the router serves what the inducer learned. */
export async function learnThroughKafka(stack: StackEndpoints, steps: AgentStepInput[], options: { tag: string; log?: (line: string) => void; timeoutMs?: number; env?: Record<string, string> }): Promise<Learned> {
  const id = `${options.tag}-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const prefix = `${id}.`;
  const database = id.replace(/\W/g, '_');
  const env = isolatedEnv({ stack, prefix, database, routerPort: 0, instanceId: id, keyHashes: { [TENANT]: hashApiKey(`${id}-key`) }, logLevel: 'error', idleMs: IDLE_MS, idleGraceMs: IDLE_GRACE_MS });
  const services = await launchPraxis({ logger: (s) => createLogger(s, 'error'), env: { ...env, ...options.env } });
  const cleanup = () => removeIsolated(services, stack.clickhouseUrl, prefix, database);
  try {
    const started = performance.now();
    const dir = mkdtempSync(join(tmpdir(), 'praxis-real-traffic-'));
    const file = join(dir, 'learning.jsonl');
    writeFileSync(file, steps.map((s) => JSON.stringify({ type: 'step', ...s })).join('\n') + '\n');
    const out: string[] = [];
    const code = await commands.import!.run([file, '--to-topics', '--strict'], { env: { KAFKA_BROKERS: stack.kafkaBrokers, SCHEMA_REGISTRY_URL: stack.registryUrl, PRAXIS_TOPIC_PREFIX: prefix }, out: (l) => out.push(l), err: (l) => out.push(l) });
    rmSync(dir, { recursive: true, force: true });
    for (const line of out) options.log?.(`import: ${line}`);
    if (code !== 0) throw new Error(`praxis import exited ${code}: ${out.join('; ')}`);
    // Settled: every step applied and every session closed, every trajectory on the topic
    // applied by the inducer with nothing left to re-induce or publish, and the router serving
    // exactly the versions the inducer published (not an older one, none missing), all of it
    // unchanged for 2 s (a trajectory the segmenter is still producing moves the topic's count).
    let signature = '';
    let stableSince = Date.now();
    const phase = { applied: 0, closed: 0, induced: 0, trajectories: 0 };
    const settled = await until(async () => {
      if (services.segmenter.applied() < steps.length) return false;
      phase.applied ||= performance.now() - started;
      if (services.segmenter.openSessions() > 0) return false;
      phase.closed ||= performance.now() - started;
      const caught = await inducerCaughtUp(services);
      if (!caught.caughtUp || services.inducer.unacknowledged() > 0) return false;
      phase.induced ||= performance.now() - started;
      phase.trajectories = caught.trajectories;
      const { served, published } = servedAndPublished(services);
      if (served !== published) return false;
      const now = `${caught.trajectories}|${served}`;
      if (now !== signature) {
        signature = now;
        stableSince = Date.now();
      }
      return Date.now() - stableSince >= 2_000;
    }, options.timeoutMs ?? 240_000);
    const templates = [...services.router.core.catalog.tenant(TENANT).templates.values()];
    options.log?.(`learning: steps applied by the segmenter at ${Math.round(phase.applied)} ms, every session closed at ${Math.round(phase.closed)} ms, inducer caught up at ${Math.round(phase.induced)} ms; ${phase.trajectories} trajectories on the topic`);
    return { services, templates, steps: steps.length, learnMs: performance.now() - started, settled, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
