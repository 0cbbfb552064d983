import { avroSchemas, avroType, type AvroSchemaName } from '@praxis/schemas';
import { makeAgentStep, makeFeedback, makeTemplate, makeTrajectory } from '@praxis/schemas/factories';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { AvroBoundsError, boundsCheckerFor, DEFAULT_DECODE_LIMITS } from './avro-bounds.js';

/** Zigzag varint of a non-negative or negative integer (exact up to 2^53). */
function varint(n: number): Buffer {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  const out: number[] = [];
  while (z >= 128) {
    out.push((z % 128) | 0x80);
    z = Math.floor(z / 128);
  }
  out.push(z);
  return Buffer.from(out);
}

/** The fields of `value` before `field`, encoded, then `tail`: a body that lies from `field` on. */
function lieAt(name: AvroSchemaName, value: unknown, field: string, tail: Buffer): Buffer {
  const schema = avroSchemas[name] as { fields: { name: string }[] };
  const fields = schema.fields.slice(0, schema.fields.findIndex((f) => f.name === field));
  const prefix = avro.Type.forSchema({ ...(schema as object), fields } as avro.Schema, { wrapUnions: false });
  return Buffer.concat([prefix.toBuffer(value), tail]);
}

const refused = (check: (b: Uint8Array) => void, body: Uint8Array) => {
  try {
    check(body);
  } catch (error) {
    expect(error).toBeInstanceOf(AvroBoundsError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('Avro bounds check', () => {
  it('accepts every record the schemas write, and refuses them truncated', () => {
    const cases: [AvroSchemaName, unknown][] = [
      ['agentStep', { ...makeAgentStep(), attributes: { sdk: '1.0', env: 'prod' } }],
      ['trajectory', makeTrajectory()],
      ['template', makeTemplate()],
      ['feedback', makeFeedback()],
    ];
    for (const [name, value] of cases) {
      const type = avroType(name);
      const body = type.toBuffer(value);
      const check = boundsCheckerFor(type);
      expect(() => check(body)).not.toThrow();
      expect(refused(check, body.subarray(0, body.length - 1))).toMatch(/truncated|exceeds|out of/);
      expect(refused(check, Buffer.concat([body, Buffer.from([0])]))).toMatch(/trailing/);
    }
  });

  it('refuses a map block count of 1e9 or 2^50 at once, before anything is allocated', () => {
    const type = avroType('agentStep');
    const check = boundsCheckerFor(type);
    for (const count of [1e9, 2 ** 50]) {
      const body = lieAt('agentStep', makeAgentStep(), 'attributes', Buffer.concat([varint(count), Buffer.from('aaaa')]));
      expect(body.length).toBeLessThan(400);
      expect(refused(check, body)).toMatch(/map block count .* (exceeds the cap|needs at least)/);
    }
  });

  it('reads negative block counts (with their byte size) the way writers may write them', () => {
    const type = avro.Type.forSchema({ type: 'array', items: 'long' });
    const body = Buffer.concat([varint(-2), varint(2), varint(5), varint(7), varint(0)]);
    expect(type.fromBuffer(body)).toEqual([5, 7]);
    expect(() => boundsCheckerFor(type)(body)).not.toThrow();
    expect(refused(boundsCheckerFor(type), Buffer.concat([varint(-2), varint(1e6), varint(5)]))).toMatch(/block size/);
  });

  it('caps items that take no bytes, lengths and nesting', () => {
    const nulls = avro.Type.forSchema({ type: 'array', items: 'null' });
    const limits = { ...DEFAULT_DECODE_LIMITS, maxItems: 1_000 };
    expect(() => boundsCheckerFor(nulls, limits)(Buffer.concat([varint(1_000), varint(0)]))).not.toThrow();
    expect(refused(boundsCheckerFor(nulls, limits), Buffer.concat([varint(1_001), varint(0)]))).toMatch(/cap of 1000 items/);

    const text = avro.Type.forSchema('string');
    expect(refused(boundsCheckerFor(text), Buffer.concat([varint(2 ** 40), Buffer.from('abc')]))).toMatch(/exceeds the cap|bytes left/);
    expect(refused(boundsCheckerFor(text), Buffer.concat([varint(-3)]))).toMatch(/negative length/);

    const tree = avro.Type.forSchema({ type: 'record', name: 'Node', fields: [{ name: 'kids', type: { type: 'array', items: 'Node' } }] });
    const deep = Buffer.concat([...Array.from({ length: 20 }, () => varint(1)), varint(0), ...Array.from({ length: 20 }, () => varint(0))]);
    expect(() => boundsCheckerFor(tree)(deep)).not.toThrow();
    expect(refused(boundsCheckerFor(tree, { ...DEFAULT_DECODE_LIMITS, maxDepth: 20 }), deep)).toMatch(/nesting deeper than 20/);
  });

  it('refuses union and enum indexes out of range and over-long varints', () => {
    const union = avro.Type.forSchema(['null', 'string'], { wrapUnions: false });
    expect(refused(boundsCheckerFor(union), varint(2))).toMatch(/union branch 2/);
    const color = avro.Type.forSchema({ type: 'enum', name: 'C', symbols: ['R', 'G'] });
    expect(refused(boundsCheckerFor(color), varint(5))).toMatch(/enum index 5/);
    expect(refused(boundsCheckerFor(avro.Type.forSchema('long')), Buffer.alloc(11, 0xff))).toMatch(/varint longer/);
  });
});
