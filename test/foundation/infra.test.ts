// infra/ scripts: idempotent start, health, and a schema registry that keeps its schemas
// across its own restart (they live in Kafka, not in the registry's memory). The registry
// is one of the test's own, with its journal in topics of its own on the stack's broker.
import { AvroSerde } from '@praxis/kafka';
import { praxisTopics } from '@praxis/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { runInfra } from '../setup/infra.js';
import { DedicatedRegistry } from '../support/dedicated-registry.js';
import { stack, uniquePrefix } from '../support/stack.js';

describe('infra scripts', () => {
  let own: DedicatedRegistry | undefined;
  afterAll(async () => {
    await own?.destroy();
  });

  it('start is idempotent and status reports what answers', async () => {
    if (stack().mode === 'infra') {
      await runInfra(['start', 'kafka', 'clickhouse']); // already running: returns quickly, changes nothing
      const status = await runInfra(['status']);
      expect(status).toMatch(/^kafka\s+up/m);
      expect(status).toMatch(/^registry\s+up/m);
      expect(status).toMatch(/^clickhouse\s+up/m);
      await expect(runInfra(['health'])).resolves.toBe('');
    }
    await expect(runInfra(['start', 'zookeeper'])).rejects.toThrow(/unknown server 'zookeeper'/);
  });

  it('refuses to bind anything but loopback', async () => {
    await expect(runInfra(['status'], { PRAXIS_BIND_HOST: '0.0.0.0' })).rejects.toThrow(/not a loopback address/);
  });

  it('keeps registered schemas across a registry restart', async () => {
    const prefix = uniquePrefix('durable');
    own = await DedicatedRegistry.start(stack().kafkaBrokers[0]!, prefix);
    const spec = praxisTopics(prefix).steps;
    const id = await AvroSerde.forUrl(own.url).register(spec);
    await own.stop();
    await own.startAgain();
    const versions = (await (await fetch(`${own.url}/subjects/${spec.name}-value/versions`)).json()) as number[];
    expect(versions).toEqual([1]);
    expect(await AvroSerde.forUrl(own.url).register(spec)).toBe(id);
  }, 240_000);
});
