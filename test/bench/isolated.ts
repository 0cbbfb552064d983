// Teardown of a deployment launched on topics and a database of its own (the launcher's
// isolatedEnv): the benchmarks that launch one remove it the same way.
import { openClickHouse, quoteIdentifier } from '@praxis/clickhouse';
import type { PraxisServices } from '@praxis/cli/launch';

/** Stops the services, deletes the topics under `prefix` and drops `database`; a failed drop goes to `onDropError` when given, else it throws. */
export async function removeIsolated(services: PraxisServices, clickhouseUrl: string, prefix: string, database: string, onDropError?: (error: unknown) => void): Promise<void> {
  await services.stop();
  const admin = services.kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  const ch = await openClickHouse({ url: clickhouseUrl, database: 'default' });
  const drop = ch.command(`DROP DATABASE IF EXISTS ${quoteIdentifier(database).text}`);
  await (onDropError ? drop.catch(onDropError) : drop);
  await ch.close();
}
