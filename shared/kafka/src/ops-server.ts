import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsRegistry } from './metrics.js';

/** A readiness check: name and whether it passes, with details for operators. */
export type Check = () => { ok: boolean; details?: unknown } | Promise<{ ok: boolean; details?: unknown }>;

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The operations endpoint of a service: /healthz (the process answers), /readyz (every
 * check passes; 503 otherwise, with the failing checks) and /metrics (Prometheus).
 */
export async function startOpsServer(options: { host: string; port: number; checks: Record<string, Check> }): Promise<OpsServer> {
  const server = http.createServer(async (req, res) => {
    const url = req.url?.split('?')[0];
    try {
      if (url === '/healthz') return send(res, 200, { status: 'ok' });
      if (url === '/readyz') {
        const results: Record<string, { ok: boolean; details?: unknown }> = {};
        for (const [name, check] of Object.entries(options.checks)) results[name] = await check();
        const ready = Object.values(results).every((r) => r.ok);
        return send(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks: results });
      }
      if (url === '/metrics') {
        res.writeHead(200, { 'content-type': metricsRegistry.contentType });
        return res.end(await metricsRegistry.metrics());
      }
      send(res, 404, { error: 'not_found', path: url });
    } catch (error) {
      send(res, 500, { error: 'internal', message: (error as Error).message });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
