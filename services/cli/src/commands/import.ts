import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { applyLabels, applyVerifier, FORMATS, inEventTimeOrder, readLabels, readRuns, redactForIngest, redactStep, redactTrajectory, stepsOfRuns, type Format, type ImportedRun, type Verifier } from '@praxis/formats';
import { induceTemplates } from '@praxis/inducer';
import { ConfigError, createLogger, ensureTopics, kafkaEnvShape, PraxisProducer, AvroSerde } from '@praxis/kafka';
import { kafkaFromEnv, KAFKA_SECURITY_USAGE } from './kafka-env.js';
import { AgentStepSchema, praxisTopics, type AgentStep, type Template, type Trajectory } from '@praxis/schemas';
import { segmentSteps } from '@praxis/segmenter';
import { UsageError, type Command, type CommandIO } from '../command.js';
import { importPolicies, readPolicyFile } from './import-plan.js';

const env = { KAFKA_BROKERS: kafkaEnvShape.KAFKA_BROKERS, SCHEMA_REGISTRY_URL: kafkaEnvShape.SCHEMA_REGISTRY_URL, PRAXIS_TOPIC_PREFIX: kafkaEnvShape.PRAXIS_TOPIC_PREFIX };
const MAX_SHOWN = 50;

async function writeJsonl(path: string, values: readonly unknown[]): Promise<void> {
  const out = createWriteStream(path);
  for (const v of values) if (!out.write(`${JSON.stringify(v)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Prints refused lines as `file:line: reason`, up to a bound. */
function reporter(io: CommandIO) {
  let shown = 0;
  let total = 0;
  return {
    refuse(file: string, line: number, reason: string) {
      total++;
      if (shown++ < MAX_SHOWN) io.err(`${file}:${line}: ${reason}`);
    },
    done() {
      if (total > MAX_SHOWN) io.err(`... and ${total - MAX_SHOWN} more refused lines`);
      return total;
    },
  };
}

async function loadVerifier(path: string): Promise<Verifier> {
  const mod = (await import(pathToFileURL(resolve(path)).href)) as { verify?: unknown; default?: { verify?: unknown } };
  const verify = mod.verify ?? mod.default?.verify;
  if (typeof verify !== 'function') throw new UsageError(`${path} does not export a function verify(run)`);
  return verify as Verifier;
}

export const importCommand: Command = {
  summary: 'import what agents logged (OpenAI/Anthropic messages, LangChain runs, OTel GenAI spans, our JSONL): into the topics, or learn offline',
  usage: [
    'praxis import <file>... (--out <templates.jsonl> | --publish | --to-topics [--segment]) [options]',
    `  --format F               ${['auto', ...FORMATS].join('|')} (default auto: detected from the first records); see docs/import.md`,
    '  --out FILE               offline: segment and induce here, write the live templates as JSONL',
    '  --publish                offline as --out, and produce the templates to praxis.templates.v1 (the router serves them)',
    '  --trajectories-out FILE  offline: also write the trajectories (imported and segmented)',
    '  --steps-out FILE         also write the AgentStep events read from runs, as JSONL',
    '  --to-topics              produce steps to praxis.steps.v1 (event-time order) and trajectories to praxis.trajectories.v1',
    '  --segment                with --to-topics: segment steps here and produce trajectories instead of steps',
    '  --tenant T               tenant of imported runs (default "default"); --agent A: their agent (default: the file name)',
    '  --column C               CSV: the column holding each run (default: detected)',
    '  --labels FILE            JSONL of {runId|taskId|query, [agentId], success|outcome}: outcomes that came later',
    '  --verifier MODULE        a module exporting verify(run) -> boolean|undefined, for runs with no outcome',
    '  --policy FILE            {"inducer": {...}, "segmenter": {...}} over the services\' env (INDUCER_*, SEGMENTER_*)',
    '  --end-time T             runs without times of their own end by T (ms or ISO 8601; default now): reproducible output',
    '  --strict                 exit 1 when any line was refused (default: skip, count and report them)',
    `  env: INDUCER_*, SEGMENTER_* as the services; KAFKA_BROKERS, SCHEMA_REGISTRY_URL, PRAXIS_TOPIC_PREFIX, ${KAFKA_SECURITY_USAGE} for topics`,
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: files } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'auto' },
        out: { type: 'string' },
        publish: { type: 'boolean', default: false },
        'trajectories-out': { type: 'string' },
        'steps-out': { type: 'string' },
        'to-topics': { type: 'boolean', default: false },
        segment: { type: 'boolean', default: false },
        tenant: { type: 'string', default: 'default' },
        agent: { type: 'string' },
        column: { type: 'string' },
        labels: { type: 'string' },
        verifier: { type: 'string' },
        policy: { type: 'string' },
        'end-time': { type: 'string' },
        strict: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (files.length === 0) throw new UsageError('give at least one input file');
    const offline = Boolean(values.out) || values.publish;
    if (offline === values['to-topics']) throw new UsageError('choose --out and/or --publish (learn here), or --to-topics');
    if (values.segment && !values['to-topics']) throw new UsageError('--segment goes with --to-topics');
    const format = values.format as Format | 'auto';
    if (format !== 'auto' && !FORMATS.includes(format)) throw new UsageError(`unknown --format ${values.format} (one of auto, ${FORMATS.join(', ')})`);

    const endMs = values['end-time'] === undefined ? Date.now() : /^\d+$/.test(values['end-time']) ? Number(values['end-time']) : Date.parse(values['end-time']);
    if (!Number.isFinite(endMs)) throw new UsageError(`--end-time ${values['end-time']} is neither epoch ms nor an ISO 8601 time`);
    const unreadable = [...files, values.labels, values.policy, values.verifier].filter((f): f is string => f !== undefined && !existsSync(f));
    if (unreadable.length > 0) {
      io.err(`praxis import: no such file: ${unreadable.join(', ')}`);
      return 2;
    }
    let policies;
    try {
      policies = importPolicies(io.env, values.tenant, readPolicyFile(values.policy));
    } catch (error) {
      io.err(error instanceof ConfigError ? error.message : `praxis import: ${(error as Error).message}`);
      return 2;
    }
    const verify = values.verifier ? await loadVerifier(values.verifier) : null;

    // Read every file: runs (with the file as default agent) or our own steps and trajectories.
    const refused = reporter(io);
    const summary: string[] = [];
    let runs: ImportedRun[] = [];
    const fileOf = new Map<string, string>();
    const ourSteps: { step: AgentStep; file: string; line: number }[] = [];
    const trajectories: Trajectory[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const source = basename(file);
      const defaultAgent = values.agent ?? basename(file, extname(file));
      const read = readRuns(text, { format, source, ...(values.column ? { column: values.column } : {}) });
      for (const e of read.errors) refused.refuse(file, e.line, e.reason);
      for (const r of read.runs) {
        fileOf.set(r.runId, file);
        runs.push({ ...r, agentId: r.agentId ?? defaultAgent });
      }
      // Our own records are redacted as imported runs are: one redaction on the import path.
      for (const s of read.steps) ourSteps.push({ step: redactStep(s.step), file, line: s.line });
      trajectories.push(...read.trajectories.map((t) => redactTrajectory(t.trajectory)));
      if (read.format === 'jsonl') {
        const lines = text.split('\n');
        const n = lines.length - (text.endsWith('\n') ? 1 : 0);
        const blank = lines.slice(0, n).filter((l) => l.trim() === '').length;
        summary.push(`read ${n} lines: ${read.steps.length} steps, ${read.trajectories.length} trajectories, ${read.errors.length} refused, ${blank} blank`);
      } else {
        const calls = read.runs.reduce((n, r) => n + r.calls.length, 0);
        const toolErrors = read.runs.reduce((n, r) => n + r.calls.filter((c) => c.error).length, 0);
        summary.push(`read ${file} (${read.format}): ${read.runs.length} runs of ${new Set(read.runs.map((r) => r.taskId)).size} tasks, ${calls} tool calls (${toolErrors} errors), ${read.errors.length} refused`);
      }
    }

    if (values.labels) {
      const labels = readLabels(readFileSync(values.labels, 'utf8'));
      for (const e of labels.errors) refused.refuse(values.labels, e.line, e.reason);
      const applied = applyLabels(runs, labels.labels);
      runs = applied.runs;
      summary.push(`labels: ${labels.labels.length} read, ${applied.labelled} runs labelled`);
    }
    if (verify) {
      const verified = await applyVerifier(runs, verify);
      runs = verified.runs;
      summary.push(`verifier: ${verified.verified} runs decided`);
    }
    const outcomes = runs.reduce<Record<string, number>>((acc, r) => ((acc[r.outcome ?? 'unknown'] = (acc[r.outcome ?? 'unknown'] ?? 0) + 1), acc), {});
    if (runs.length > 0) summary.push(`outcomes: ${Object.entries(outcomes).map(([k, v]) => `${v} ${k}`).join(', ')}`);

    const steps: { step: AgentStep; file: string; line: number }[] = [...ourSteps];
    for (const { step, run } of stepsOfRuns(runs, { tenantId: values.tenant, endMs, redact: redactForIngest })) {
      const parsed = AgentStepSchema.safeParse(step);
      const file = fileOf.get(run.runId) ?? files[0]!;
      if (parsed.success) steps.push({ step: parsed.data, file, line: run.line });
      else refused.refuse(file, run.line, `a step of this run is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const ordered = inEventTimeOrder(steps);
    if (values['steps-out']) await writeJsonl(values['steps-out'], ordered.map((s) => s.step));

    let refusedSteps = 0;
    const segmentHere = offline || values.segment;
    let allTrajectories = trajectories;
    if (segmentHere && ordered.length > 0) {
      const result = segmentSteps(
        ordered.map((s) => s.step),
        { policyFor: policies.segmenterFor, idleMs: Number.MAX_SAFE_INTEGER, maxPendingPerSession: 10_000 },
      );
      for (const d of result.deadLetters) refused.refuse(ordered[d.index]!.file, ordered[d.index]!.line, d.reason);
      refusedSteps = result.deadLetters.length;
      allTrajectories = [...trajectories, ...result.trajectories];
      summary.push(`segmented ${ordered.length} steps into ${result.trajectories.length} trajectories (${result.duplicates} duplicate steps dropped, ${refusedSteps} refused)`);
    }

    let templates: Template[] = [];
    if (offline) {
      templates = induceTemplates(allTrajectories, policies.inducerFor);
      if (values.out) await writeJsonl(values.out, templates);
      if (values['trajectories-out']) await writeJsonl(values['trajectories-out'], allTrajectories);
      summary.push(`induced ${templates.length} templates${values.out ? ` -> ${values.out}` : ''}${values['trajectories-out'] ? `; trajectories -> ${values['trajectories-out']}` : ''}`);
    }
    if (values['to-topics'] || values.publish) {
      const { config, kafka, security } = kafkaFromEnv('praxis-import', io, env);
      const logger = createLogger('import', 'error');
      const topics = praxisTopics(config.PRAXIS_TOPIC_PREFIX);
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin, values.publish ? [topics.templates] : [topics.steps, topics.trajectories]).finally(() => admin.disconnect());
      const producer = new PraxisProducer({ kafka, serde: AvroSerde.forUrl(config.SCHEMA_REGISTRY_URL, security.registryAuth), logger, service: 'import', retries: 5 });
      await producer.connect();
      try {
        const outputs = values.publish
          ? templates.map((t) => ({ spec: topics.templates, value: t }))
          : [...(segmentHere ? [] : ordered.map((s) => ({ spec: topics.steps, value: s.step }))), ...allTrajectories.map((t) => ({ spec: topics.trajectories, value: t }))];
        for (let i = 0; i < outputs.length; i += 1_000) await producer.send(outputs.slice(i, i + 1_000));
        summary.push(
          values.publish
            ? `published ${templates.length} templates to ${topics.templates.name}`
            : `produced ${segmentHere ? 0 : ordered.length} steps to ${topics.steps.name} and ${allTrajectories.length} trajectories to ${topics.trajectories.name}`,
        );
      } finally {
        await producer.disconnect();
      }
    }
    const total = refused.done();
    for (const line of summary) io.out(line);
    return values.strict && total > 0 ? 1 : 0;
  },
};
