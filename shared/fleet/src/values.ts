// Value generators shared by the agents: ids, dates, emails, names. Each takes the Rng so
// every value is reproducible from the seed.
import type { Rng } from './random.js';
import type { SlotDef } from './model.js';
import { S, type JsonSchema } from './tools.js';


const FIRST = ['ana', 'ben', 'chloe', 'dev', 'eva', 'farid', 'greta', 'hugo', 'ines', 'jon', 'kemal', 'lena', 'marco', 'nadia', 'omar', 'petra', 'quinn', 'rosa', 'sami', 'tara'];
const LAST = ['silva', 'meyer', 'okafor', 'rossi', 'tanaka', 'novak', 'dubois', 'larsen', 'garcia', 'kowalski', 'haddad', 'moreau'];
const DOMAINS = ['example.com', 'example.org', 'mail.test', 'corp.test'];

/** An email address. */
export const email = (rng: Rng) => `${rng.pick(FIRST)}.${rng.pick(LAST)}${rng.int(1, 99)}@${rng.pick(DOMAINS)}`;

/** A user handle (never an email). */
export const handle = (rng: Rng) => `${rng.pick(FIRST)}_${rng.pick(LAST)}`;

/** An ISO date between 2026-01-15 and 2026-12-20. */
export const isoDate = (rng: Rng) => {
  const d = new Date(Date.UTC(2026, 0, 15) + rng.int(0, 339) * 86_400_000);
  return d.toISOString().slice(0, 10);
};

/** The same date as the US format a careless agent writes (MM/DD/YYYY). */
export const usDate = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;

/** An ISO timestamp in 2026. */
export const isoDateTime = (rng: Rng) => new Date(Date.UTC(2026, 0, 15) + rng.int(0, 339 * 86_400) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** An id "<PREFIX>-<n digits>", never starting with 0 (0 means missing: see requireExisting). */
export const prefixedId = (prefix: string, n: number) => (rng: Rng) => `${prefix}-${rng.digits(n)}`;

/** The same id shape starting with 0: tools answer NotFound. */
export const missingId = (prefix: string, n: number) => (rng: Rng) => `${prefix}-0${rng.digits(n - 1, true)}`;

/** The JSON Schema pattern of prefixedId. */
export const idPattern = (prefix: string, n: number) => `^${prefix}-\\d{${n}}$`;

/** A slot holding an id of the given shape. */
export function idSlot(name: string, prefix: string, n: number): SlotDef {
  return { name, expected: S.id(idPattern(prefix, n)), gen: prefixedId(prefix, n), missing: missingId(prefix, n) };
}

/** A slot holding one of a few values. */
export function enumSlot(name: string, values: readonly string[]): SlotDef {
  return { name, expected: S.oneOf(values), gen: (rng) => rng.pick(values) };
}

/** A slot with a fixed schema and generator. */
export function slot(name: string, expected: JsonSchema, gen: SlotDef['gen']): SlotDef {
  return { name, expected, gen };
}

export const CITIES = ['Lisbon', 'Paris', 'Tokyo', 'Berlin', 'Nairobi', 'Toronto', 'Oslo', 'Seoul', 'Lima', 'Cairo', 'Madrid', 'Dublin'];
export const AIRPORTS = ['LIS', 'CDG', 'HND', 'BER', 'NBO', 'YYZ', 'OSL', 'ICN', 'LIM', 'CAI', 'MAD', 'DUB'];
export const SERVICES = ['checkout', 'payments', 'search', 'catalog', 'accounts', 'inventory', 'gateway', 'notifier', 'ledger', 'pricing'];

/** A semantic version "v<major>.<minor>.<patch>". */
export const version = (rng: Rng) => `v${rng.int(1, 4)}.${rng.int(0, 19)}.${rng.int(0, 9)}`;

/** A short phrase for generated texts and exploration queries. */
export const phrase = (rng: Rng) =>
  `${rng.pick(['customer', 'user', 'client', 'buyer'])} ${rng.pick(['reports', 'mentions', 'asks about', 'complains about'])} ${rng.pick(['a late delivery', 'a double charge', 'a login problem', 'a broken link', 'missing items', 'a wrong address', 'slow pages', 'an error page'])} (${rng.alnum(4)})`;

/** Arguments that satisfy a tool's parameter schema, for calls outside any workflow. */
export function fromSchema(schema: JsonSchema, rng: Rng): unknown {
  if (Array.isArray(schema.enum)) return rng.pick(schema.enum as unknown[]);
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(([k, v]) => [k, fromSchema(v, rng)]));
    case 'integer':
      return rng.int(2, 60);
    case 'number':
      return rng.int(100, 99_999) / 100;
    case 'string':
      if (schema.format === 'date') return isoDate(rng);
      if (schema.format === 'date-time') return isoDateTime(rng);
      if (schema.format === 'email') return email(rng);
      if (typeof schema.pattern === 'string' && schema.pattern.startsWith('^v')) return version(rng);
      return `${rng.pick(['ref', 'item', 'note', 'case', 'ticket'])}-${rng.digits(5)}`;
    default:
      return null;
  }
}
