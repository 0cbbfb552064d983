// The agent's side of the router's HTTP API. lookup() never fails an agent: when the router
// is down, slow or overloaded it answers `plan` itself (fallback: true). Other calls throw
// RouterRequestError with the router's reason.
import { randomUUID } from 'node:crypto';
import type {
  FeedbackRequest,
  FeedbackResponse,
  LookupRequest,
  LookupResponse,
  TemplateList,
  TemplateView,
  TenantStats,
  VersionHistory,
  WorkflowDefinitionInput,
} from '@praxis/contracts';
import { LookupResponseSchema, planAnswer } from '@praxis/contracts';

export interface RouterClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Per request; a lookup that takes longer falls back to plan. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The router refused a request (4xx) or failed it (5xx, network) outside lookup. */
export class RouterRequestError extends Error {
  override name = 'RouterRequestError';
  constructor(readonly status: number, readonly code: string, message: string, readonly issues?: { path: string; message: string }[]) {
    super(message);
  }
}

/** The answer the client gives itself when the router cannot answer. */
export function fallbackPlan(reason: string, latencyMs: number): LookupResponse {
  return { lookupId: `local_${randomUUID()}`, ...planAnswer(`router unavailable (${reason}); planning from scratch`), latencyMs, fallback: true };
}

export class RouterClient {
  private readonly fetch: typeof fetch;
  private base: string;

  constructor(private readonly options: RouterClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  /** The router this client talks to now: the configured one, or the shard a 421 sent it to. */
  get baseUrl(): string {
    return this.base;
  }

  private async call(method: string, path: string, body?: unknown, timeoutMs = this.options.timeoutMs ?? 2_000): Promise<{ status: number; json: unknown }> {
    const first = await this.send(method, path, body, timeoutMs);
    // a router shard of another tenant's (docs/router.md, "Shards by tenant"): go to the one it
    // names, once, and stay there (an API key belongs to one tenant, so to one shard)
    const owner = first.status === 421 ? first.shardUrl : undefined;
    if (!owner || owner === this.base) return first;
    this.base = owner;
    return this.send(method, path, body, timeoutMs);
  }

  private async send(method: string, path: string, body: unknown, timeoutMs: number): Promise<{ status: number; json: unknown; shardUrl?: string }> {
    const response = await this.fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.options.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { error: 'invalid_response', message: text.slice(0, 200) };
    }
    const shardUrl = response.headers.get('x-praxis-shard-url');
    return { status: response.status, json, ...(shardUrl && /^https?:\/\//.test(shardUrl) ? { shardUrl: shardUrl.replace(/\/+$/, '') } : {}) };
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let result: { status: number; json: unknown };
    try {
      result = await this.call(method, path, body);
    } catch (error) {
      throw new RouterRequestError(0, 'unreachable', `router unreachable: ${(error as Error).message}`);
    }
    if (result.status >= 400) {
      const e = (result.json ?? {}) as { error?: string; message?: string; issues?: { path: string; message: string }[] };
      throw new RouterRequestError(result.status, e.error ?? 'error', e.message ?? `HTTP ${result.status}`, e.issues);
    }
    return result.json as T;
  }

  /**
   * Asks the router. Falls back to `plan` (fallback: true) when it is unreachable, times
   * out, answers 429 or 5xx, or answers something unreadable. A 4xx for bad input or a bad
   * key throws: that is the caller's bug, and planning would hide it.
   */
  async lookup(request: LookupRequest): Promise<LookupResponse> {
    const started = performance.now();
    let result: { status: number; json: unknown };
    try {
      result = await this.call('POST', '/v1/lookup', request);
    } catch (error) {
      const e = error as Error;
      return fallbackPlan(e.name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs ?? 2_000} ms` : e.message, performance.now() - started);
    }
    if (result.status === 429 || result.status >= 500) return fallbackPlan(`HTTP ${result.status}: ${(result.json as { message?: string } | null)?.message ?? ''}`, performance.now() - started);
    if (result.status >= 400) {
      const e = (result.json ?? {}) as { error?: string; message?: string; issues?: { path: string; message: string }[] };
      throw new RouterRequestError(result.status, e.error ?? 'error', e.message ?? `HTTP ${result.status}`, e.issues);
    }
    const parsed = LookupResponseSchema.safeParse(result.json);
    return parsed.success ? parsed.data : fallbackPlan('unreadable answer', performance.now() - started);
  }

  /** POST /v1/feedback. */
  reportOutcome(body: FeedbackRequest): Promise<FeedbackResponse> {
    return this.request('POST', '/v1/feedback', body);
  }

  createWorkflow(definition: WorkflowDefinitionInput): Promise<TemplateView & { warnings: string[] }> {
    return this.request('POST', '/v1/workflows', definition);
  }

  replaceWorkflow(id: string, definition: WorkflowDefinitionInput): Promise<TemplateView & { warnings: string[] }> {
    return this.request('PUT', `/v1/workflows/${encodeURIComponent(id)}`, definition);
  }

  getWorkflow(id: string): Promise<TemplateView> {
    return this.request('GET', `/v1/workflows/${encodeURIComponent(id)}`);
  }

  listWorkflows(query: { limit?: number; cursor?: string } = {}): Promise<TemplateList> {
    return this.request('GET', `/v1/workflows${queryString(query)}`);
  }

  deleteWorkflow(id: string): Promise<{ workflowId: string; deleted: true }> {
    return this.request('DELETE', `/v1/workflows/${encodeURIComponent(id)}`);
  }

  getTemplate(id: string): Promise<TemplateView> {
    return this.request('GET', `/v1/templates/${encodeURIComponent(id)}`);
  }

  listTemplates(query: { limit?: number; cursor?: string; status?: string; agentId?: string } = {}): Promise<TemplateList> {
    return this.request('GET', `/v1/templates${queryString(query)}`);
  }

  unlearnTemplate(id: string, reason?: string): Promise<{ templateId: string; unlearned: true; feedbackId: string }> {
    return this.request('DELETE', `/v1/templates/${encodeURIComponent(id)}${queryString({ reason })}`);
  }

  templateVersions(id: string): Promise<VersionHistory> {
    return this.request('GET', `/v1/templates/${encodeURIComponent(id)}/versions`);
  }

  stats(): Promise<TenantStats> {
    return this.request('GET', '/v1/stats');
  }
}

function queryString(query: Record<string, string | number | undefined>): string {
  const entries = Object.entries(query).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
}
