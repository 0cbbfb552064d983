// main.ts as a real process: config from the environment, index from the topic, the HTTP
// API and the ops server (readiness, metrics), and an orderly exit on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Runtime } from '@praxis/kafka';
import { makeTemplate } from '@praxis/schemas/factories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/dedicated-kafka.js';
import { createTopics, eventually, testRuntime, uniquePrefix } from '../support/stack.js';
import { KEYS, routerEnv } from './support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('router process', () => {
  let rt: Runtime;
  let child: ChildProcess;
  let port: number;
  let opsPort: number;
  let output = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    const prefix = uniquePrefix('router-process');
    rt = await testRuntime('router-process', prefix);
    await createTopics(rt.kafka, Object.values(rt.topics));
    await rt.producer.send([{ spec: rt.topics.templates, value: makeTemplate({ templateId: 'tpl-proc' }) }]);
    port = await freePort();
    opsPort = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'services/router/src/main.ts'], {
      cwd: root,
      env: { ...process.env, ...routerEnv(prefix, { ROUTER_PORT: String(port), OPS_PORT: String(opsPort), LOG_LEVEL: 'info' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const ready = await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200, 60_000, 200);
    if (!ready) throw new Error(`router did not become ready:\n${output}`);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await rt?.producer.disconnect();
  });

  it('serves lookups from the templates already on the topic', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/lookup`, { method: 'POST', headers: { 'x-api-key': KEYS.acme, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'where is my order A-9?', agentId: 'support-bot' }) });
    expect(await res.json()).toMatchObject({ tier: 'reuse', templateId: 'tpl-proc' });
  });

  it('reports readiness and metrics on the ops port', async () => {
    const ready = await (await fetch(`http://127.0.0.1:${opsPort}/readyz`)).json();
    expect(ready).toMatchObject({ status: 'ready', checks: { template_index: { ok: true } } });
    const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    expect(metrics).toContain('praxis_router_lookups_total{tenant="acme",tier="reuse"} 1');
    expect(metrics).toMatch(/praxis_router_templates 1/);
  });

  it('shuts down in order on SIGTERM and exits 0', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('"event":"shutdown_complete"');
  });
});
