import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.js';

/** `praxis api-key <tenant>`: a new router key and the hash the router's config holds. */
export const apiKeyCommand: Command = {
  summary: 'make a router API key for a tenant: the key (for the agent) and its ROUTER_API_KEYS entry (sha-256)',
  usage: 'praxis api-key <tenant> [--key <an existing key to hash>] [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { key: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
    const tenant = positionals[0];
    if (!tenant || positionals.length > 1) throw new UsageError('name exactly one tenant');
    if (!/^[^/\s:,]{1,200}$/.test(tenant)) throw new UsageError(`tenant "${tenant}" may not contain "/", ":", "," or whitespace`);
    const key = values.key ?? `pk_${randomBytes(24).toString('base64url')}`;
    const hash = createHash('sha256').update(key, 'utf8').digest('hex');
    if (values.json) io.out(JSON.stringify({ tenant, key, sha256: hash, entry: `${tenant}:${hash}` }));
    else {
      io.out(`key (give it to the tenant's agents; it is not stored anywhere): ${key}`);
      io.out(`ROUTER_API_KEYS entry (compact form, comma-separate several): ${tenant}:${hash}`);
    }
    return 0;
  },
};
