// One handle on a ClickHouse database, over HTTP (@clickhouse/client) or in-process (chDB
// plugged into the same client). Everything else in Praxis talks to ClickHouse through it.
import { Readable } from 'node:stream';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { bindParams, quoteIdentifier, type SqlParams } from './escape.js';
import { inWriteSpan } from './write-span.js';

/** Where and how to connect. */
export interface ClickHouseOptions {
  /** `http(s)://host:port`, or `chdb:<dir>` / `chdb::memory:` for the embedded engine. */
  url: string;
  database: string;
  username?: string;
  password?: string;
  /** Per request; keep it under the Kafka session timeout where a consumer waits on it. */
  requestTimeoutMs?: number;
}

/** A ClickHouse database, whichever engine serves it. */
export interface ClickHouse {
  readonly engine: 'http' | 'chdb';
  readonly database: string;
  /** The underlying @clickhouse/client, for what this handle does not cover. */
  readonly client: ClickHouseClient;
  /** Runs a SELECT and returns its rows; `{name:Type}` placeholders are bound by the escaping helper. */
  query<T = Record<string, unknown>>(query: string, params?: SqlParams): Promise<T[]>;
  /** Runs a statement that returns no rows (DDL, ALTER, INSERT ... SELECT). */
  command(query: string, params?: SqlParams): Promise<void>;
  /** Inserts rows given as JSON objects (JSONEachRow). */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /** Inserts a JSONEachRow body that is already serialised (one JSON object per line). */
  insertJsonLines(table: string, body: string): Promise<void>;
  /** Creates the database if it does not exist. */
  ensureDatabase(): Promise<void>;
  ping(): Promise<boolean>;
  serverVersion(): Promise<string>;
  close(): Promise<void>;
}

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

// Sent with every request. It exists on 18.16 and on current releases, so both engines
// return UInt64/Int64 as JSON numbers (18.16 quotes them by default, current ones do not).
const COMMON_SETTINGS = { output_format_json_quote_64bit_integers: 0 } as const;

/** True when a URL names the embedded engine. */
export const isEmbeddedUrl = (url: string) => url.startsWith('chdb:');

/** Opens a handle; for chDB the database is created and selected for the session at once. */
export async function openClickHouse(options: ClickHouseOptions): Promise<ClickHouse> {
  if (!DATABASE_NAME.test(options.database)) {
    throw new Error(`CLICKHOUSE database name ${JSON.stringify(options.database)} must be letters, digits and _ (not starting with a digit)`);
  }
  return isEmbeddedUrl(options.url) ? openEmbedded(options) : openHttp(options);
}

function openHttp(options: ClickHouseOptions): ClickHouse {
  const base = {
    url: options.url,
    username: options.username ?? 'default',
    password: options.password ?? '',
    request_timeout: options.requestTimeoutMs ?? 30_000,
    clickhouse_settings: COMMON_SETTINGS,
    // Failures reach the caller as errors and are logged there, with context.
    log: { level: ClickHouseLogLevel.OFF },
  };
  const client = createClient({ ...base, database: options.database });
  let root: ClickHouseClient | undefined;
  return handle('http', options.database, client, {
    ensureDatabase: async () => {
      // The HTTP `database` parameter must name an existing database, so create it through a client without one.
      root ??= createClient(base);
      await root.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(options.database).text}` });
    },
    close: async () => {
      await root?.close();
    },
  });
}

async function openEmbedded(options: ClickHouseOptions): Promise<ClickHouse> {
  // Loaded on demand: the engine is a large native library that HTTP users never need.
  const { createChdbConnection } = await import('chdb/connection').catch((error: unknown) => {
    throw new Error(`${options.url} needs the embedded engine, the optional chdb package (pnpm --filter @praxis/clickhouse add chdb): ${(error as Error).message}`);
  });
  const rest = options.url.slice('chdb:'.length);
  const path = rest === '' || rest === ':memory:' || rest === '//memory' ? ':memory:' : rest.replace(/^\/\//, '');
  // chdb types its connection against @clickhouse/client-common, which the client 1.23.1 bundles
  // as its own copy: structurally the same contract, nominally two types.
  const connection = createChdbConnection({ path }) as unknown as ClientConnection;
  const client = createClient({ connection, clickhouse_settings: COMMON_SETTINGS, log: { level: ClickHouseLogLevel.OFF } });
  // chDB ignores the client's `database` option; a session remembers USE instead.
  const use = async () => {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(options.database).text}` });
    await client.command({ query: `USE ${quoteIdentifier(options.database).text}` });
  };
  await use();
  return handle('chdb', options.database, client, { ensureDatabase: use, close: async () => undefined });
}

function handle(
  engine: 'http' | 'chdb',
  database: string,
  client: ClickHouseClient,
  extra: { ensureDatabase: () => Promise<void>; close: () => Promise<void> },
): ClickHouse {
  return {
    engine,
    database,
    client,
    async query<T>(query: string, params?: SqlParams): Promise<T[]> {
      const rs = await client.query({ query: bindParams(query, params), format: 'JSONEachRow' });
      return rs.json<T>();
    },
    async command(query: string, params?: SqlParams): Promise<void> {
      await client.command({ query: bindParams(query, params) });
    },
    async insert(table: string, rows: readonly object[]): Promise<void> {
      if (rows.length === 0) return;
      await inWriteSpan(database, table, rows.length, undefined, () => client.insert({ table, values: rows as object[], format: 'JSONEachRow' }));
    },
    async insertJsonLines(table: string, body: string): Promise<void> {
      if (body.length === 0) return;
      // exec sends the body as is: the rows are serialised once, by the caller, who also
      // knows their size. insert() would want objects and serialise them again.
      await inWriteSpan(database, table, undefined, body.length, async () => {
        const result = await client.exec({
          query: `INSERT INTO ${quoteIdentifier(table).text} FORMAT JSONEachRow`,
          values: Readable.from([Buffer.from(body)], { objectMode: false }),
        });
        // Read the (empty) response to the end, so the socket returns to the pool.
        for await (const _ of result.stream) void _;
      });
    },
    ensureDatabase: extra.ensureDatabase,
    async ping(): Promise<boolean> {
      const result = await client.ping();
      return result.success;
    },
    async serverVersion(): Promise<string> {
      const rows = await (await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>();
      return rows[0]?.v ?? 'unknown';
    },
    async close(): Promise<void> {
      await extra.close();
      await client.close();
    },
  };
}
