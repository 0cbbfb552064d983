import { parseArgs } from 'node:util';
import { ensureTopics, kafkaEnvShape } from '@praxis/kafka';
import { praxisTopics } from '@praxis/schemas';
import type { Command } from '../command.js';
import { kafkaFromEnv, KAFKA_SECURITY_USAGE } from './kafka-env.js';

const env = { KAFKA_BROKERS: kafkaEnvShape.KAFKA_BROKERS, PRAXIS_TOPIC_PREFIX: kafkaEnvShape.PRAXIS_TOPIC_PREFIX };

export const topicsCommand: Command = {
  summary: 'create the Praxis topics and their DLQs, or bring their settings up to date (idempotent)',
  usage: `praxis topics [--partitions N] [--json]\n  env: KAFKA_BROKERS (127.0.0.1:9092), PRAXIS_TOPIC_PREFIX (""), ${KAFKA_SECURITY_USAGE}`,
  async run(args, io) {
    const { values } = parseArgs({ args, options: { partitions: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
    const partitions = values.partitions === undefined ? undefined : Number(values.partitions);
    if (partitions !== undefined && (!Number.isInteger(partitions) || partitions < 1)) {
      io.err(`praxis topics: --partitions must be a positive integer (got ${values.partitions})`);
      return 2;
    }
    const { config, kafka } = kafkaFromEnv('praxis-cli', io, env);
    const admin = kafka.admin();
    try {
      await admin.connect();
    } catch (error) {
      io.err(`praxis topics: cannot reach Kafka at ${config.KAFKA_BROKERS.join(',')}: ${(error as Error).message}\n  start it with: infra/praxis-infra up kafka`);
      return 1;
    }
    try {
      const reports = await ensureTopics(admin, Object.values(praxisTopics(config.PRAXIS_TOPIC_PREFIX)), { partitions });
      if (values.json) io.out(JSON.stringify(reports, null, 2));
      else for (const r of reports) io.out(`${r.action.padEnd(15)} ${r.topic} (${r.partitions} partitions)${r.warning ? `  warning: ${r.warning}` : ''}`);
      return 0;
    } finally {
      await admin.disconnect();
    }
  },
};
