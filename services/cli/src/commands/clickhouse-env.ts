import { clickHouseEnvShape, openClickHouseFrom } from '@praxis/analytics';
import { clickHouseErrorCode, type ClickHouse } from '@praxis/clickhouse';
import { ConfigError, parseConfig } from '@praxis/kafka';
import { z } from 'zod';
import { UsageError, type CommandIO } from '../command.js';

/** Usage lines for the ClickHouse variables the analytics commands read. */
export const CLICKHOUSE_ENV_USAGE = '  env: CLICKHOUSE_URL (http://127.0.0.1:8123, or chdb:<dir>), CLICKHOUSE_DATABASE (praxis), CLICKHOUSE_USER, CLICKHOUSE_PASSWORD';

/** Opens the database the environment names; prints the problem and returns null when it cannot. */
export async function clickHouseFromEnv(command: string, io: CommandIO, extra: z.ZodRawShape = {}, options: { requireDatabase?: boolean } = {}): Promise<{ ch: ClickHouse; env: Record<string, unknown> } | null> {
  let env: Record<string, unknown>;
  try {
    env = parseConfig(z.object({ ...clickHouseEnvShape, ...extra }), io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const ch = await openClickHouseFrom(env as z.output<z.ZodObject<typeof clickHouseEnvShape>>);
  if (!(await ch.ping().catch(() => false))) {
    io.err(`praxis ${command}: cannot reach ClickHouse at ${env.CLICKHOUSE_URL as string}\n  start it with: infra/praxis-infra up clickhouse`);
    await ch.close();
    return null;
  }
  if (options.requireDatabase) {
    const missing = await ch.query('SELECT 1 AS ok').then(
      () => false,
      (error: unknown) => clickHouseErrorCode(error) === UNKNOWN_DATABASE,
    );
    if (missing) {
      io.err(`praxis ${command}: database ${ch.database} does not exist at ${env.CLICKHOUSE_URL as string}; create it with: praxis migrate`);
      await ch.close();
      return null;
    }
  }
  return { ch, env };
}

const UNKNOWN_DATABASE = 81;
