// pnpm bench pipeline-processes: the kind of workload of pipeline-throughput (fleet steps
// recorded through the SDK in the bench process; four times as many, below), but with the
// segmenter, the inducer and the analytics sink each in a process of its own (their main.ts), as
// a deployment runs them, one member each, all on the same 2 cores as the broker, the registry
// and ClickHouse. The one-thread pipeline bench puts every service on one Node thread, which no
// deployment does; this measures the deployed shape against the same raw kafkajs baseline, in
// the same run.
// Ingest: every step in ClickHouse (the sink's part; the segmenter's progress is not visible from
// outside its process: its commits wait for its open sessions, so its group lag says nothing).
// End to end: the pipeline quiet (every trajectory closed, induced and in ClickHouse; the sink
// and the inducer committed everything; topics and tables still). CPU: the three services'
// processes from /proc/<pid>/stat, and the bench process (the SDK) apart.
import { openClickHouse } from '@praxis/clickhouse';
import type { StackEndpoints } from '@praxis/cli/stack';
import { generateTraffic } from '@praxis/fleet';
import { AgentStepSchema, type AgentStepInput } from '@praxis/schemas';
import { kafkaStepSink } from '@praxis/sdk';
import type { BenchContext, BenchSuite, Measurement } from '../harness.js';
import { closeDeployment, joined, openDeployment, SERVICES, type Service } from './deployment.js';
import { cpuMsOf, untilQuiet } from './members.js';
import { fleetRecorders, orderedEvents } from './pipeline.js';
import { rawProduceConsume } from './pipeline-raw.js';

interface ProcessRun {
  ingestPerS: number;
  endToEndPerS: number;
  /** CPU ms of each service's process from the first step recorded to quiet. */
  cpuMs: Record<Service, number>;
  /** CPU ms of the bench process (the SDK's record() and its producer) over the same window. */
  sdkCpuMs: number;
  ingestMs: number;
  endToEndMs: number;
}

async function runOnce(stack: StackEndpoints, events: AgentStepInput[], ctx: BenchContext): Promise<ProcessRun> {
  const d = await openDeployment(stack, 'procs');
  const { processes } = d;
  const sink = kafkaStepSink({ brokers: stack.kafkaBrokers.split(','), registryUrl: stack.registryUrl, topicPrefix: d.prefix, clientId: 'bench-procs-sdk' });
  try {
    // the one-thread pipeline bench's idle close (isolatedEnv idleMs / idleGraceMs)
    const extra = { SEGMENTER_IDLE_MS: '1000', SEGMENTER_IDLE_GRACE_MS: '500' };
    // PRAXIS_BENCH_CPU_PROF=<dir>: each service writes a V8 CPU profile there when it stops
    const prof = process.env.PRAXIS_BENCH_CPU_PROF;
    const start = (service: Service) => d.start(service, extra, prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}/${service}`] : []);
    await joined([start('analytics')], 120_000); // its migrations have run
    await joined([start('segmenter'), start('inducer'), ...processes.filter((x) => x.service === 'analytics').map((x) => x.p)], 180_000);
    await new Promise((r) => setTimeout(r, 3_000)); // the groups settle
    const ch = (d.ch = await openClickHouse({ url: stack.clickhouseUrl, database: d.database }));
    const recorders = fleetRecorders(sink, events);
    const cpuBefore = processes.map((x) => cpuMsOf(x.p.pid));
    const sdkBefore = process.cpuUsage();
    const t0 = performance.now();
    await recorders.recordAll();
    const stepsTable = async () => Number((await ch.query<{ n: number }>('SELECT count() AS n FROM steps'))[0]?.n ?? 0);
    let t1 = 0;
    for (const deadline = Date.now() + 300_000; Date.now() < deadline; ) {
      const at = performance.now();
      if ((await stepsTable()) >= events.length) {
        t1 = at;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!t1) throw new Error('the steps were not all in ClickHouse within 5 min');
    const quiet = await untilQuiet(d.rt, d.admin, ch, d.prefix, events.length);
    const cpuAfter = processes.map((x) => cpuMsOf(x.p.pid));
    const sdk = process.cpuUsage(sdkBefore);
    const cpuMs = { segmenter: 0, inducer: 0, analytics: 0 };
    processes.forEach((x, i) => (cpuMs[x.service] += cpuAfter[i]! - cpuBefore[i]!));
    await recorders.close();
    return { ingestPerS: events.length / ((t1 - t0) / 1000), endToEndPerS: events.length / ((quiet.at - t0) / 1000), cpuMs, sdkCpuMs: (sdk.user + sdk.system) / 1000, ingestMs: t1 - t0, endToEndMs: quiet.at - t0 };
  } finally {
    await sink.close().catch(() => undefined);
    await closeDeployment(stack, d, ctx);
  }
}

async function run(ctx: BenchContext): Promise<Measurement[]> {
  const stack = await ctx.stack();
  // the one-thread bench's traffic (pipeline.ts throughput) at 200 instances per workflow (39,426
  // steps), four times its 48 (9,562): at that size the fixed waits (the 1.5 s idle close, the
  // first batches) are half of the end-to-end time; PRAXIS_BENCH_PIPELINE_INSTANCES sets another size
  const instances = Number(process.env.PRAXIS_BENCH_PIPELINE_INSTANCES ?? (ctx.quick ? 16 : 200));
  const traffic = generateTraffic('bench-pipeline', { instancesPerWorkflow: instances, sessionsPerAgent: 8 });
  const events = orderedEvents(traffic);
  const runs = Math.min(ctx.repeats, ctx.quick ? 1 : 3);
  ctx.log(`pipeline-processes: ${events.length} steps per run, one process per service, ${runs} run(s)`);
  const ingest: number[] = [];
  const endToEnd: number[] = [];
  const raw: number[] = [];
  const cpuPer1k: number[] = [];
  const sdkPer1k: number[] = [];
  const per = (ms: number) => (ms / events.length) * 1000;
  for (let r = 0; r < runs; r++) {
    const x = await runOnce(stack, events, ctx);
    ingest.push(x.ingestPerS);
    endToEnd.push(x.endToEndPerS);
    const services = SERVICES.reduce((s, k) => s + x.cpuMs[k], 0);
    cpuPer1k.push(per(services));
    sdkPer1k.push(per(x.sdkCpuMs));
    ctx.log(`pipeline-processes run ${r + 1}: ingest ${Math.round(x.ingestPerS)} steps/s (${Math.round(x.ingestMs)} ms), end to end ${Math.round(x.endToEndPerS)} steps/s (${Math.round(x.endToEndMs)} ms); CPU ${SERVICES.map((k) => `${k} ${Math.round(x.cpuMs[k])}`).join(', ')} ms, the SDK's process ${Math.round(x.sdkCpuMs)} ms`);
    raw.push(await rawProduceConsume(stack, events.map((e) => AgentStepSchema.parse(e))));
  }
  return [
    { name: 'pipeline_processes.raw_kafkajs', label: 'raw kafkajs produce + consume, same Avro messages (processes run)', unit: 'steps/s', higherIsBetter: true, samples: raw },
    { name: 'pipeline_processes.ingest', label: 'a process per service: SDK record() -> analytics sink (all steps in ClickHouse)', unit: 'steps/s', higherIsBetter: true, samples: ingest, baseline: 'pipeline_processes.raw_kafkajs' },
    { name: 'pipeline_processes.end_to_end', label: 'a process per service: ... and every trajectory closed, induced and in ClickHouse', unit: 'steps/s', higherIsBetter: true, samples: endToEnd, baseline: 'pipeline_processes.raw_kafkajs', notes: 'includes the 1.5 s idle close of the last open sessions (SEGMENTER_IDLE_MS 1000 + grace 500)' },
    { name: 'pipeline_processes.cpu_per_1k', label: 'a process per service: CPU ms per 1k steps, the three services', unit: 'ms', higherIsBetter: false, samples: cpuPer1k },
    { name: 'pipeline_processes.sdk_cpu_per_1k', label: 'a process per service: CPU ms per 1k steps, the SDK\'s process', unit: 'ms', higherIsBetter: false, samples: sdkPer1k },
  ];
}

export const pipelineProcessesSuite: BenchSuite = {
  id: 'pipeline-processes',
  title: 'Pipeline throughput with a process per service: SDK -> segmenter, inducer, sink processes -> ClickHouse against raw kafkajs',
  run,
};
