// What a tick is told about its partitions (TickContext): a partition counts as caught up only
// when the broker holds no record the member has not applied. A tick that closes what went
// quiet (the segmenter's idle fallback) relies on it, so that a member that is merely behind
// (starved, rebalancing) does not cut sessions whose next steps are already in the log.
import { ConsumerRunner, type Assignment, type Runtime, type TickContext } from '@praxis/kafka';
import { makeAgentStep } from '@praxis/schemas/factories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopics, eventually, testRuntime, uniquePrefix } from '../support/stack.js';

describe('the context a tick is given', () => {
  let rt: Runtime;
  let runner: ConsumerRunner | undefined;
  const prefix = uniquePrefix('tickctx');
  const step = (i: number) => ({ spec: rt.topics.steps, value: makeAgentStep({ eventId: `t-${i}`, sessionId: 's-1', seq: i, timestampMs: Date.UTC(2026, 10, 1) + i }) });

  beforeAll(async () => {
    rt = await testRuntime('tick-context-test', prefix);
    await createTopics(rt.kafka, [rt.topics.steps], 1);
    await rt.producer.send([0, 1, 2, 3, 4].map(step));
  });

  afterAll(async () => {
    await runner?.stop();
    await rt?.producer.disconnect();
  });

  it('says a partition is caught up once every record is applied, and not while the log holds one more', async () => {
    let applied = 0;
    const seen: { before: Assignment[]; after: Assignment[]; ctx: Pick<TickContext, 'rebalancing' | 'joinedAt'> }[] = [];
    let produceInTick = false;
    runner = new ConsumerRunner({
      kafka: rt.kafka,
      serde: rt.serde,
      producer: rt.producer,
      logger: rt.logger,
      service: 'tick-context-test',
      groupId: `${prefix}group`,
      topics: [rt.topics.steps],
      handler: async (records) => {
        applied += records.length;
        return { results: records.map(() => ({ type: 'ok' as const })), commitOffset: String(Number(records.at(-1)!.offset) + 1) };
      },
      tick: {
        intervalMs: 100,
        run: async (_now, assigned, ctx) => {
          if (applied < 5 || !produceInTick) return {};
          produceInTick = false;
          const before = await ctx.caughtUp(assigned);
          // a record written while the member is busy (the tick holds its turn): not applied yet
          await rt.producer.send([step(5)]);
          const after = await ctx.caughtUp(assigned);
          seen.push({ before, after, ctx: { rebalancing: ctx.rebalancing, joinedAt: ctx.joinedAt } });
          return {};
        },
      },
    });
    const startedAt = Date.now();
    await runner.start();
    expect(await eventually(() => applied === 5, 30_000, 50)).toBe(true);
    produceInTick = true;
    expect(await eventually(() => seen.length === 1, 30_000, 50)).toBe(true);
    const [tick] = seen;
    expect(tick!.before).toEqual([{ topic: rt.topics.steps.name, partition: 0 }]);
    expect(tick!.after).toEqual([]);
    expect(tick!.ctx.rebalancing).toBe(false);
    expect(tick!.ctx.joinedAt).toBeGreaterThanOrEqual(startedAt);
    // and the record is then applied as usual
    expect(await eventually(() => applied === 6, 30_000, 50)).toBe(true);
  });
});
