// The demo: the real stack (infra/ or servers from env), every Praxis service in this
// process, the synthetic fleet's traffic, and what comes out of it: trajectories, templates,
// router answers for fresh queries, one replay with the SDK executor, and the analytics
// summary from ClickHouse. docs/demo.md walks through it.
import { mkdirSync } from 'node:fs';
import { buildReport, formatReport } from '@praxis/analytics';
import { openClickHouse, quoteIdentifier } from '@praxis/clickhouse';
import type { LookupResponse } from '@praxis/contracts';
import type { AgentStepInput } from '@praxis/schemas';
import { freshTasks, generateTraffic, type FreshTask } from '@praxis/fleet';
import { createLogger, logFile } from '@praxis/kafka';
import { kafkaStepSink, RouterClient } from '@praxis/sdk';
import type { CommandIO } from '../command.js';
import { launchPraxis, type PraxisServices } from '../launch.js';
import { ensureStack } from '../stack.js';
import { pipelineCounts, sendTraffic, shiftToNow, waitUntilLearned } from './drive.js';
import { demoSettings, routerPort, type DemoSettings } from './settings.js';
import { runnable, runTask, scoreRun, tally, type ScoredRun } from './loop.js';
import { DEFAULT_REAL_AGENTS_MODULE, loadRealAgentsSet, realAgentsSection, type RealAgentsRow, type RealAgentsSet } from './real-agents.js';
import { describeLookup, describeProgress, describeTemplate, progressLine } from './show.js';

export type { RealAgentsSet, SetSandbox } from './real-agents.js';

export interface DemoOptions {
  io: CommandIO;
  /** Fleet seed: the same seed gives the same traffic. */
  seed: string;
  /** `small`: two agents and fewer tasks (the end-to-end test); `full`: the whole fleet. */
  scale: 'small' | 'full';
  /** Events per chunk and pause between chunks, which set how long the traffic runs. */
  chunk?: number;
  everyMs?: number;
  logDir: string;
  signal?: AbortSignal;
  /** Topics, database and router port of their own (tests); the defaults are the demo's, and earlier demo runs are cleared. */
  isolate?: { prefix: string; database: string; routerPort: number };
  /** The module of real agents' logs to learn from and serve (section 9); default: the benchmark's WorkBench subset at full scale, none at small scale. */
  realAgents?: string | false;
}

export interface DemoRun {
  settings: DemoSettings;
  services: PraxisServices;
  routerUrl: string;
  /** What the fleet sent (in delivery order, duplicates included). */
  events: AgentStepInput[];
  sent: number;
  learned: boolean;
  lookups: { task: FreshTask | null; query: string; answer: LookupResponse }[];
  execution: { task: FreshTask; outcome: string; matchesExpected: boolean } | null;
  loop: ReturnType<typeof tally>;
  /** Section 9: held-out tasks of real agents' logs, served and executed (empty when skipped). */
  realAgents: RealAgentsRow[];
  stop(): Promise<void>;
}

const SMALL_AGENTS = ['acme-travel/trip-planner', 'initech-ops/deploy-bot'];

/** Thrown by runDemo when its signal aborts it; its services are stopped by then. */
export class DemoAborted extends Error {
  override name = 'DemoAborted';
}

/** Removes what an earlier demo left: its topics and the demo database. */
async function clearEarlierRuns(settings: DemoSettings, services: { kafkaBrokers: string; clickhouseUrl: string }, io: CommandIO): Promise<void> {
  const { createKafka } = await import('@praxis/kafka');
  const admin = createKafka({ brokers: services.kafkaBrokers.split(','), clientId: 'praxis-demo', logger: createLogger('demo', 'error') }).admin();
  await admin.connect();
  const old = (await admin.listTopics()).filter((t) => t.startsWith('demo-') && !t.startsWith(settings.prefix));
  if (old.length) await admin.deleteTopics({ topics: old });
  await admin.disconnect();
  const ch = await openClickHouse({ url: services.clickhouseUrl, database: 'default' });
  await ch.command(`DROP DATABASE IF EXISTS ${quoteIdentifier(settings.database).text}`);
  await ch.close();
  io.out(`  cleared the previous demo (${old.length} topics, database ${settings.database})`);
}

/** Runs the demo; the services keep running until the returned run is stopped. */
export async function runDemo(options: DemoOptions): Promise<DemoRun> {
  const { io } = options;
  const started = Date.now();
  const section = (title: string) => {
    if (options.signal?.aborted) throw new DemoAborted('stopped by a signal');
    io.out(`\n== ${title}`);
  };

  section('1. Real servers');
  const stack = await ensureStack(io.env, (line) => io.out(`  ${line}`));
  io.out(`  Kafka ${stack.kafkaBrokers} · schema registry ${stack.registryUrl} · ClickHouse ${stack.clickhouseUrl}`);

  const runId = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  mkdirSync(options.logDir, { recursive: true });
  const realAgentsModule = options.realAgents ?? (options.scale === 'full' ? DEFAULT_REAL_AGENTS_MODULE : false);
  const realSet: RealAgentsSet | null = realAgentsModule ? await loadRealAgentsSet(realAgentsModule) : null;
  const settings = demoSettings(stack, {
    runId,
    routerPort: options.isolate?.routerPort ?? (await routerPort()),
    logDir: options.logDir,
    logLevel: io.env.LOG_LEVEL ?? 'info',
    prefix: options.isolate?.prefix,
    database: options.isolate?.database,
    extraTenants: realSet ? [realSet.tenantId] : [],
  });
  if (!options.isolate) await clearEarlierRuns(settings, stack, io);

  section('2. Praxis services');
  const log = logFile(settings.logPath);
  // the real agents' tenant learns under its own policy, as its benchmark does (an operator's per-tenant override)
  const overrides = realSet?.inducerPolicy ? { INDUCER_OVERRIDES: JSON.stringify({ ...(JSON.parse(settings.env.INDUCER_OVERRIDES ?? '{}') as object), [realSet.tenantId]: realSet.inducerPolicy }) } : {};
  const services = await launchPraxis({
    env: { ...settings.env, ...overrides },
    logger: (service) => createLogger(service, settings.env.LOG_LEVEL, log),
    onStarted: (service) => io.out(`  ${service} started`),
  });
  const routerUrl = services.router.url;
  io.out(`  topics ${settings.prefix}praxis.*, ClickHouse database ${settings.database}, router ${routerUrl}`);
  io.out(`  service logs: ${settings.logPath}`);
  const stop = async () => {
    await services.stop();
  };

  try {
    section('3. The synthetic agent fleet at work');
    const traffic = generateTraffic(options.seed, options.scale === 'small' ? { agents: SMALL_AGENTS, instancesPerWorkflow: 16, sessionsPerAgent: 3 } : {});
    if (traffic.events.length === 0) throw new Error(`the fleet produced no traffic for seed ${options.seed} (scale ${options.scale})`);
    const events = shiftToNow(traffic.events);
    const agents = new Set(traffic.tasks.map((t) => `${t.tenantId}/${t.agentId}`));
    io.out(`  ${traffic.tasks.length} tasks of ${agents.size} agents in ${new Set(traffic.tasks.map((t) => t.tenantId)).size} tenants: ${events.length.toLocaleString('en-US')} step events (planned workflows, exploration, mistakes and fixes, failures, late and duplicate deliveries)`);
    const sink = kafkaStepSink({ brokers: stack.kafkaBrokers.split(','), registryUrl: stack.registryUrl, topicPrefix: settings.prefix, clientId: 'praxis-demo-fleet' });
    const sendStarted = Date.now();
    const show = async (sent: number) => io.out(progressLine(Date.now() - sendStarted, sent, events.length, await pipelineCounts(services)));
    const sent = await sendTraffic(sink, events, { chunk: options.chunk ?? 150, everyMs: options.everyMs ?? 400, onProgress: show, signal: options.signal });
    await sink.close();
    if (options.signal?.aborted) throw new DemoAborted('stopped by a signal');
    io.out('  traffic sent; waiting for the last tasks to close and the templates to settle...');
    let ticks = 0;
    const learned = await waitUntilLearned(services, {
      timeoutMs: 180_000,
      signal: options.signal,
      onTick: async () => {
        if (ticks++ % 3 === 0) await show(sent);
      },
    });
    if (options.signal?.aborted) throw new DemoAborted('stopped by a signal');
    await show(sent);
    if (!learned) io.out('  (still settling after 3 minutes; showing what is there)');

    section('4. What Praxis learned');
    const catalog = services.router.core.catalog;
    const all = catalog.tenantIds().flatMap((t) => [...catalog.tenant(t).templates.values()]);
    for (const tenantId of catalog.tenantIds().sort()) {
      const mine = all.filter((t) => t.tenantId === tenantId);
      io.out(`  ${tenantId}: ${mine.length} templates (${mine.filter((t) => t.status === 'ACTIVE').length} active), ${mine.reduce((n, t) => n + t.avoidanceHints.length, 0)} avoidance hints`);
    }
    const shown = new Set<string>();
    const pick = [...all].filter((t) => t.status === 'ACTIVE').sort((a, b) => b.avoidanceHints.length - a.avoidanceHints.length || b.stats.support - a.stats.support).filter((t) => (shown.has(t.agentId ?? '') ? false : shown.add(t.agentId ?? '')));
    for (const t of pick.slice(0, 3)) {
      io.out('');
      for (const line of describeTemplate(t)) io.out(line);
    }

    section('5. The router answers fresh queries (HTTP, per-tenant API keys)');
    const pool = freshTasks(`${options.seed}-fresh`, 80, { agents: [...agents] });
    const perAgent = [...agents].map((a) => pool.find((t) => `${t.tenantId}/${t.agentId}` === a)).filter((t): t is FreshTask => Boolean(t));
    const first = perAgent[0]!;
    const queries: { task: FreshTask | null; tenantId: string; agentId: string; query: string; context?: Record<string, unknown> }[] = [
      ...perAgent.map((task) => ({ task, tenantId: task.tenantId, agentId: task.agentId, query: task.query, context: task.context })),
      { task: null, tenantId: first.tenantId, agentId: first.agentId, query: `hey, quick one: could you please ${first.query.charAt(0).toLowerCase()}${first.query.slice(1)}`, context: first.context },
      { task: null, tenantId: first.tenantId, agentId: first.agentId, query: 'What is the weather going to be like in Lisbon this weekend?' },
    ];
    const clientFor = (tenantId: string) => new RouterClient({ baseUrl: routerUrl, apiKey: settings.keys[tenantId]!, timeoutMs: 5_000 });
    const lookups: DemoRun['lookups'] = [];
    for (const q of queries) {
      const answer = await clientFor(q.tenantId).lookup({ query: q.query, agentId: q.agentId, context: q.context as never, sessionId: `demo-${runId}` });
      lookups.push({ task: q.task, query: q.query, answer });
      for (const line of describeLookup(q.query, answer)) io.out(line);
    }

    section('6. An agent runs a learned workflow (SDK executor, outcome reported back)');
    let execution: DemoRun['execution'] = null;
    const order = { reuse: 0, rewrite: 1, plan: 2 } as const;
    const chosen = lookups
      .filter((l) => l.task && runnable(l.answer))
      .sort((a, b) => order[a.answer.tier] - order[b.answer.tier] || b.answer.avoidanceHints.length - a.answer.avoidanceHints.length)[0];
    const unboundAnswers = lookups.filter((l) => l.answer.toGenerate.length > 0).length;
    if (unboundAnswers) io.out(`  ${unboundAnswers} rewrite answer(s) left slots unbound: no model is configured to write them, so they are not run (counted below)`);
    if (!chosen?.task) io.out('  no fresh query was answered with a workflow the router bound completely; nothing to execute');
    else {
      const task = chosen.task;
      io.out(`  "${task.query}" (${task.agentId}'s simulated tools)`);
      const run = scoreRun(
        await runTask(task, clientFor(task.tenantId), `demo-${runId}`, (event) => {
          const line = describeProgress(event);
          if (line) io.out(line);
        }),
      );
      io.out(`  ${run.answer.tier}: outcome ${run.result?.outcome ?? 'not run'}; the calls ${run.correct ? 'match' : 'differ from'} the ones a correct run makes; feedback ${run.result?.feedback.sent ? 'sent to the router' : 'not sent'}`);
      execution = { task, outcome: run.result?.outcome ?? 'not run', matchesExpected: run.correct };
    }

    section('7. The loop closes: agents ask the router first, run what it serves, report outcomes');
    const wave = pool.filter((t) => !perAgent.includes(t)).slice(0, options.scale === 'small' ? 20 : 60);
    const runs: ScoredRun[] = [];
    for (const task of wave) {
      runs.push(scoreRun(await runTask(task, clientFor(task.tenantId), `demo-${runId}-wave`)));
      if (runs.length % 10 === 0 || runs.length === wave.length) {
        const t = tally(runs);
        io.out(`  ${t.tasks}/${wave.length} tasks · reuse ${t.reuse} · rewrite ${t.rewrite} · plan ${t.plan} · unbound, not run (no model) ${t.unboundTasks} · executed ${t.executed}, succeeded ${t.succeeded} (correct ${t.correct}) · hints applied ${t.hintsApplied} · est. planning tokens saved ${t.tokensSaved.toLocaleString('en-US')}`);
      }
    }
    const loop = tally(runs);

    section('8. Analytics in ClickHouse');
    // The lookups and the outcome travel router -> feedback topic -> sink: wait for them to land.
    await services.router.core.flushLookups();
    const expectedFeedback = lookups.length + (execution ? 2 : 0) + loop.tasks + loop.executed;
    const landed = async () => Number((await services.clickhouse.query<{ n: number }>('SELECT (SELECT count() FROM router_lookups) + (SELECT count() FROM executions) AS n'))[0]?.n ?? 0);
    for (let waited = 0; waited < 30_000 && (await landed()) < expectedFeedback; waited += 500) {
      await services.analytics.drain(5_000);
      await new Promise((r) => setTimeout(r, 500));
    }
    await services.analytics.drain(30_000);
    const from = new Date(Math.min(...events.map((e) => e.timestampMs))).toISOString().slice(0, 10);
    const to = new Date().toISOString().slice(0, 10);
    const tenantIds = [...new Set(traffic.tasks.map((t) => t.tenantId))].sort();
    for (const tenant of tenantIds) {
      const report = await buildReport(services.clickhouse, { tenant, from, to, limit: 5 });
      io.out(`  -- ${tenant}`);
      for (const id of ['overview', 'funnel', 'tools'] as const) io.out(formatReport(report, 'table', id).replace(/^/gm, '  '));
      if (options.scale === 'full') break; // one tenant in full; the commands below show the rest
    }

    let realAgents: RealAgentsRow[] = [];
    if (realSet) {
      section("9. Real agents' logs: learned, served to held-out tasks, executed in their sandbox");
      const realSink = kafkaStepSink({ brokers: stack.kafkaBrokers.split(','), registryUrl: stack.registryUrl, topicPrefix: settings.prefix, clientId: 'praxis-demo-real-agents' });
      try {
        realAgents = await realAgentsSection(realSet, { io, services, sink: realSink, client: clientFor(realSet.tenantId), shown: 6 });
      } finally {
        await realSink.close();
      }
    } else if (realAgentsModule) io.out(`\n  (no real agents' logs: ${realAgentsModule} is not there)`);

    section('Try it yourself');
    const key = settings.keys[first.tenantId]!;
    io.out(`  Router (${routerUrl}); API keys: ${Object.entries(settings.keys).map(([t, k]) => `${t} -> ${k}`).join(', ')}`);
    io.out(`    curl -s ${routerUrl}/v1/lookup -H 'authorization: Bearer ${key}' -H 'content-type: application/json' \\`);
    io.out(`      -d '${JSON.stringify({ query: first.query, agentId: first.agentId })}'`);
    io.out(`    curl -s ${routerUrl}/v1/templates -H 'authorization: Bearer ${key}'      # OpenAPI: ${routerUrl}/v1/openapi.json`);
    io.out(`  ClickHouse (database ${settings.database}; docs/analytics.md has a dozen ready queries):`);
    io.out(`    curl -s '${stack.clickhouseUrl}/?database=${settings.database}' --data-binary 'SELECT tool_name, count() AS calls, countIf(status = '"'"'ERROR'"'"') AS errors FROM steps FINAL WHERE kind = '"'"'TOOL_CALL'"'"' GROUP BY tool_name ORDER BY errors DESC LIMIT 10 FORMAT PrettyCompact'`);
    io.out(`    CLICKHOUSE_URL=${stack.clickhouseUrl} CLICKHOUSE_DATABASE=${settings.database} pnpm praxis report --tenant ${first.tenantId} --from ${from}`);
    io.out(`  Kafka topics: ${settings.prefix}praxis.{steps,trajectories,templates,feedback}.v1 on ${stack.kafkaBrokers}`);
    io.out(`  (demo took ${Math.round((Date.now() - started) / 1000)} s)`);
    return { settings, services, routerUrl, events, sent, learned, lookups, execution, loop, realAgents, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
