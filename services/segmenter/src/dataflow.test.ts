import { describe, expect, it } from 'vitest';
import { dataflowOf, occursInText } from './dataflow.js';
import { valueKey } from './pending.js';
import { pending, tool } from './test-steps.js';

describe('values in the query text', () => {
  it('matches whole tokens, case-insensitively for text', () => {
    expect(occursInText('Book a Business flight to LIS', 'business')).toBe(true);
    expect(occursInText('Book a flight to LISBON', 'LIS')).toBe(false);
    expect(occursInText('order A-1001, please', 'A-1001')).toBe(true);
    expect(occursInText('mail ana.silva3@example.com now', 'ana.silva3@example.com')).toBe(true);
  });

  it('does not find a number inside a date, a version or a longer number', () => {
    expect(occursInText('check in 2026-03-15 for 3 nights', 3)).toBe(true);
    expect(occursInText('check in 2026-03-15', 3)).toBe(false);
    expect(occursInText('check in 2026-03-15', 15)).toBe(false);
    expect(occursInText('deploy v2.3.1', 3)).toBe(false);
    expect(occursInText('order 12345', 234)).toBe(false);
    expect(occursInText('set the price to 49.99.', 49.99)).toBe(true);
  });
});

describe('value keys', () => {
  it('ignore what is too common to mean anything, and unify numeric strings', () => {
    expect(valueKey(true)).toBeNull();
    expect(valueKey(null)).toBeNull();
    expect(valueKey(1)).toBeNull();
    expect(valueKey('ok')).toBeNull();
    expect(valueKey(42)).toBe('n:42');
    expect(valueKey('42')).toBe('n:42');
    expect(valueKey('A-1001')).toBe('s:a1001');
    // case and punctuation do not hide where a value came from
    expect(valueKey('#W5056519')).toBe(valueKey('w5056519'));
    expect(valueKey('#1234')).toBe(valueKey(1234));
    // a zero-padded id is an id, whatever its number: "00000001" links as "00000047" does
    expect(valueKey('00000001')).toBe('n:1');
    expect(valueKey('00000047')).toBe('n:47');
    expect(valueKey('0')).toBeNull();
    expect(valueKey('01')).toBeNull();
  });
});

describe('dataflow of a step', () => {
  const lookup = pending(tool(1, 0, 'lookup_order', { resultJson: JSON.stringify({ order: { id: 'A-1001', ref: 'ZX-77', total: 19.5, items: [{ sku: 'SKU-9' }] } }) }));
  const failed = pending(tool(2, 0, 'get_invoice', { status: 'ERROR', errorType: 'X', errorMessage: 'boom', resultJson: null }));

  it('links a value to the query and to earlier results, nearest first, skipping failed steps', () => {
    const flow = dataflowOf({ orderId: 'A-1001', ref: 'ZX-77', amount: 19.5, flag: true, n: 1 }, 'refund order A-1001', [lookup, failed]);
    expect(flow).toEqual([
      { paramPath: 'orderId', origin: 'QUERY', stepIndex: null, path: null },
      { paramPath: 'orderId', origin: 'STEP_RESULT', stepIndex: 0, path: 'order.id', transform: null },
      { paramPath: 'ref', origin: 'STEP_RESULT', stepIndex: 0, path: 'order.ref', transform: null },
      { paramPath: 'amount', origin: 'STEP_RESULT', stepIndex: 0, path: 'order.total', transform: null },
    ]);
  });

  it('follows paths into nested parameters and array elements', () => {
    // the only element is both the first and the last
    expect(dataflowOf({ line: { sku: 'SKU-9' } }, null, [lookup])).toEqual([{ paramPath: 'line.sku', origin: 'STEP_RESULT', stepIndex: 0, path: 'order.items.0.sku', transform: null, select: ['first', 'last'] }]);
  });

  it('records the rules that pick the element a value came from (position, the extreme of a number or a date)', () => {
    const mails = [
      { id: 'M-100', sent: '2023-11-28 10:00:00', size: 12 },
      { id: 'M-200', sent: '2023-11-30 09:00:00', size: 7 },
      { id: 'M-300', sent: '2023-11-29 18:00:00', size: 30 },
    ];
    const search = pending(tool(4, 0, 'search_mail', { resultJson: JSON.stringify({ mails }) }));
    expect(dataflowOf({ mail: 'M-200' }, null, [search])).toEqual([{ paramPath: 'mail', origin: 'STEP_RESULT', stepIndex: 0, path: 'mails.1.id', transform: null, select: ['max:sent', 'min:size'] }]);
    // a value outside any array carries no rule
    expect(dataflowOf({ ref: 'ZX-77' }, null, [lookup])[0]).not.toHaveProperty('select');
  });

  it('keeps a rule that filters the elements by a word of an identifier field only when the query names that word', () => {
    const mails = [
      { id: 'M-100', from: 'olga.p@corp.example', sent: '2023-11-30 10:00:00' },
      { id: 'M-200', from: 'kofi.m@corp.example', sent: '2023-11-29 09:00:00' },
      { id: 'M-300', from: 'ines.r@corp.example', sent: '2023-11-28 18:00:00' },
    ];
    const search = pending(tool(5, 0, 'search_mail', { resultJson: JSON.stringify({ mails }) }));
    const [withWord] = dataflowOf({ mail: 'M-200' }, "answer kofi's latest mail", [search]);
    expect(withWord?.select).toContain('first@from~kofi');
    expect(withWord?.select?.some((r) => r.includes('~ines') || r.includes('~olga'))).toBe(false);
    // no word of the query: no such rule (and no other rule picks the middle element)
    expect(dataflowOf({ mail: 'M-200' }, 'answer the mail', [search])[0]).not.toHaveProperty('select');
  });

  it('links a value an earlier result holds in another type, case or punctuation, with the transform between them', () => {
    const found = pending(tool(3, 0, 'find_order', { resultJson: JSON.stringify({ order: { id: 'W5056519', customer: 48, code: 'Qualified', ref: 'ab-12x' } }) }));
    expect(dataflowOf({ order_id: '#W5056519', customer_id: '48', status: 'qualified' }, null, [found])).toEqual([
      { paramPath: 'order_id', origin: 'STEP_RESULT', stepIndex: 0, path: 'order.id', transform: 'prefix:#' },
      { paramPath: 'customer_id', origin: 'STEP_RESULT', stepIndex: 0, path: 'order.customer', transform: 'to_string' },
      { paramPath: 'status', origin: 'STEP_RESULT', stepIndex: 0, path: 'order.code', transform: 'lower' },
    ]);
    // same key, but no transform gets from one to the other ("AB_12X" is not what the result says): no link
    expect(dataflowOf({ ref: 'AB_12X' }, null, [found])).toEqual([]);
  });
});
