// Profiles the inducer processor on the learning suite's workload (apply + re-induce per 500):
//   node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx test/bench/inducer-profile.ts [--quick]
// Prints the steps/s (wall) and CPU ms of each run and a content hash of every published record, so that a
// change to the inducer's cost can be checked to change none of its output.
import { createHash } from 'node:crypto';
import { induceInBatches, segmentAll, workload } from './suites/learning.js';

const quick = process.argv.includes('--quick');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const trajectories = segmentAll(workload(quick));
const toolSteps = trajectories.reduce((n, t) => n + t.steps.length, 0);
console.log(`${trajectories.length} trajectories, ${toolSteps} tool steps`);
for (let run = 0; run < runs; run++) {
  const hash = createHash('sha256');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  induceInBatches(trajectories, (o) => hash.update(JSON.stringify(o)));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(`run ${run}: ${((toolSteps / ms) * 1000).toFixed(0)} steps/s (${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU), output ${hash.digest('hex').slice(0, 16)}`);
}
