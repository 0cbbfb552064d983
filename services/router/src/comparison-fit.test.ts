import { describe, expect, it } from 'vitest';
import { comparisonRefusal } from './comparison-fit.js';

const slot = (overrides: Record<string, unknown> = {}) => ({ name: 'comparison', schemaJson: '{"type":"string"}', required: true, source: 'QUERY' as const, description: '', examplesJson: ['">21"'], queryForm: 'comparison', ...overrides });

describe('a template with a value condition and a query without a comparison', () => {
  it('refuses the candidate when the query writes no comparison with a number', () => {
    expect(comparisonRefusal('plot total visits since May 1', { slots: [slot()] })).toMatchObject({ kind: 'entity', blocks: 'candidate' });
    expect(comparisonRefusal('is it more than 5% higher than May 1?', { slots: [slot()] })).not.toBeNull();
  });

  it('lets it through when the query compares with a number, or the template reads no comparison', () => {
    expect(comparisonRefusal('was it less than 3 since May 1?', { slots: [slot()] })).toBeNull();
    expect(comparisonRefusal('plot total visits since May 1', { slots: [slot({ queryForm: 'date' })] })).toBeNull();
    expect(comparisonRefusal('plot total visits since May 1', { slots: [slot({ required: false })] })).toBeNull();
  });
});
