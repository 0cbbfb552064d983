import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../embedding/hashing.js';
import { Policies } from '../policy.js';
import { RouterCore } from '../router-core.js';
import { MemorySink, template } from '../test-support/fixtures.js';
import { maskValues, slotValues, ValueVocabulary } from './values.js';

const flights = template({
  templateId: 'tpl-fly',
  name: 'book flight',
  signature: ['book_flight'],
  steps: [
    {
      index: 0,
      toolName: 'book_flight',
      params: [
        { path: 'origin', kind: 'SLOT', slotName: 'origin' },
        { path: 'destination', kind: 'SLOT', slotName: 'destination' },
        { path: 'cabin', kind: 'SLOT', slotName: 'cabin' },
      ],
    },
  ],
  slots: [
    { name: 'origin', schemaJson: JSON.stringify({ type: 'string', enum: ['CDG', 'HND', 'LIS'] }), source: 'QUERY' },
    { name: 'destination', schemaJson: JSON.stringify({ type: 'string', enum: ['BER', 'NBO', 'YYZ'] }), source: 'QUERY' },
    { name: 'cabin', schemaJson: JSON.stringify({ type: 'string', enum: ['economy', 'first class'] }), source: 'QUERY', examplesJson: ['"economy"'] },
  ],
  triggerExamples: ['Book an economy flight from LIS to BER'],
});

describe('slot values in search texts', () => {
  it('collects enum values and short string examples of the slots', () => {
    expect(slotValues(flights).sort()).toEqual(['ber', 'cdg', 'economy', 'first class', 'hnd', 'lis', 'nbo', 'yyz']);
  });

  it('leaves ids, numbers, emails and dates to the entity masks', () => {
    const withIds = template({ slots: [{ name: 'orderId', schemaJson: '{"type":"string"}', source: 'QUERY', examplesJson: ['"A-1001"', '"bob@x.com"', '"2026-01-02"', '42', '"v3.1.2"', '"Paris"'] }] });
    expect(slotValues(withIds)).toEqual(['paris']);
  });

  it('masks known phrases as whole words, longest first, and nothing else', () => {
    const known = new Set(['first class', 'first', 'lis', 'ber']);
    expect(maskValues('Book a first class seat LIS to BER, first thing', (p) => known.has(p))).toBe('Book a <value> seat <value> to <value>, <value> thing');
    expect(maskValues('Berlin is not BER', (p) => known.has(p))).toBe('Berlin is not <value>');
  });

  it('counts values per template, so removing one template keeps the values another still uses', () => {
    const v = new ValueVocabulary();
    v.add(['lis', 'ber'], 1);
    v.add(['lis'], 1);
    v.add(['lis', 'ber'], -1);
    expect(v.has('lis')).toBe(true);
    expect(v.has('ber')).toBe(false);
  });

  it('lets the same request with other values reuse the template', async () => {
    const core = new RouterCore({ embedder: new HashingEmbedder(), policies: new Policies(), sink: new MemorySink(), clock: () => Date.UTC(2026, 11, 1) });
    await core.applyRecords([{ key: flights.templateId, value: flights, partition: 0, offset: '0' }]);
    const r = await core.lookup(flights.tenantId, { query: 'Book a first class flight from HND to NBO', agentId: flights.agentId! });
    expect(r.similarity).toBeGreaterThan(0.95);
    expect(r.tier).toBe('reuse');
    expect(r.workflow?.bindings).toEqual({ origin: 'HND', destination: 'NBO', cabin: 'first class' });
  });
});

describe('learned enums in answers', () => {
  it('asks for a value outside the learned enum with the seen values as examples, and accepts one from the context', async () => {
    const core = new RouterCore({ embedder: new HashingEmbedder(), policies: new Policies(), sink: new MemorySink(), clock: () => Date.UTC(2026, 11, 1) });
    await core.applyRecords([{ key: flights.templateId, value: flights, partition: 0, offset: '0' }]);
    const r = await core.lookup(flights.tenantId, { query: 'Book a first class flight from HND to SEL', agentId: flights.agentId! });
    const destination = r.toGenerate.find((g) => g.name === 'destination');
    expect(destination?.schema).toEqual({ type: 'string' });
    expect(destination?.examples).toEqual(expect.arrayContaining(['BER', 'NBO', 'YYZ']));
    const withContext = await core.lookup(flights.tenantId, { query: 'Book a first class flight from HND to SEL', agentId: flights.agentId!, context: { destination: 'SEL' } });
    expect(withContext.workflow?.bindings.destination).toBe('SEL');
  });
});
