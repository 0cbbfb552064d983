// Secrets never reach Kafka or ClickHouse (issue 11, finding 8): every secret of the committed
// corpus (fixtures/secret-corpus.json) is recorded through the SDK (query, parameters, result,
// error message, attributes) and sent to the router (lookup queries, feedback error messages
// and reasons); then the raw bytes of the topics and every row of every ClickHouse table are
// searched for it. The records themselves must arrive, so the search means something.
import { readFileSync } from 'node:fs';
import { startAnalytics, type AnalyticsService } from '@praxis/analytics';
import { createLogger, type Runtime } from '@praxis/kafka';
import { makeTemplate } from '@praxis/schemas/factories';
import { kafkaStepSink, Recorder } from '@praxis/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRouter, type TestRouter } from '../router/support.js';
import { testClickHouse } from '../support/clickhouse.js';
import { createTopics, eventually, readTopic, stack, testKafka, testRuntime, uniquePrefix } from '../support/stack.js';

interface Corpus {
  keys: { id: string; key: string; secret: string }[];
  texts: { id: string; text: string; secret: string }[];
}
const corpus = JSON.parse(readFileSync(new URL('./fixtures/secret-corpus.json', import.meta.url), 'utf8')) as Corpus;
const secrets = [...corpus.keys.map((k) => k.secret), ...corpus.texts.map((t) => t.secret)];

describe('no secret of the corpus is stored', () => {
  const prefix = uniquePrefix('redaction');
  let rt: Runtime;
  let ch: Awaited<ReturnType<typeof testClickHouse>>;
  let analytics: AnalyticsService | undefined;
  let t: TestRouter;
  let recorder: Recorder;

  beforeAll(async () => {
    rt = await testRuntime('redaction', prefix);
    await createTopics(rt.kafka, Object.values(rt.topics), 1);
    ch = await testClickHouse('clickhouse-18.16', 'redaction');
    analytics = await startAnalytics({ runtime: rt, clickhouse: ch, groupId: `${prefix}analytics`, limits: { maxRows: 100, maxBytes: 1024 * 1024, maxAgeMs: 300 }, retryMaxMs: 1_000, retention: null, sessionTimeoutMs: 10_000 });
    t = await startTestRouter('redaction', { prefix, env: { ROUTER_TOOLS: JSON.stringify({ acme: { login: { type: 'object' } } }) } });
    recorder = new Recorder({ tenantId: 'acme', agentId: 'leaky-bot', sink: kafkaStepSink({ brokers: stack().kafkaBrokers, registryUrl: stack().registryUrl, topicPrefix: prefix, logger: createLogger('sdk', 'silent') }), flushOnExit: false });
  });

  afterAll(async () => {
    await recorder?.close(2_000);
    await t?.stop();
    await analytics?.stop();
    await rt?.producer.disconnect();
    await ch?.drop();
  });

  it('through the SDK and the router, to the topics and to ClickHouse', async () => {
    // the SDK: every text as a query, in an error message, in parameters, results and attributes; every key in parameters
    const secretParams = Object.fromEntries(corpus.keys.map((k) => [k.key, k.secret]));
    corpus.texts.forEach((c, i) => {
      const sessionId = `s-${i}`;
      recorder.record({ kind: 'QUERY', sessionId, query: c.text });
      recorder.record({ kind: 'TOOL_CALL', sessionId, toolName: 'login', parameters: { ...secretParams, note: c.text, nested: { list: [c.text] } }, result: { echo: c.text, ...secretParams }, status: 'ERROR', errorType: 'AuthError', errorMessage: c.text, attributes: { source: c.text, password: c.secret } });
      recorder.record({ kind: 'TASK_END', sessionId, taskOutcome: 'FAILED' });
    });
    await recorder.flush();
    expect(recorder.stats()).toMatchObject({ sent: corpus.texts.length * 3, failed: 0, dropped: 0 });

    // the router: a workflow of the tenant, then lookups and feedback carrying the secrets
    const created = await t.call('POST', '/v1/workflows', { name: 'log in', triggerExamples: ['log me in'], slots: [], steps: [{ toolName: 'login', params: {} }] });
    expect(created.status).toBe(201);
    const templateId = created.body.template.templateId as string;
    for (const [i, c] of corpus.texts.entries()) {
      const lookup = await t.call('POST', '/v1/lookup', { query: `log me in: ${c.text}`, agentId: 'leaky-bot' });
      expect(lookup.status).toBe(200);
      const feedback = await t.call('POST', '/v1/feedback', { executionId: `ex-${i}`, templateId, agentId: 'leaky-bot', outcome: 'failed', stepsTotal: 1, stepsCompleted: 0, failedStep: 0, durationMs: 5, errorMessage: c.text, reason: `retried after ${c.text}` });
      expect(feedback.status).toBeLessThan(300);
    }
    // a learned template of the tenant, unlearned with a reason full of secrets
    const learned = makeTemplate({ templateId: 'tpl-redaction-learned', tenantId: 'acme', updatedAtMs: Date.now(), createdAtMs: Date.now() });
    await rt.producer.send([{ spec: rt.topics.templates, value: learned }]);
    await eventually(async () => (await t.call('GET', `/v1/templates/${learned.templateId}`)).status === 200, 20_000, 100);
    const unlearnReason = corpus.texts.slice(0, 6).map((c) => c.text).join(' ');
    const unlearn = await t.call('DELETE', `/v1/templates/${learned.templateId}?reason=${encodeURIComponent(unlearnReason)}`);
    expect(unlearn.status).toBeLessThan(300);

    // everything arrived (else the search below would prove nothing)
    const n = corpus.texts.length;
    await eventually(async () => {
      const [steps] = await ch.query<{ n: number }>('SELECT count() AS n FROM steps');
      const [lookups] = await ch.query<{ n: number }>('SELECT count() AS n FROM router_lookups');
      const [executions] = await ch.query<{ n: number }>('SELECT count() AS n FROM executions');
      return steps!.n >= 3 * n && lookups!.n >= n && executions!.n >= n;
    }, 60_000, 300);

    await eventually(async () => (await ch.query<{ n: number }>('SELECT count() AS n FROM unlearns'))[0]!.n >= 1, 30_000, 300);
    const kafkaText: string[] = [];
    const admin = testKafka().admin();
    await admin.connect();
    for (const spec of [rt.topics.steps, rt.topics.feedback, rt.topics.templates]) {
      const count = (await admin.fetchTopicOffsets(spec.name)).reduce((sum, p) => sum + Number(p.high), 0);
      const messages = await readTopic(testKafka(), spec.name, count, 20_000);
      expect(messages.length).toBe(count);
      kafkaText.push(...messages.map((m) => `${m.key?.toString('latin1') ?? ''} ${m.value?.toString('latin1') ?? ''} ${JSON.stringify(m.headers ?? {})}`));
    }
    await admin.disconnect();
    const kafkaDump = kafkaText.join('\n');
    expect(kafkaDump).toContain('log me in');
    expect(kafkaDump).toContain('[REDACTED]');

    const tables = (await ch.query<{ name: string }>('SHOW TABLES')).map((r) => r.name).filter((name) => !name.startsWith('.inner'));
    expect(tables).toEqual(expect.arrayContaining(['steps', 'router_lookups', 'executions', 'unlearns']));
    const rows: string[] = [];
    for (const table of tables) rows.push(JSON.stringify(await ch.query(`SELECT * FROM ${table}`)));
    const chDump = rows.join('\n');
    expect(chDump).toContain('[REDACTED]');

    const leaks = secrets.filter((s) => kafkaDump.includes(s) || chDump.includes(s));
    expect(leaks).toEqual([]);
  });
});
