// API keys per tenant, hashed at rest: the config holds sha-256 hashes, never keys. A key
// arrives as "authorization: Bearer <key>" or "x-api-key: <key>"; its hash names the tenant.
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** The sha-256 of a key, as hex: what ROUTER_API_KEYS holds. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const hash = z
  .string()
  .transform((s) => s.trim().toLowerCase().replace(/^sha256:/, ''))
  .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha-256 hash in hex (64 characters), optionally prefixed "sha256:"'));

/**
 * ROUTER_API_KEYS: JSON `{"tenant": ["<sha256 hex>", ...]}` (or one hash as a string per
 * tenant), or the compact `tenant:hash,tenant:hash`. One hash may not serve two tenants.
 */
export const apiKeysConfig = z
  .string()
  .transform((text, ctx) => {
    const trimmed = text.trim();
    let raw: Record<string, string | string[]>;
    if (trimmed.startsWith('{')) {
      try {
        raw = JSON.parse(trimmed) as Record<string, string | string[]>;
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `is not valid JSON (${(error as Error).message})` });
        return z.NEVER;
      }
    } else {
      raw = {};
      for (const pair of trimmed.split(',').map((p) => p.trim()).filter(Boolean)) {
        const at = pair.lastIndexOf(':');
        if (at <= 0) {
          ctx.addIssue({ code: 'custom', message: `"${pair.slice(0, 20)}..." is not tenant:hash` });
          return z.NEVER;
        }
        const tenant = pair.slice(0, at);
        raw[tenant] = [...[(raw[tenant] ?? [])].flat(), pair.slice(at + 1)];
      }
    }
    const byHash = new Map<string, string>();
    for (const [tenant, hashes] of Object.entries(raw)) {
      if (!/^[^/\s]{1,200}$/.test(tenant)) {
        ctx.addIssue({ code: 'custom', message: `tenant "${tenant}" is not a valid id` });
        return z.NEVER;
      }
      for (const h of [hashes].flat()) {
        const parsed = hash.safeParse(h);
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', message: `tenant ${tenant}: ${parsed.error.issues[0]?.message}` });
          return z.NEVER;
        }
        const other = byHash.get(parsed.data);
        if (other !== undefined && other !== tenant) {
          ctx.addIssue({ code: 'custom', message: `one key hash is given to two tenants (${other}, ${tenant})` });
          return z.NEVER;
        }
        byHash.set(parsed.data, tenant);
      }
    }
    return byHash;
  });

/** The key a request carries, if any. */
export function keyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  const value = Array.isArray(auth) ? auth[0] : auth;
  if (value) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(value);
    if (m) return m[1];
  }
  const x = headers['x-api-key'];
  const key = Array.isArray(x) ? x[0] : x;
  return key?.trim() || undefined;
}

/** Resolves keys to tenants. */
export class ApiKeys {
  constructor(private readonly byHash: Map<string, string>) {}

  /** The tenant a key belongs to, or undefined. */
  tenantOf(key: string | undefined): string | undefined {
    if (!key || key.length > 512) return undefined;
    return this.byHash.get(hashApiKey(key));
  }
}
