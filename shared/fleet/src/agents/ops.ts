// Tenant initech-ops: a deployment agent and an on-call agent.
import { ToolError } from '@praxis/core';
import type { AgentDef } from '../model.js';
import { rngFor } from '../random.js';
import { imageExists, rateLimit, requireEnum, requireExisting, S, type ToolDef } from '../tools.js';
import { enumSlot, handle, idSlot, isoDateTime, prefixedId, SERVICES, slot, version } from '../values.js';

const ENVIRONMENTS = ['staging', 'production'] as const;
const SEVERITIES = ['sev1', 'sev2', 'sev3'] as const;

const deployTools: ToolDef[] = [
  {
    name: 'get_service',
    description: 'Read a service from the catalogue',
    parameters: S.obj({ name: S.str() }),
    run(p) {
      const r = rngFor('service', p);
      return { service: { name: p.name, repo: `git@example.test:${String(p.name)}.git`, owner: `team-${r.alnum(3).toLowerCase()}`, currentVersion: version(r), previousVersion: version(r) } };
    },
  },
  {
    name: 'build_image',
    description: 'Build the container image of a service version',
    parameters: S.obj({ service: S.str(), version: S.str() }),
    run(p, world) {
      world.built.add(`${String(p.service)}@${String(p.version)}`);
      return { image: { id: `img-${rngFor('image', p).alnum(8).toLowerCase()}`, tag: `${String(p.service)}:${String(p.version)}` } };
    },
  },
  {
    name: 'deploy_service', errors: ['PREREQUISITE'],
    description: 'Deploy a built version of a service to an environment',
    parameters: S.obj({ service: S.str(), version: S.id('^v\\d+\\.\\d+\\.\\d+$'), environment: S.oneOf(ENVIRONMENTS) }),
    run(p, world) {
      requireEnum(p.environment, 'environment', ENVIRONMENTS);
      if (!imageExists(world, String(p.service), String(p.version))) {
        throw new ToolError(`No image for "${String(p.service)}" at "${String(p.version)}": run build_image first`, 'PreconditionFailed');
      }
      return { deployment: { id: prefixedId('DP', 6)(rngFor('deploy', p)), status: 'rolled_out' } };
    },
  },
  {
    name: 'run_smoke_tests',
    description: 'Run the smoke tests of a deployment',
    parameters: S.obj({ deploymentId: S.str() }),
    run: (p) => ({ result: { passed: rngFor('smoke', p).int(20, 40), failed: 0 } }),
  },
  { name: 'post_message', description: 'Post to a chat channel', parameters: S.obj({ channel: S.str(), text: S.str() }), run: (p) => ({ ts: `${rngFor('ts', p).digits(10)}.000100` }) },
  {
    name: 'rollback_service',
    description: 'Roll a service back to a version',
    parameters: S.obj({ service: S.str(), environment: S.oneOf(ENVIRONMENTS), toVersion: S.str() }),
    run(p) {
      requireEnum(p.environment, 'environment', ENVIRONMENTS);
      return { deployment: { id: prefixedId('DP', 6)(rngFor('rollback', p)), status: 'rolled_back' } };
    },
  },
  {
    name: 'get_metrics', errors: ['RATE_LIMIT'],
    description: 'Current load metrics of a service',
    parameters: S.obj({ service: S.str(), window: S.str() }),
    run(p, world) {
      rateLimit(world, 'get_metrics', p);
      const r = rngFor('metrics', p);
      return { metrics: { cpu: r.int(10, 99), p99Ms: r.int(40, 900), rps: r.int(10, 5000) } };
    },
  },
  {
    name: 'scale_service',
    description: 'Set the replica count of a service',
    parameters: S.obj({ service: S.str(), replicas: S.int() }),
    run: (p) => ({ scaling: { id: prefixedId('SC', 6)(rngFor('scale', p)), replicas: p.replicas } }),
  },
  { name: 'list_services', description: 'List services', exploration: true, parameters: S.obj({}), run: () => ({ services: SERVICES.length }) },
  { name: 'get_oncall', description: 'Who is on call', exploration: true, parameters: S.obj({}), run: () => ({ oncall: 'rotation-a' }) },
];

const deployText = (verb: string) => (r: ReturnType<typeof rngFor>, v: Record<string, unknown>) => `${verb} ${String(v.service)} in ${String(v.environment ?? 'production')} (${r.alnum(4)})`;

/** The deployment agent: deploys, rollbacks and scaling. */
export const deployBot: AgentDef = {
  tenantId: 'initech-ops',
  agentId: 'deploy-bot',
  description: 'Ships and scales services',
  model: 'gpt-4o',
  sendsTaskIds: false,
  tools: deployTools,
  context: [],
  workflows: [
    {
      id: 'ops.deploy',
      description: 'Deploy a version, smoke-test it, announce it',
      queries: ['Deploy {service} {version} to {environment}', 'Ship {version} of {service} to {environment} please', 'Roll out {service} version {version} on {environment}'],
      slots: [slot('service', S.str(), (r) => r.pick(SERVICES)), slot('version', S.id('^v\\d+\\.\\d+\\.\\d+$'), version), enumSlot('environment', ENVIRONMENTS)],
      steps: [
        { tool: 'get_service', params: { name: { kind: 'query', slot: 'service' } } },
        { tool: 'deploy_service', params: { service: { kind: 'query', slot: 'service' }, version: { kind: 'query', slot: 'version' }, environment: { kind: 'query', slot: 'environment' } } },
        { tool: 'run_smoke_tests', params: { deploymentId: { kind: 'step', step: 1, path: 'deployment.id' } } },
        { tool: 'post_message', params: { channel: { kind: 'constant', value: '#deploys' }, text: { kind: 'generated', slot: 'text', make: deployText('Deployed') } } },
      ],
    },
    {
      id: 'ops.rollback',
      description: 'Roll a service back to its previous version and announce it',
      queries: ['Roll back {service} in {environment}', '{service} is broken on {environment}, revert to the previous version', 'Revert {service} on {environment}'],
      slots: [slot('service', S.str(), (r) => r.pick(SERVICES)), enumSlot('environment', ENVIRONMENTS)],
      steps: [
        { tool: 'get_service', params: { name: { kind: 'query', slot: 'service' } } },
        { tool: 'rollback_service', params: { service: { kind: 'query', slot: 'service' }, environment: { kind: 'query', slot: 'environment' }, toVersion: { kind: 'step', step: 0, path: 'service.previousVersion' } } },
        { tool: 'post_message', params: { channel: { kind: 'constant', value: '#deploys' }, text: { kind: 'generated', slot: 'text', make: deployText('Rolled back') } } },
      ],
    },
    {
      id: 'ops.scale',
      description: 'Look at the load of a service and scale it',
      queries: ['Scale {service} to {replicas} replicas', '{service} needs {replicas} instances, check its load and scale it', 'Set {service} to {replicas} pods'],
      slots: [slot('service', S.str(), (r) => r.pick(SERVICES)), slot('replicas', S.int(), (r) => r.int(11, 60))],
      steps: [
        { tool: 'get_metrics', params: { service: { kind: 'query', slot: 'service' }, window: { kind: 'constant', value: '15m' } } },
        { tool: 'scale_service', params: { service: { kind: 'query', slot: 'service' }, replicas: { kind: 'query', slot: 'replicas' } } },
        { tool: 'post_message', params: { channel: { kind: 'constant', value: '#capacity' }, text: { kind: 'generated', slot: 'text', make: deployText('Scaled') } } },
      ],
    },
  ],
};

const oncallTools: ToolDef[] = [
  {
    name: 'get_alert',
    description: 'Read an alert',
    parameters: S.obj({ alertId: S.str() }),
    run(p) {
      requireExisting(p.alertId, 'alert');
      const r = rngFor('alert', p);
      return { alert: { id: p.alertId, service: r.pick(SERVICES), severity: r.pick(SEVERITIES), startedAt: isoDateTime(r) } };
    },
  },
  {
    name: 'query_metrics', errors: ['RATE_LIMIT'],
    description: 'Error rate and latency of a service over a window',
    parameters: S.obj({ service: S.str(), window: S.str() }),
    run(p, world) {
      rateLimit(world, 'query_metrics', p);
      const r = rngFor('series', p);
      return { series: { p99Ms: r.int(100, 5000), errorRate: r.int(1, 50) / 100 } };
    },
  },
  {
    name: 'create_incident',
    description: 'Open an incident',
    parameters: S.obj({ title: S.str(), severity: S.oneOf(SEVERITIES), service: S.str() }),
    run: (p) => ({ incident: { id: prefixedId('INC', 5)(rngFor('incident', p)), state: 'open' } }),
  },
  { name: 'page_oncall', description: 'Page the on-call engineer', parameters: S.obj({ incidentId: S.str(), team: S.str() }), run: (p) => ({ page: { id: prefixedId('PG', 6)(rngFor('page', p)) } }) },
  { name: 'get_runbook', description: 'The runbook of a service', parameters: S.obj({ service: S.str() }), run: (p) => ({ runbook: { url: `https://runbooks.example.test/${String(p.service)}`, steps: 4 } }) },
  { name: 'restart_service', description: 'Restart a service', parameters: S.obj({ service: S.str(), environment: S.str() }), run: (p) => ({ restart: { id: prefixedId('RST', 5)(rngFor('restart', p)) } }) },
  { name: 'resolve_alert', description: 'Resolve an alert with a note', parameters: S.obj({ alertId: S.str(), note: S.str() }), run: (p) => ({ alert: { id: p.alertId, status: 'resolved' } }) },
  { name: 'ack_alert', description: 'Acknowledge an alert', parameters: S.obj({ alertId: S.str(), user: S.str() }), run: (p) => ({ ack: { alertId: p.alertId, by: p.user } }) },
  {
    name: 'query_logs',
    description: 'Log lines of a service since a time',
    parameters: S.obj({ service: S.str(), since: S.dateTime(), limit: S.int() }),
    run: (p) => ({ logs: { lines: rngFor('logs', p).int(0, Number(p.limit)) } }),
  },
  { name: 'list_alerts', description: 'Open alerts', exploration: true, parameters: S.obj({}), run: () => ({ open: 3 }) },
  { name: 'get_dashboard', description: 'The main dashboard', exploration: true, parameters: S.obj({}), run: () => ({ panels: 12 }) },
];

const note = (r: ReturnType<typeof rngFor>) => `${r.pick(['restarted, error rate back to normal', 'recovered after restart', 'fixed by restart, watching'])} (${r.alnum(4)})`;

/** The on-call agent: triage, restarts and acknowledgements. */
export const oncallBot: AgentDef = {
  tenantId: 'initech-ops',
  agentId: 'oncall-bot',
  description: 'Handles production alerts',
  model: 'gpt-4o',
  sendsTaskIds: true,
  tools: oncallTools,
  context: [slot('user', S.str(), handle)],
  workflows: [
    {
      id: 'oncall.triage',
      description: 'Read an alert, look at metrics, open an incident, page the team',
      queries: ['Triage alert {alertId}', 'Alert {alertId} just fired, open an incident and page SRE', 'Please handle {alertId} and page whoever is on call'],
      slots: [idSlot('alertId', 'AL', 5)],
      steps: [
        { tool: 'get_alert', params: { alertId: { kind: 'query', slot: 'alertId' } } },
        { tool: 'query_metrics', params: { service: { kind: 'step', step: 0, path: 'alert.service' }, window: { kind: 'constant', value: '30m' } } },
        { tool: 'create_incident', params: { title: { kind: 'generated', slot: 'title', make: (r) => `Alert storm ${r.alnum(6)}` }, severity: { kind: 'step', step: 0, path: 'alert.severity' }, service: { kind: 'step', step: 0, path: 'alert.service' } } },
        { tool: 'page_oncall', params: { incidentId: { kind: 'step', step: 2, path: 'incident.id' }, team: { kind: 'constant', value: 'sre' } } },
      ],
      failVia: 'alertId',
    },
    {
      id: 'oncall.restart',
      description: 'Restart the service behind an alert and resolve it',
      queries: ['Restart whatever is behind {alertId} and resolve it', 'Fix {alertId} with a restart', 'Alert {alertId}: follow the runbook, restart, resolve'],
      slots: [idSlot('alertId', 'AL', 5)],
      steps: [
        { tool: 'get_alert', params: { alertId: { kind: 'query', slot: 'alertId' } } },
        { tool: 'get_runbook', params: { service: { kind: 'step', step: 0, path: 'alert.service' } } },
        { tool: 'restart_service', params: { service: { kind: 'step', step: 0, path: 'alert.service' }, environment: { kind: 'constant', value: 'production' } } },
        { tool: 'resolve_alert', params: { alertId: { kind: 'query', slot: 'alertId' }, note: { kind: 'generated', slot: 'note', make: note } } },
      ],
      failVia: 'alertId',
    },
    {
      id: 'oncall.ack',
      description: 'Acknowledge an alert and pull the logs since it started',
      queries: ['Ack {alertId} and show me the logs', 'I am on {alertId}, get me the logs since it started', 'Acknowledge alert {alertId}, then fetch logs'],
      slots: [idSlot('alertId', 'AL', 5)],
      steps: [
        { tool: 'get_alert', params: { alertId: { kind: 'query', slot: 'alertId' } } },
        { tool: 'ack_alert', params: { alertId: { kind: 'query', slot: 'alertId' }, user: { kind: 'context', slot: 'user' } } },
        { tool: 'query_logs', params: { service: { kind: 'step', step: 0, path: 'alert.service' }, since: { kind: 'step', step: 0, path: 'alert.startedAt' }, limit: { kind: 'constant', value: 100 } } },
      ],
      failVia: 'alertId',
    },
  ],
};


