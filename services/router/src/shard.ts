// Router shards by tenant (docs/router.md, "Shards by tenant"). Instance i of N indexes only
// the tenants whose shard is i, and answers only their requests: a request of another shard's
// tenant gets 421 with the owner's shard (and its URL when the deployment lists them), so a
// client or a load balancer can go there. The shard of a tenant is the Kafka partition murmur2
// picks for the tenant id among N partitions (the Java client's partitioner), so any tool that
// can compute a Kafka partition can route.
import { partitionOf } from '@praxis/kafka';
import { HttpError } from './http/errors.js';

export interface ShardSpec {
  /** This instance's shard, 0 <= index < count. */
  index: number;
  count: number;
  /** Base URL of every shard's router (index = shard), when the deployment lists them. */
  urls?: string[];
}

/** The whole catalog: one router serves every tenant. */
export const ALL_TENANTS: ShardSpec = { index: 0, count: 1 };

/** Which of `count` shards serves this tenant. */
export function shardOf(tenantId: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer, got ${count}`);
  return count === 1 ? 0 : partitionOf(tenantId, count);
}

/** Reads "i/N" (ROUTER_SHARD); throws with the reason when it is not a shard of N. */
export function parseShard(text: string, urls?: string[]): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new Error(`ROUTER_SHARD must read "<index>/<count>", e.g. "0/3"; got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new Error(`ROUTER_SHARD "${text}": the count must be at least 1`);
  if (index >= count) throw new Error(`ROUTER_SHARD "${text}": the index must be below the count (0 .. ${count - 1})`);
  if (urls && urls.length !== count) throw new Error(`ROUTER_SHARD_URLS lists ${urls.length} URL(s) for ${count} shard(s); list one per shard, in shard order`);
  return { index, count, ...(urls ? { urls } : {}) };
}

export class Shard {
  constructor(readonly spec: ShardSpec = ALL_TENANTS) {}

  /** Whether this instance indexes and answers the tenant. */
  owns(tenantId: string): boolean {
    return this.spec.count === 1 || shardOf(tenantId, this.spec.count) === this.spec.index;
  }

  /** 421 naming the owner when the tenant is another shard's; null when it is this one's. */
  misdirected(tenantId: string): HttpError | null {
    if (this.owns(tenantId)) return null;
    const owner = shardOf(tenantId, this.spec.count);
    const url = this.spec.urls?.[owner];
    const headers: Record<string, string> = { 'x-praxis-shard': String(owner) };
    if (url) headers['x-praxis-shard-url'] = url;
    return new HttpError(421, 'misdirected', `tenant ${tenantId} is served by router shard ${owner} of ${this.spec.count}${url ? ` (${url})` : ''}; this is shard ${this.spec.index}`, undefined, headers);
  }
}
