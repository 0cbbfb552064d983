// The benchmark harness behind `pnpm bench`. A suite returns measurements, each a list of
// samples from repeated runs; a measurement may name a baseline measured in the same run,
// and the report gives median, spread and the ratio against it. Never a pass/fail verdict.
import type { StackEndpoints } from '@praxis/cli/stack';

export interface BenchContext {
  /** Smaller workloads, for a smoke run of the harness itself. */
  quick: boolean;
  /** How many times each measurement is repeated. */
  repeats: number;
  /** The running stack (started through infra/ on first use). */
  stack(): Promise<StackEndpoints>;
  log(line: string): void;
}

export interface Measurement {
  /** Stable id, e.g. "segmenter.steps_per_s". */
  name: string;
  label: string;
  unit: string;
  higherIsBetter: boolean;
  samples: number[];
  /** `name` of the measurement this one is compared with (same suite, same run). */
  baseline?: string;
  notes?: string;
}

export interface BenchSuite {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<Measurement[]>;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** The p-th percentile (0..100) by nearest rank of sorted values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(samples: number[]): Summary {
  return { median: percentile(samples, 50), min: Math.min(...samples), max: Math.max(...samples), n: samples.length };
}

/** Runs `fn` `repeats` times (after `warmup` unrecorded runs) and returns what each run measured. */
export async function repeat(repeats: number, fn: (run: number) => Promise<number>, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) samples.push(await fn(i));
  return samples;
}

/** Wall-clock milliseconds of an async function. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
