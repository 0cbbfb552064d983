// pnpm bench members: 1 vs 2 vs 4 members of each service (segmenter, inducer, analytics sink)
// as processes (their main.ts), on the same synthetic fleet traffic. For each N: the time from
// the first step produced to the pipeline going quiet (steps/s), the CPU time the 3N processes
// spent meanwhile (from /proc/<pid>/stat), per member and per core; and whether the outputs
// (live template set, ClickHouse row counts) equal those of the first 1-member run. The runs
// of different N alternate within each repeat, so a busy machine hits them alike.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { openClickHouse, type ClickHouse } from '@praxis/clickhouse';
import type { StackEndpoints } from '@praxis/cli/stack';
import { generateTraffic } from '@praxis/fleet';
import type { Runtime } from '@praxis/kafka';
import type { AgentStepInput, Template } from '@praxis/schemas';
import { ServiceProcess } from '../../support/service-process.js';
import { comparable, endOffsets, groupLag, liveTemplates, produceInOrder } from '../../learning/support.js';
import { closeDeployment, joined, openDeployment, SERVICES, type Service } from './deployment.js';
import type { BenchContext, BenchSuite, Measurement } from '../harness.js';

const TABLES = ['steps', 'trajectories'];
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat; 0 once it is gone. */
export function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** The outputs two runs over the same steps must share. */
interface Outputs {
  templates: Map<string, Template>;
  counts: Record<string, number>;
}

/** Whether two runs produced the same live templates (content, statuses, lineage) and row counts; the differences when not. */
function sameOutputs(a: Outputs, b: Outputs): string[] {
  const diffs: string[] = [];
  if (JSON.stringify(a.counts) !== JSON.stringify(b.counts)) diffs.push(`row counts ${JSON.stringify(b.counts)} vs ${JSON.stringify(a.counts)}`);
  const ids = new Set([...a.templates.keys(), ...b.templates.keys()]);
  for (const id of ids) {
    const x = a.templates.get(id);
    const y = b.templates.get(id);
    if (!x || !y) diffs.push(`template ${id} only in the ${x ? 'reference' : 'measured'} run`);
    else if (JSON.stringify(comparable(x)) !== JSON.stringify(comparable(y))) diffs.push(`template ${id} differs`);
  }
  return diffs;
}

interface RunResult {
  stepsPerS: number;
  /** Steps/s until every step was in ClickHouse (the sink's part; no idle close in it). */
  inClickHousePerS: number;
  /** CPU ms per service, summed over its members, from the first step to quiet. */
  cpuMs: Record<Service, number>;
  /** CPU ms per second the 3N processes used idle, once the groups had formed. */
  idleMsPerS: number;
  /** From the first step produced to quiet. */
  seconds: number;
  outputs: Outputs;
}

/** One deployment of N members of each service on topics and a database of its own, fed `events`; resolves when quiet. */
async function runMembers(stack: StackEndpoints, n: number, events: AgentStepInput[], ctx: BenchContext): Promise<RunResult> {
  const d = await openDeployment(stack, 'members');
  const { rt, admin, processes, prefix } = d;
  try {
    const env = (service: Service, first: boolean): Record<string, string> => ({
      // the idle close is processing time: it must outlast any pause a loaded machine puts
      // between a partition's batches, or a run closes sessions early and its outputs differ
      // (2 s here gave 495, 522, 545 trajectories in three runs); it adds ~9 s to every run
      SEGMENTER_IDLE_MS: '8000',
      SEGMENTER_IDLE_GRACE_MS: '1000',
      SEGMENTER_SESSION_TIMEOUT_MS: '10000',
      INDUCER_SESSION_TIMEOUT_MS: '10000',
      INDUCER_TICK_MS: '300',
      ANALYTICS_BATCH_MAX_AGE_MS: '300',
      ANALYTICS_SESSION_TIMEOUT_MS: '10000',
      // one member migrates the database; the others wait for it (below)
      ANALYTICS_MIGRATE: first || service !== 'analytics' ? 'true' : 'false',
    });
    const start = (service: Service, first: boolean) => d.start(service, env(service, first));
    await joined([start('analytics', true)], 120_000); // its migrations have run
    for (const service of SERVICES) for (let i = service === 'analytics' ? 1 : 0; i < n; i++) start(service, false);
    await joined(processes.map((x) => x.p), 180_000);
    // the groups settle: no member has rejoined for 3 s; the CPU the members use meanwhile, idle, is their fixed cost
    const joins = () => processes.reduce((k, x) => k + x.p.events('partitions_assigned').length, 0);
    let idleFrom = { at: performance.now(), cpu: totalCpu(processes) };
    for (let seen = joins(), stableSince = Date.now(); Date.now() - stableSince < 3_000; ) {
      await new Promise((r) => setTimeout(r, 250));
      if (joins() !== seen) (seen = joins()), (stableSince = Date.now()), (idleFrom = { at: performance.now(), cpu: totalCpu(processes) });
    }
    const idleMsPerS = ((totalCpu(processes) - idleFrom.cpu) / (performance.now() - idleFrom.at)) * 1000;

    const cpuBefore = processes.map((x) => cpuMsOf(x.p.pid));
    const t0 = performance.now();
    await produceInOrder(rt, rt.topics.steps, events);
    const ch = (d.ch = await openClickHouse({ url: stack.clickhouseUrl, database: d.database }));
    // the fleet delivers some steps twice on purpose: the steps table holds each event once
    const quiet = await untilQuiet(rt, admin, ch, prefix, new Set(events.map((e) => e.eventId)).size);
    const quietAt = quiet.at;
    const cpuAfter = processes.map((x) => cpuMsOf(x.p.pid));
    const cpuMs = { segmenter: 0, inducer: 0, analytics: 0 };
    processes.forEach((x, i) => (cpuMs[x.service] += cpuAfter[i]! - cpuBefore[i]!));
    const outputs = { templates: await liveTemplates(rt), counts: await counts(ch) };
    return { stepsPerS: events.length / ((quietAt - t0) / 1000), inClickHousePerS: events.length / ((quiet.stepsIn - t0) / 1000), cpuMs, idleMsPerS, seconds: (quietAt - t0) / 1000, outputs };
  } finally {
    await closeDeployment(stack, d, ctx);
  }
}

const totalCpu = (ps: { p: ServiceProcess }[]) => ps.reduce((ms, x) => ms + cpuMsOf(x.p.pid), 0);

async function counts(ch: ClickHouse): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await ch.query<{ n: number }>(`SELECT count() AS n FROM ${table} FINAL`))[0]!.n);
  return out;
}

/**
 * When the pipeline went quiet: every step is in ClickHouse, the sink and the inducer have
 * committed all their input, and the trajectories and templates topics and the tables stop
 * moving (the same probe 3 times, 250 ms apart). Returns the time of the first of those
 * probes, so the settling wait itself is not counted.
 */
export async function untilQuiet(rt: Runtime, admin: ReturnType<Runtime['kafka']['admin']>, ch: ClickHouse, prefix: string, steps: number): Promise<{ at: number; stepsIn: number }> {
  const deadline = Date.now() + 600_000;
  let last = '';
  let since = 0;
  let same = 0;
  let stepsIn = 0;
  while (Date.now() < deadline) {
    const at = performance.now();
    const c = await counts(ch).catch(() => null);
    if (!stepsIn && c?.steps === steps) stepsIn = at;
    const sinkLag = await groupLag(admin, `${prefix}analytics`, [rt.topics.steps.name, rt.topics.trajectories.name]);
    const inducerLag = await groupLag(admin, `${prefix}inducer`, [rt.topics.trajectories.name, rt.topics.feedback.name]);
    const probe = c && c.steps === steps && sinkLag === 0 && inducerLag === 0 ? JSON.stringify([c, await endOffsets(rt, rt.topics.trajectories.name), await endOffsets(rt, rt.topics.templates.name)]) : '';
    if (probe && probe === last) same++;
    else (same = 0), (since = at), (last = probe);
    if (probe && same >= 2) return { at: since, stepsIn };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the ${prefix} pipeline did not go quiet within 10 min (last probe ${last || 'not ready'})`);
}

async function run(ctx: BenchContext): Promise<Measurement[]> {
  const stack = await ctx.stack();
  // one tenant per agent, so the inducer's tasks (murmur2(tenant) mod 3) all hold some (docs/scaling.md)
  const traffic = generateTraffic('bench-members', { instancesPerWorkflow: ctx.quick ? 6 : 16 });
  const events: AgentStepInput[] = traffic.events.map((e) => ({ ...e, tenantId: `${e.tenantId}.${e.agentId}` }));
  const sizes = ctx.quick ? [1, 2] : [1, 2, 4];
  const repeats = Math.min(ctx.repeats, ctx.quick ? 1 : 3);
  ctx.log(`members: ${events.length} steps per run, ${sizes.join(' / ')} members of each service, ${repeats} repeat(s)`);
  const rate = new Map<number, number[]>();
  const ingest = new Map<number, number[]>();
  const cpu = new Map<number, Record<Service, number[]>>();
  const identical = new Map<number, number[]>();
  const aboveIdle = new Map<number, number[]>();
  let reference: Outputs | undefined;
  for (let r = 0; r < repeats; r++) {
    for (const n of sizes) {
      const result = await runMembers(stack, n, events, ctx);
      reference ??= result.outputs;
      const diffs = sameOutputs(reference, result.outputs);
      const total = SERVICES.reduce((s, k) => s + result.cpuMs[k], 0);
      ctx.log(`members n=${n} run ${r + 1}: ${Math.round(result.stepsPerS)} steps/s to quiet (${Math.round(result.inClickHousePerS)} until every step in ClickHouse), CPU ${Math.round(total)} ms (idle ${Math.round(result.idleMsPerS)} ms/s; ${SERVICES.map((k) => `${k} ${Math.round(result.cpuMs[k])}`).join(', ')}), ${result.outputs.templates.size} templates, ${JSON.stringify(result.outputs.counts)}${diffs.length ? `; DIFFERS from the 1-member run: ${diffs.slice(0, 5).join('; ')}` : ', outputs equal the 1-member run'}`);
      (rate.get(n) ?? rate.set(n, []).get(n)!).push(result.stepsPerS);
      (ingest.get(n) ?? ingest.set(n, []).get(n)!).push(result.inClickHousePerS);
      const c = cpu.get(n) ?? cpu.set(n, { segmenter: [], inducer: [], analytics: [] }).get(n)!;
      for (const k of SERVICES) c[k].push(result.cpuMs[k]);
      (identical.get(n) ?? identical.set(n, []).get(n)!).push(diffs.length === 0 ? 100 : 0);
      (aboveIdle.get(n) ?? aboveIdle.set(n, []).get(n)!).push(Math.max(0, total - result.idleMsPerS * result.seconds));
    }
  }
  const per1k = (ms: number) => (ms / events.length) * 1000;
  return sizes.flatMap((n): Measurement[] => {
    const base = n === 1 ? undefined : 1;
    const c = cpu.get(n)!;
    const totals = c.segmenter.map((_, i) => SERVICES.reduce((s, k) => s + c[k][i]!, 0));
    return [
      { name: `members.n${n}.steps_per_s`, label: `${n} member(s) of each service: steps/s to quiet`, unit: 'steps/s', higherIsBetter: true, samples: rate.get(n)!, baseline: base && `members.n${base}.steps_per_s` },
      { name: `members.n${n}.in_clickhouse_steps_per_s`, label: `${n} member(s): steps/s until every step is in ClickHouse`, unit: 'steps/s', higherIsBetter: true, samples: ingest.get(n)!, baseline: base && `members.n${base}.in_clickhouse_steps_per_s` },
      { name: `members.n${n}.steps_per_s_per_member`, label: `${n} member(s): steps/s per member of a service`, unit: 'steps/s', higherIsBetter: true, samples: rate.get(n)!.map((x) => x / n), baseline: base && `members.n${base}.steps_per_s_per_member` },
      { name: `members.n${n}.cpu_ms_per_1k`, label: `${n} member(s): CPU ms per 1k steps, all 3x${n} processes`, unit: 'ms', higherIsBetter: false, samples: totals.map(per1k), baseline: base && `members.n${base}.cpu_ms_per_1k` },
      ...SERVICES.map((k): Measurement => ({ name: `members.n${n}.cpu_ms_per_1k.${k}`, label: `${n} member(s): CPU ms per 1k steps, ${k} (all its members)`, unit: 'ms', higherIsBetter: false, samples: c[k].map(per1k), baseline: base && `members.n${base}.cpu_ms_per_1k.${k}` })),
      { name: `members.n${n}.cpu_ms_per_1k_above_idle`, label: `${n} member(s): CPU ms per 1k steps above the members' idle CPU`, unit: 'ms', higherIsBetter: false, samples: aboveIdle.get(n)!.map(per1k), baseline: base && `members.n${base}.cpu_ms_per_1k_above_idle` },
      { name: `members.n${n}.steps_per_cpu_s`, label: `${n} member(s): steps per CPU-second (one core busy)`, unit: 'steps/s', higherIsBetter: true, samples: totals.map((ms) => events.length / (ms / 1000)), baseline: base && `members.n${base}.steps_per_cpu_s` },
      { name: `members.n${n}.outputs_identical`, label: `${n} member(s): runs whose templates and row counts equal the first 1-member run`, unit: '%', higherIsBetter: true, samples: identical.get(n)! },
    ];
  });
}

export const membersSuite: BenchSuite = {
  id: 'members',
  title: '1 vs 2 vs 4 members of each service as processes (real Kafka, registry, ClickHouse)',
  run,
};
