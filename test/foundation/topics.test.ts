// `praxis topics` creates every topic with DESIGN.md's cleanup policy, is idempotent, and
// repairs settings that drifted.
import { runCli } from '@praxis/cli';
import { DLQ_CONFIG, praxisTopics } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { eventually, stack, testKafka, uniquePrefix } from '../support/stack.js';

async function run(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('praxis topics', () => {
  const prefix = uniquePrefix('topics');
  const env = { KAFKA_BROKERS: stack().kafkaBrokers.join(','), PRAXIS_TOPIC_PREFIX: prefix };
  const topics = praxisTopics(prefix);

  it('creates the four topics and their DLQs with the designed settings', async () => {
    const first = await run(['topics', '--json'], env);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const reports = JSON.parse(first.out) as { topic: string; action: string }[];
    expect(reports.map((r) => r.action)).toEqual(Array(8).fill('created'));

    const admin = testKafka().admin();
    await admin.connect();
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [topics.templates.name, topics.steps.name, topics.feedback.dlq].map((name) => ({ type: 2, name, configNames: ['cleanup.policy', 'retention.ms'] })),
    });
    const get = (topic: string, name: string) => configs.resources.find((r) => r.resourceName === topic)?.configEntries.find((e) => e.configName === name)?.configValue;
    expect(get(topics.templates.name, 'cleanup.policy')).toBe('compact');
    expect(get(topics.steps.name, 'cleanup.policy')).toBe('delete');
    expect(get(topics.steps.name, 'retention.ms')).toBe(String(7 * 86_400_000));
    expect(get(topics.feedback.dlq, 'retention.ms')).toBe(DLQ_CONFIG['retention.ms']);
    const meta = await admin.fetchTopicMetadata({ topics: [topics.steps.name, topics.templates.name] });
    const partitions = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
    expect(partitions).toEqual({ [topics.steps.name]: 6, [topics.templates.name]: 3 });
    await admin.disconnect();
  });

  it('changes nothing on a second run, and repairs a drifted setting', async () => {
    const again = await run(['topics', '--json'], env);
    expect((JSON.parse(again.out) as { action: string }[]).every((r) => r.action === 'unchanged')).toBe(true);

    const admin = testKafka().admin();
    await admin.connect();
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: topics.steps.name, configEntries: [{ name: 'cleanup.policy', value: 'delete' }, { name: 'retention.ms', value: '1000' }] }] });
    // The broker acknowledges the change before it applies it (KRaft: through the metadata log),
    // so a describe right after can still read the old setting: wait until the drift shows.
    const drifted = await eventually(async () => {
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topics.steps.name, configNames: ['retention.ms'] }] });
      return resources[0]?.configEntries.find((e) => e.configName === 'retention.ms')?.configValue === '1000';
    }, 20_000, 100);
    await admin.disconnect();
    expect(drifted).toBe(true);

    const repaired = JSON.parse((await run(['topics', '--json'], env)).out) as { topic: string; action: string }[];
    expect(repaired.find((r) => r.topic === topics.steps.name)?.action).toBe('config_updated');
    expect(repaired.filter((r) => r.action !== 'unchanged')).toHaveLength(1);
  });

  it('says what is wrong with a bad setting, naming the variable', async () => {
    const bad = await run(['topics'], { KAFKA_BROKERS: 'not-a-broker' });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/KAFKA_BROKERS: must be a comma-separated list of host:port \(got "not-a-broker"\)/);
    const unknown = await run(['topics', '--frobnicate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/frobnicate/);
  });
});
