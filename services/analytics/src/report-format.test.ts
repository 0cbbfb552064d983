import { describe, expect, it } from 'vitest';
import type { Report } from './report.js';
import { csvField, displayValue, formatReport } from './report-format.js';

const report: Report = {
  tenant: 'acme',
  from: '2026-11-01',
  to: '2026-11-07',
  generatedAt: '2026-11-08T00:00:00.000Z',
  sections: [
    { id: 'overview', title: 'Key figures', columns: ['figure', 'value'], rows: [{ figure: 'trajectories', value: 1234 }, { figure: 'reuse share', value: 0.4567 }, { figure: 'execution success rate', value: null }] },
    { id: 'tools', title: 'Tools by errors', columns: ['tool_name', 'calls', 'error_rate', 'top_error'], rows: [{ tool_name: 'send_email', calls: 12, error_rate: 0.25, top_error: 'quota "daily", exceeded\nretry' }] },
  ],
};

describe('report formats', () => {
  it('prints aligned tables with percentages and thousands', () => {
    const text = formatReport(report, 'table');
    expect(text).toContain('Praxis report: tenant acme, 2026-11-01 to 2026-11-07');
    expect(text).toMatch(/trajectories\s+1,234/);
    expect(text).toMatch(/reuse share\s+45\.7%/);
    expect(text).toMatch(/send_email\s+12\s+25\.0%/);
  });

  it('writes RFC 4180 CSV, one block per section, or a plain file for one section', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    const all = formatReport(report, 'csv');
    expect(all).toContain('# overview\nfigure,value\ntrajectories,1234\nreuse share,0.4567\nexecution success rate,\n\n# tools\n');
    expect(formatReport(report, 'csv', 'tools')).toBe('tool_name,calls,error_rate,top_error\nsend_email,12,0.25,"quota ""daily"", exceeded\nretry"\n');
  });

  it('writes JSON keyed by section', () => {
    const json = JSON.parse(formatReport(report, 'json'));
    expect(json).toMatchObject({ tenant: 'acme', from: '2026-11-01' });
    expect(json.sections.overview[0]).toEqual({ figure: 'trajectories', value: 1234 });
    expect(Object.keys(json.sections)).toEqual(['overview', 'tools']);
  });

  it('shows fractions with two decimals and leaves nulls empty', () => {
    expect(displayValue('p50_ms', 12.345)).toBe('12.35');
    expect(displayValue('confidence', null)).toBe('');
  });
});
