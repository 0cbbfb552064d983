// The Avro serde against the real schema registry (Apicurio's Confluent API, or Confluent's
// own under Docker): registration, BACKWARD compatibility, schema evolution, round trips.
import { AvroSerde, IncompatibleSchemaError, InvalidRecordError } from '@praxis/kafka';
import { praxisTopics, valueSubject } from '@praxis/schemas';
import { makeAgentStep, makeFeedback, makeTemplate, makeTrajectory } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { stack, uniquePrefix } from '../support/stack.js';

describe('Avro serde through the schema registry', () => {
  const topics = praxisTopics(uniquePrefix('registry'));
  const serde = AvroSerde.forUrl(stack().registryUrl);

  it('round-trips every contract and re-registering gives the same id', async () => {
    const samples = [
      [topics.steps, makeAgentStep()],
      [topics.trajectories, makeTrajectory()],
      [topics.templates, makeTemplate()],
      [topics.feedback, makeFeedback()],
    ] as const;
    for (const [spec, sample] of samples) {
      const value = spec.validator.parse(sample);
      const id = await serde.register(spec);
      expect(await AvroSerde.forUrl(stack().registryUrl).register(spec)).toBe(id);
      const bytes = await serde.encode(spec, value);
      expect(bytes[0]).toBe(0);
      expect(bytes.readInt32BE(1)).toBe(id);
      // a fresh serde knows nothing: it fetches the writer schema by id
      expect(await AvroSerde.forUrl(stack().registryUrl).decode(spec, bytes)).toEqual(value);
    }
  });

  it('refuses an incompatible change and accepts a compatible one, reading old records as the new shape', async () => {
    const base = topics.steps;
    const spec = { name: `${base.name}.evolve`, avro: base.avro };
    await serde.register(spec);
    const old = await serde.encode(spec, base.validator.parse(makeAgentStep()));

    const fields = base.avro.fields as Record<string, unknown>[];
    const incompatible = { ...base.avro, fields: [...fields, { name: 'mandatoryNew', type: 'string' }] };
    await expect(AvroSerde.forUrl(stack().registryUrl).register({ name: spec.name, avro: incompatible })).rejects.toBeInstanceOf(IncompatibleSchemaError);

    const compatible = { ...base.avro, fields: [...fields, { name: 'region', type: 'string', default: 'eu' }] };
    const evolved = AvroSerde.forUrl(stack().registryUrl);
    const newId = await evolved.register({ name: spec.name, avro: compatible });
    expect(newId).not.toBe(old.readInt32BE(1));
    const read = (await evolved.decode({ name: spec.name, avro: compatible }, old)) as Record<string, unknown>;
    expect(read.region).toBe('eu');
    expect(read.toolName).toBe('lookup_order');
  });

  it('tells bad bytes and unknown schema ids apart from an unreachable registry', async () => {
    await expect(serde.decode(topics.steps, Buffer.from('{"not":"avro"}'))).rejects.toBeInstanceOf(InvalidRecordError);
    const unknownId = Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 2, 4]);
    await expect(serde.decode(topics.steps, unknownId)).rejects.toThrow(/avro_decode: schema id \d+ is unknown/);
    const down = AvroSerde.forUrl('http://127.0.0.1:1/apis/ccompat/v7');
    await expect(down.decode(topics.steps, Buffer.from([0, 0, 0, 0, 1, 2]))).rejects.toMatchObject({ name: 'RegistryUnavailableError' });
  });

  it('registers under a subject whose first writer stopped before setting its rule, and sets BACKWARD', async () => {
    // what a writer killed between the client's two requests (register the first version, set the rule) leaves
    const spec = { name: `${topics.feedback.name}.ruleless`, avro: topics.feedback.avro };
    const subject = valueSubject(spec.name);
    const url = stack().registryUrl.replace(/\/+$/, '');
    const json = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
    const first = await fetch(`${url}/subjects/${encodeURIComponent(subject)}/versions`, { method: 'POST', headers: json, body: JSON.stringify({ schema: JSON.stringify(spec.avro) }) });
    expect(first.status).toBe(200);
    const ruleOf = async () => ((await (await fetch(`${url}/config/${encodeURIComponent(subject)}`)).json()) as { compatibilityLevel: string }).compatibilityLevel;
    expect(await ruleOf()).toBe('NONE');

    const id = await AvroSerde.forUrl(stack().registryUrl).register(spec);
    expect(id).toBe(((await first.json()) as { id: number }).id);
    expect(await ruleOf()).toBe('BACKWARD');
  });
});
