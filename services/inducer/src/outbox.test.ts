import { FeedbackSchema, type Template } from '@praxis/schemas';
import { makeFeedback } from '@praxis/schemas/factories';
import { describe, expect, it } from 'vitest';
import { learnedTemplateId } from './candidate.js';
import { Outbox, type OutboxDelivery } from './outbox.js';
import { Inducer } from './processor.js';
import { orderStatusTask, policy, trajectoriesOf } from './test-tasks.js';

const ID = learnedTemplateId('acme', 'bot', ['get_order', 'get_tracking', 'send_email']);
const runs = (n: number, from = 0) => trajectoriesOf(Array.from({ length: n }, (_, i) => orderStatusTask(from + i)));

/** A sink that fails while `down` is set, as a broker outage fails a send; the runner's order: send, then acknowledged. */
function sink() {
  const written: OutboxDelivery[] = [];
  const s = {
    down: false,
    written,
    async send(d: OutboxDelivery): Promise<void> {
      if (s.down) throw new Error('KafkaJSNumberOfRetriesExceeded: broker unavailable');
      written.push(d);
      d.acknowledged();
    },
  };
  return s;
}

function setup() {
  const inducer = new Inducer(() => policy());
  const outbox = new Outbox(inducer);
  runs(9).forEach((t, i) => {
    const key = inducer.applyTrajectory(t, 0, i);
    if (key) outbox.touch(key);
  });
  return { inducer, outbox };
}

describe('output before state', () => {
  it('publishes a template whose send failed on a later delivery, with no new input', async () => {
    const { inducer, outbox } = setup();
    const s = sink();
    s.down = true;
    const first = outbox.deliver(() => true);
    expect(first.templates.map((o) => o.key)).toEqual([ID]);
    await expect(s.send(first)).rejects.toThrow(/broker unavailable/);
    // nothing became visible: no published version, the agent still owed
    expect(inducer.published.has(ID)).toBe(false);
    expect(outbox.size).toBe(1);

    s.down = false;
    const again = outbox.deliver(() => true); // the next tick, nothing new applied
    await s.send(again);
    const sent = again.templates.find((o) => o.key === ID)!.value as Template;
    expect(sent.version).toBe(1); // the same version, not a skipped number
    expect(sent).toEqual(first.templates[0]!.value);
    expect(inducer.published.get(ID)).toMatchObject({ version: 1, deleted: false });
    expect(outbox.size).toBe(0);
    expect(outbox.deliver(() => true).templates).toEqual([]);
  });

  it('numbers the next version after the acknowledged one only', async () => {
    const { inducer, outbox } = setup();
    const s = sink();
    await s.send(outbox.deliver(() => true));
    s.down = true;
    const [more] = runs(1, 50);
    outbox.touch(inducer.applyTrajectory(more!, 0, 100)!);
    await expect(s.send(outbox.deliver(() => true))).rejects.toThrow();
    await expect(s.send(outbox.deliver(() => true))).rejects.toThrow();
    expect(inducer.published.get(ID)!.version).toBe(1);
    s.down = false;
    const d = outbox.deliver(() => true);
    await s.send(d);
    expect((d.templates[0]!.value as Template).version).toBe(2);
    expect((d.templates[0]!.value as Template).stats.support).toBe(10);
  });

  it('keeps a control change owed until the changelog record is acknowledged', async () => {
    const { inducer, outbox } = setup();
    const s = sink();
    await s.send(outbox.deliver(() => true));
    const f = FeedbackSchema.parse(makeFeedback({ tenantId: 'acme', agentId: 'bot', templateId: ID, kind: 'UNLEARN', reason: 'wrong' }));
    const applied = inducer.applyFeedback(f, 0, 7)!;
    outbox.control(applied.control);
    outbox.touch(applied.agentKey);
    s.down = true;
    await expect(s.send(outbox.deliver(() => true))).rejects.toThrow();
    // a redelivered feedback record is not applied twice, so the outbox is what keeps the change
    expect(inducer.applyFeedback(f, 0, 7)).toBeNull();
    s.down = false;
    const d = outbox.deliver(() => true);
    await s.send(d);
    expect(d.controls.map((c) => [c.templateId, c.unlearnedAtMs !== null])).toEqual([[ID, true]]);
    expect(d.templates.map((o) => [o.key, o.value?.status ?? null])).toEqual([[ID, 'RETIRED'], [ID, null]]);
    expect(inducer.published.get(ID)).toMatchObject({ deleted: true, version: 2 });
    expect(outbox.size).toBe(0);
  });

  it('holds an agent whose horizon is not rebuilt yet, and sends it once it is', async () => {
    const { outbox } = setup();
    let ready = false;
    expect(outbox.deliver(() => ready).templates).toEqual([]);
    expect(outbox.size).toBe(1);
    ready = true;
    const d = outbox.deliver(() => ready);
    d.acknowledged();
    expect(d.templates.map((o) => o.key)).toEqual([ID]);
    expect(outbox.size).toBe(0);
  });
});
