// Profiles the inducer processor on the learning suite's workload (apply + re-induce per 500):
//   node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx test/bench/inducer-profile.ts [--quick]
// Prints the steps/s (wall) and CPU ms of each run and a content hash of every published record, so that a
// change to the inducer's cost can be checked to change none of its output.
import { createHash } from 'node:crypto';
import { generateTraffic } from '@praxis/fleet';
import { DEFAULT_INDUCER_POLICY, Inducer } from '@praxis/inducer';
import { AgentStepSchema, type AgentStep, type Trajectory } from '@praxis/schemas';
import { DEFAULT_POLICY, PartitionSegmenter, type EmittedTrajectory } from '@praxis/segmenter';

const quick = process.argv.includes('--quick');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const seeds = quick ? 1 : 4;
const steps: AgentStep[] = [];
for (let s = 0; s < seeds; s++) {
  const traffic = generateTraffic(`bench-${s}`, { instancesPerWorkflow: quick ? 10 : 30, startMs: Date.UTC(2026, 0, 12 + s * 2, 9) });
  steps.push(...traffic.events.map((e) => AgentStepSchema.parse({ ...e, sessionId: `${e.sessionId}-${s}`, eventId: `${e.eventId}-${s}` })));
}
const seg = new PartitionSegmenter({ policyFor: () => DEFAULT_POLICY, idleMs: 5 * 60_000, maxPendingPerSession: 2_000 });
const emitted: EmittedTrajectory[] = [];
steps.forEach((s, i) => seg.apply(s, i, i, emitted));
seg.flushAll(emitted);
const trajectories: Trajectory[] = emitted.map((o) => o.trajectory);
const toolSteps = trajectories.reduce((n, t) => n + t.steps.length, 0);
console.log(`${trajectories.length} trajectories, ${toolSteps} tool steps`);
for (let run = 0; run < runs; run++) {
  const hash = createHash('sha256');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const inducer = new Inducer(() => DEFAULT_INDUCER_POLICY);
  for (let i = 0; i < trajectories.length; i += 500) {
    const touched = new Set<string>();
    trajectories.slice(i, i + 500).forEach((t, j) => {
      const key = inducer.applyTrajectory(t, 0, i + j);
      if (key) touched.add(key);
    });
    for (const key of touched) for (const o of inducer.publish(key)) hash.update(JSON.stringify(o));
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(`run ${run}: ${((toolSteps / ms) * 1000).toFixed(0)} steps/s (${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU), output ${hash.digest('hex').slice(0, 16)}`);
}
