// pnpm bench decode: what the bounds check of Avro bodies (shared/kafka/src/avro-bounds.ts)
// costs per record on top of avsc's decode (the baseline, same run), for a trajectory and a
// step, and how long refusing a poison record (a map claiming 2^50 entries) takes.
import { boundsCheckerFor } from '@praxis/kafka';
import { avroType, type AvroSchemaName } from '@praxis/schemas';
import { makeAgentStep, makeTrajectory } from '@praxis/schemas/factories';
import { repeat, type BenchContext, type BenchSuite, type Measurement } from '../harness.js';
import { mapCountStep } from '../../security/support.js';

/** Nanoseconds per call of `fn` over `n` calls. */
function nsPer(n: number, fn: () => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - start) / n;
}

async function perRecord(ctx: BenchContext, name: AvroSchemaName, value: unknown, n: number): Promise<Measurement[]> {
  const type = avroType(name);
  const body = type.toBuffer(value);
  const check = boundsCheckerFor(type);
  const decode = await repeat(ctx.repeats, async () => nsPer(n, () => type.fromBuffer(body)));
  const checked = await repeat(ctx.repeats, async () => nsPer(n, () => (check(body), type.fromBuffer(body))));
  return [
    { name: `decode.${name}.avsc_ns`, label: `${name} (${body.length} B): avsc decode`, unit: 'ns/rec', higherIsBetter: false, samples: decode },
    { name: `decode.${name}.checked_ns`, label: `${name}: bounds check + avsc decode`, unit: 'ns/rec', higherIsBetter: false, samples: checked, baseline: `decode.${name}.avsc_ns` },
  ];
}

export const decodeSuite: BenchSuite = {
  id: 'decode',
  title: 'Bounded Avro decoding',
  async run(ctx) {
    const n = ctx.quick ? 5_000 : 50_000;
    const out = [...(await perRecord(ctx, 'trajectory', makeTrajectory(), n)), ...(await perRecord(ctx, 'agentStep', makeAgentStep(), n))];
    const check = boundsCheckerFor(avroType('agentStep'));
    const poison = mapCountStep(makeAgentStep(), 2 ** 50);
    const refuse = await repeat(ctx.repeats, async () =>
      nsPer(n / 10, () => {
        try {
          check(poison);
        } catch {
          // refused, as expected
        }
      }),
    );
    out.push({ name: 'decode.poison_refused_ns', label: `poison step (${poison.length} B, 2^50 map entries): refused`, unit: 'ns/rec', higherIsBetter: false, samples: refuse });
    return out;
  },
};
