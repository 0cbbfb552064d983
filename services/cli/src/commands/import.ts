import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { redactStepRecord, redactTrajectoryRecord } from '@praxis/core';
import { DEFAULT_INDUCER_POLICY, induceTemplates } from '@praxis/inducer';
import { ConfigError, createKafka, createLogger, ensureTopics, kafkaEnvShape, parseConfig, PraxisProducer, AvroSerde } from '@praxis/kafka';
import { praxisTopics, type Trajectory } from '@praxis/schemas';
import { DEFAULT_POLICY, segmentSteps } from '@praxis/segmenter';
import { z } from 'zod';
import { UsageError, type Command, type CommandIO } from '../command.js';
import { inEventTimeOrder, parseImportLine, type ImportLine } from './import-format.js';

const env = z.object({ KAFKA_BROKERS: kafkaEnvShape.KAFKA_BROKERS, SCHEMA_REGISTRY_URL: kafkaEnvShape.SCHEMA_REGISTRY_URL, PRAXIS_TOPIC_PREFIX: kafkaEnvShape.PRAXIS_TOPIC_PREFIX });
const MAX_SHOWN = 50;

async function writeJsonl(path: string, values: readonly unknown[]): Promise<void> {
  const out = createWriteStream(path);
  for (const v of values) if (!out.write(`${JSON.stringify(v)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Reads and parses the file; reports every refused line by number. Records are redacted as they are read: nothing imported keeps a secret. */
async function readLines(path: string, io: CommandIO) {
  const steps: Extract<ImportLine, { kind: 'step' }>[] = [];
  const trajectories: Extract<ImportLine, { kind: 'trajectory' }>[] = [];
  let errors = 0;
  let blank = 0;
  let n = 0;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const text of lines) {
    const parsed = parseImportLine(text, ++n);
    if (parsed.kind === 'step') steps.push({ ...parsed, step: redactStepRecord(parsed.step) });
    else if (parsed.kind === 'trajectory') trajectories.push({ ...parsed, trajectory: redactTrajectoryRecord(parsed.trajectory) });
    else if (parsed.kind === 'blank') blank++;
    else {
      errors++;
      if (errors <= MAX_SHOWN) io.err(`${path}:${parsed.line}: ${parsed.reason}`);
    }
  }
  if (errors > MAX_SHOWN) io.err(`... and ${errors - MAX_SHOWN} more refused lines`);
  return { steps, trajectories, errors, blank, lines: n };
}

export const importCommand: Command = {
  summary: 'import trajectories or step events from a JSONL file: into the topics, or offline to a JSONL of templates',
  usage: [
    'praxis import <file.jsonl> (--out <templates.jsonl> [--trajectories-out <file>] | --to-topics [--segment]) [--strict]',
    '  each line: an AgentStep or a Trajectory as JSON ("type": "step"|"trajectory" optional); see docs/learning.md',
    '  --out FILE               offline: segment and induce here, write the live templates as JSONL',
    '  --trajectories-out FILE  offline: also write the trajectories (imported and segmented)',
    '  --to-topics              produce steps to praxis.steps.v1 (event-time order) and trajectories to praxis.trajectories.v1',
    '  --segment                with --to-topics: segment steps here and produce trajectories instead of steps',
    '  --strict                 exit 1 when any line was refused (default: skip, count and report them)',
    '  env (--to-topics): KAFKA_BROKERS, SCHEMA_REGISTRY_URL, PRAXIS_TOPIC_PREFIX',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, 'trajectories-out': { type: 'string' }, 'to-topics': { type: 'boolean', default: false }, segment: { type: 'boolean', default: false }, strict: { type: 'boolean', default: false } },
      strict: true,
    });
    const [file, ...rest] = positionals;
    if (!file || rest.length > 0) throw new UsageError('give exactly one input file');
    if (Boolean(values.out) === values['to-topics']) throw new UsageError('choose one of --out (offline) or --to-topics');
    if (values.segment && !values['to-topics']) throw new UsageError('--segment goes with --to-topics');

    const read = await readLines(file, io);
    const ordered = inEventTimeOrder(read.steps);
    const summary = [`read ${read.lines} lines: ${read.steps.length} steps, ${read.trajectories.length} trajectories, ${read.errors} refused, ${read.blank} blank`];
    let trajectories: Trajectory[] = read.trajectories.map((t) => t.trajectory);
    let refusedSteps = 0;
    const segmentHere = Boolean(values.out) || values.segment;
    if (segmentHere && ordered.length > 0) {
      const result = segmentSteps(
        ordered.map((s) => s.step),
        { policyFor: () => DEFAULT_POLICY, idleMs: Number.MAX_SAFE_INTEGER, maxPendingPerSession: 10_000 },
      );
      for (const d of result.deadLetters) io.err(`${file}:${ordered[d.index]!.line}: ${d.reason}`);
      refusedSteps = result.deadLetters.length;
      trajectories = [...trajectories, ...result.trajectories];
      summary.push(`segmented ${ordered.length} steps into ${result.trajectories.length} trajectories (${result.duplicates} duplicate steps dropped, ${refusedSteps} refused)`);
    }

    if (values.out) {
      const templates = induceTemplates(trajectories, () => DEFAULT_INDUCER_POLICY);
      await writeJsonl(values.out, templates);
      if (values['trajectories-out']) await writeJsonl(values['trajectories-out'], trajectories);
      summary.push(`induced ${templates.length} templates -> ${values.out}${values['trajectories-out'] ? `; trajectories -> ${values['trajectories-out']}` : ''}`);
    } else {
      let config;
      try {
        config = parseConfig(env, io.env);
      } catch (error) {
        if (error instanceof ConfigError) {
          io.err(error.message);
          return 2;
        }
        throw error;
      }
      const logger = createLogger('import', 'error');
      const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'praxis-import', logger });
      const topics = praxisTopics(config.PRAXIS_TOPIC_PREFIX);
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin, [topics.steps, topics.trajectories]).finally(() => admin.disconnect());
      const producer = new PraxisProducer({ kafka, serde: AvroSerde.forUrl(config.SCHEMA_REGISTRY_URL), logger, service: 'import', retries: 5 });
      await producer.connect();
      try {
        const outputs = [
          ...(segmentHere ? [] : ordered.map((s) => ({ spec: topics.steps, value: s.step }))),
          ...trajectories.map((t) => ({ spec: topics.trajectories, value: t })),
        ];
        for (let i = 0; i < outputs.length; i += 1_000) await producer.send(outputs.slice(i, i + 1_000));
        summary.push(`produced ${segmentHere ? 0 : ordered.length} steps to ${topics.steps.name} and ${trajectories.length} trajectories to ${topics.trajectories.name}`);
      } finally {
        await producer.disconnect();
      }
    }
    for (const line of summary) io.out(line);
    return values.strict && read.errors + refusedSteps > 0 ? 1 : 0;
  },
};
