import type { Slot } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { extractSlots, queryValues, shapePattern } from './extractor.js';

const NOW = Date.UTC(2026, 4, 20, 12); // a Wednesday
const slot = (name: string, schema: object, extra: Partial<Slot> = {}): Slot => ({
  name,
  schemaJson: JSON.stringify(schema),
  required: true,
  source: 'QUERY',
  description: null,
  examplesJson: [],
  ...extra,
});

describe('query values', () => {
  it('finds typed values in reading order without overlaps', () => {
    const values = queryValues('Refund 12.5 on A-1001 to bob@x.com by 2026-06-01, "gift wrap" tomorrow', NOW);
    expect(values.map((v) => [v.kind, v.value])).toEqual([
      ['word', 'Refund'],
      ['number', 12.5],
      ['word', 'on'],
      ['id', 'A-1001'],
      ['word', 'to'],
      ['email', 'bob@x.com'],
      ['word', 'by'],
      ['date', '2026-06-01'],
      ['quoted', 'gift wrap'],
      ['date', '2026-05-21'],
    ]);
  });

  it('reads no apostrophe inside a word as a quote', () => {
    const values = queryValues("Answer kofi's note about 'Spring plans' with 'Noted, I don't mind'", NOW);
    expect(values.filter((v) => v.kind === 'quoted').map((v) => v.value)).toEqual(['Spring plans', "Noted, I don't mind"]);
  });

  it('derives a shape pattern from an example', () => {
    expect(shapePattern('A-1001').source).toBe('^[A-Z]+-\\d+$');
    expect(shapePattern('ord_77xk').test('ord_12ab')).toBe(true);
  });
});

describe('slot extraction', () => {
  it('binds ids, emails, numbers and dates by schema', () => {
    const slots = [
      slot('orderId', { type: 'string', pattern: '^[A-Z]-\\d+$' }),
      slot('email', { type: 'string', format: 'email' }),
      slot('amount', { type: 'number', minimum: 0 }),
      slot('when', { type: 'string', format: 'date' }),
    ];
    const r = extractSlots(slots, 'refund 25.5 for order B-77 to carol@example.org next monday', {}, NOW);
    expect(r.bindings).toEqual({ orderId: 'B-77', email: 'carol@example.org', amount: 25.5, when: '2026-05-25' });
    expect(r.missing).toEqual([]);
  });

  it('binds dotted ids such as versions, and leaves a sentence-ending dot alone', () => {
    const slots = [slot('version', { type: 'string', pattern: '^v\\d\\.\\d{1,2}\\.\\d$' }), slot('env', { type: 'string', enum: ['staging', 'production'] })];
    expect(extractSlots(slots, 'Roll out search version v3.13.2 on staging', {}, NOW).bindings).toEqual({ version: 'v3.13.2', env: 'staging' });
    expect(queryValues('cancel order A-1001.', NOW).map((v) => v.raw)).toEqual(['cancel', 'order', 'A-1001']);
  });

  it('uses examples when the schema has no pattern, and enums by word', () => {
    const slots = [slot('ticket', { type: 'string' }, { examplesJson: ['"TCK-001"'] }), slot('priority', { type: 'string', enum: ['low', 'high', 'very urgent'] })];
    expect(extractSlots(slots, 'raise TCK-778 to very urgent', {}, NOW).bindings).toEqual({ ticket: 'TCK-778', priority: 'very urgent' });
  });

  it('prefers the context, coerces numbers, and falls back to defaults', () => {
    const slots = [slot('userId', { type: 'integer' }, { source: 'CONTEXT' }), slot('orderId', { type: 'string', pattern: '^[A-Z]-\\d+$' }), slot('limit', { type: 'integer', default: 10 }, { required: false })];
    const r = extractSlots(slots, 'order A-1 please', { user_id: '42', orderId: 'Z-9' }, NOW);
    expect(r.bindings).toEqual({ userId: 42, orderId: 'Z-9', limit: 10 });
    expect(r.sources).toEqual({ userId: 'context', orderId: 'context', limit: 'default' });
  });

  it('reports required slots it cannot bind, and never invents values', () => {
    const slots = [slot('orderId', { type: 'string', pattern: '^[A-Z]-\\d+$' }), slot('reason', { type: 'string' }, { source: 'GENERATED' }), slot('note', { type: 'string' }, { required: false })];
    const r = extractSlots(slots, 'cancel my last order', {}, NOW);
    expect(r.bindings).toEqual({});
    expect(r.missing.map((s) => s.name)).toEqual(['orderId', 'reason']);
  });

  it('uses each query value once, in order', () => {
    const slots = [slot('from', { type: 'string', pattern: '^ACC\\d+$' }), slot('to', { type: 'string', pattern: '^ACC\\d+$' })];
    expect(extractSlots(slots, 'move 10 from ACC1 to ACC2', {}, NOW).bindings).toEqual({ from: 'ACC1', to: 'ACC2' });
  });

  it('rejects a context value that fails the schema and looks in the query instead', () => {
    const slots = [slot('orderId', { type: 'string', pattern: '^[A-Z]-\\d+$' })];
    expect(extractSlots(slots, 'order C-3', { orderId: 'nope' }, NOW).bindings).toEqual({ orderId: 'C-3' });
  });
});

describe('safe patterns and the work budget', () => {
  it('matches a ReDoS pattern from a slot schema in linear time', () => {
    const r = extractSlots([slot('code', { type: 'string', pattern: '^(a+)+$' })], `code ${'a'.repeat(33)}b now`, {}, NOW);
    expect(r.bindings).toEqual({});
    expect(r.budgetExhausted).toBe(false);
  });

  it('stops trying query values once the budget is spent, and says so', () => {
    const slots = Array.from({ length: 40 }, (_, i) => slot(`s${i}`, { type: 'string', pattern: '^(x+)+y$' }));
    const query = Array.from({ length: 400 }, (_, i) => `A-${i}${'x'.repeat(20)}`).join(' ');
    const r = extractSlots(slots, query, {}, NOW, 'USER', null, 50_000);
    expect(r.budgetExhausted).toBe(true);
    // the bound is on work, not time: it never exceeds the budget by more than one value
    expect(r.work).toBeLessThanOrEqual(50_000 + 30);
    expect(r.missing).toHaveLength(40);
    const small = extractSlots([slot('orderId', { type: 'string', pattern: '^[A-Z]-\\d+$' })], 'where is A-1001', {}, NOW);
    expect(small).toMatchObject({ bindings: { orderId: 'A-1001' }, budgetExhausted: false });
    expect(small.work).toBeGreaterThan(0);
  });
});

describe('a value the query names by a word (known_value)', () => {
  const assignee = slot('assignee', { type: 'string', format: 'email' }, { source: 'GENERATED', queryForm: 'known_value', examplesJson: ['amelia.wong@corp.example', 'kofi.owusu@corp.example', 'kofi@other.example', 'nadia.ross@corp.example'].map((v) => JSON.stringify(v)) });

  it('binds the one learned value a word of the query names', () => {
    const out = extractSlots([assignee], "make a card 'Improve visits' for Nadia due Friday", {}, NOW, 'LEARNED');
    expect(out.bindings).toEqual({ assignee: 'nadia.ross@corp.example' });
    expect(out.sources.assignee).toBe('query');
  });

  it('leaves the slot to a model when the query names none or several learned values', () => {
    expect(extractSlots([assignee], 'make a card for yuki', {}, NOW, 'LEARNED').bindings).toEqual({});
    // two learned addresses of one first name: no guess between them
    expect(extractSlots([assignee], 'make a card for kofi', {}, NOW, 'LEARNED').missing.map((s) => s.name)).toEqual(['assignee']);
  });

  it('a slot without the form is never bound from its examples', () => {
    const plain = { ...assignee, queryForm: null };
    expect(extractSlots([plain], 'make a card for Nadia', {}, NOW, 'LEARNED').bindings).toEqual({});
  });
});
