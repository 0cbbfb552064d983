import { describe, expect, it } from 'vitest';
import { template } from '../test-support/fixtures.js';
import { Catalog } from './catalog.js';

const T0 = Date.UTC(2026, 0, 1);
const at = { partition: 0, offset: '1' };

describe('catalog', () => {
  it('keeps the newest version, refuses older ones and ids of another tenant', () => {
    const c = new Catalog(() => T0);
    expect(c.apply(template({ templateId: 't', version: 2, updatedAtMs: T0 }), [], at)).toBe('applied');
    expect(c.apply(template({ templateId: 't', version: 1, updatedAtMs: T0 }), [], at)).toBe('stale');
    expect(c.apply(template({ templateId: 't', version: 3, tenantId: 'globex', updatedAtMs: T0 }), [], at)).toBe('tenant_mismatch');
    expect(c.get('acme', 't')?.version).toBe(2);
    expect(c.get('globex', 't')).toBeUndefined();
  });

  it('blocks learned versions made before an unlearn, not later ones', () => {
    const c = new Catalog(() => T0);
    c.block('t', T0);
    expect(c.apply(template({ templateId: 't', updatedAtMs: T0 - 1 }), [], at)).toBe('blocked');
    expect(c.apply(template({ templateId: 't', updatedAtMs: T0 + 1 }), [], at)).toBe('applied');
  });

  it('keeps version history with its bound, tenant-checked, through deletion', () => {
    const c = new Catalog(() => T0, { versionsPerTemplate: 2, lineagePerVersion: 1, deletedTemplates: 10 });
    for (const v of [1, 2, 3]) c.apply(template({ templateId: 't', version: v, updatedAtMs: T0 + v, lineage: [{ trajectoryId: 'a', partition: 0, offset: 1 }, { trajectoryId: 'b', partition: 0, offset: 2 }] }), [], at);
    const h = c.histories.get('acme', 't')!;
    expect(h.versions.map((v) => v.version)).toEqual([2, 3]);
    expect(h.versions[0]!.lineage).toHaveLength(1);
    expect(h.complete).toBe(false);
    expect(c.histories.get('globex', 't')).toBeUndefined();
    expect(c.remove('t')).toBe('acme');
    expect(c.histories.get('acme', 't')?.deleted).toBe(true);
    expect(c.size).toBe(0);
  });

  it('learns the tools and parameters of learned templates, and forgets them with the template', () => {
    const c = new Catalog(() => T0);
    c.apply(template({ templateId: 't' }), [], at);
    expect(c.tenant('acme').tools.list()).toEqual([{ name: 'lookup_order', params: ['orderId'] }, { name: 'get_tracking', params: ['ref'] }]);
    c.apply(template({ templateId: 'u', source: 'USER', signature: ['x'], steps: [{ index: 0, toolName: 'x', params: [] }], slots: [] }), [], at);
    expect(c.tenant('acme').tools.get('x')).toBeUndefined();
    c.remove('t');
    expect(c.tenant('acme').tools.list()).toEqual([]);
  });
  it('lists a version seen twice once (its own write read back, a re-read after a rejoin)', () => {
    const c = new Catalog(() => T0);
    c.apply(template({ templateId: 'w', version: 1, updatedAtMs: T0 + 1 }), [], { partition: null, offset: null });
    c.apply(template({ templateId: 'w', version: 2, updatedAtMs: T0 + 2 }), [], { partition: null, offset: null });
    for (const v of [1, 2]) c.apply(template({ templateId: 'w', version: v, updatedAtMs: T0 + v }), [], { partition: 2, offset: String(v) });
    const versions = c.histories.get('acme', 'w')!.versions;
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1]).toMatchObject({ partition: 2, offset: '2' });
  });

  it("keeps a deleted template's history however often it is deleted and read again", () => {
    const c = new Catalog(() => T0, { versionsPerTemplate: 20, lineagePerVersion: 1, deletedTemplates: 3 });
    for (let i = 0; i < 50; i++) {
      c.apply(template({ templateId: 'gone', version: 1, updatedAtMs: T0 }), [], at);
      c.remove('gone');
    }
    expect(c.histories.get('acme', 'gone')).toMatchObject({ deleted: true, versions: [{ version: 1 }] });
    for (const id of ['a', 'b', 'c']) {
      c.apply(template({ templateId: id, updatedAtMs: T0 }), [], at);
      c.remove(id);
    }
    // the bound drops the oldest deletion, once
    expect(c.histories.get('acme', 'gone')).toBeUndefined();
    expect(c.histories.get('acme', 'a')?.deleted).toBe(true);
  });
});
