import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../embedding/hashing.js';
import { Policies } from '../policy.js';
import { RouterCore } from '../router-core.js';
import { MemorySink, template } from '../test-support/fixtures.js';
import { BoilerplateModel, requestWords } from './request.js';

const PERSONA = 'You are the assistant of Dana Smith, operations manager at Atlas in Austin 78712; answer briefly.';
const ACTIONS = ['cancel my next meeting with the design team', 'send the weekly report to finance', 'move the launch task to in review', 'plot total visits since monday as a bar chart', 'add a new lead to the crm', 'delete my last email from nadia'];

describe('request reduction', () => {
  it('masks the word runs that most templates share, and keeps what each asks', () => {
    const model = new BoilerplateModel();
    ACTIONS.forEach((a, i) => model.add(`t${i}`, [`${PERSONA} ${a}`]));
    expect(model.refresh().sort()).toEqual(ACTIONS.map((_, i) => `t${i}`).sort());
    expect(model.reduce(`${PERSONA} cancel my next meeting with the design team`)).toBe('cancel my next meeting with the design team');
    // a query with the persona and an action no template has is reduced to that action
    expect(model.reduce(`${PERSONA} Rename the board`)).toBe('rename the board');
  });

  it('leaves shared short phrases and rare runs alone, and never reduces a text to nothing', () => {
    const model = new BoilerplateModel();
    ACTIONS.forEach((a, i) => model.add(`t${i}`, [a, `please ${a}`]));
    model.refresh();
    expect(model.size).toBe(0);
    expect(model.reduce('Cancel my next meeting with the design team')).toBe('cancel my next meeting with the design team');
    const persona = new BoilerplateModel();
    ACTIONS.forEach((a, i) => persona.add(`t${i}`, [`${PERSONA} ${a}`]));
    persona.refresh();
    expect(persona.reduce(PERSONA)).toBe(requestWords(PERSONA).join(' '));
  });

  it('learns from the data: below the share of templates nothing is boilerplate, removals undo it', () => {
    const model = new BoilerplateModel({ fraction: 0.5, minTemplates: 3, leaveRatio: 0.5, refreshGrowth: 0.1 });
    model.add('a', [`${PERSONA} ${ACTIONS[0]}`]);
    model.add('b', [`${PERSONA} ${ACTIONS[1]}`]);
    for (let i = 0; i < 4; i++) model.add(`other${i}`, [ACTIONS[2 + i]!]);
    expect(model.refresh()).toEqual([]);
    model.add('c', [`${PERSONA} ${ACTIONS[2]}`]);
    model.add('d', [`${PERSONA} ${ACTIONS[3]}`]);
    expect(model.refresh().sort()).toEqual(['a', 'b', 'c', 'd']);
    for (const id of ['a', 'b', 'c']) model.remove(id);
    expect(model.refresh()).toEqual(['d']);
    expect(model.size).toBe(0);
  });

  it('re-decides a large tenant only when its template count moved by a tenth', () => {
    const model = new BoilerplateModel();
    for (let i = 0; i < 100; i++) model.add(`t${i}`, [`${PERSONA} ${ACTIONS[i % ACTIONS.length]} ${i}`]);
    expect(model.refresh()).toHaveLength(100);
    for (let i = 100; i < 105; i++) model.add(`t${i}`, [`${PERSONA} ${ACTIONS[i % ACTIONS.length]}`]);
    expect(model.refresh()).toEqual([]); // 5% more: the set is kept, the new texts reduced with it
    expect(model.reduce(`${PERSONA} rename the board`)).toBe('rename the board');
    for (let i = 0; i < 100; i++) model.remove(`t${i}`);
    // re-decided (5 templates left), and the persona is still in all of them
    expect(model.refresh()).toEqual([]);
    expect(model.reduce(`${PERSONA} rename the board`)).toBe('rename the board');
    // by default the set is a function of the counts (no hysteresis): in 1 of 5 templates it is none
    for (let i = 100; i < 104; i++) model.add(`t${i}`, [ACTIONS[i % ACTIONS.length]!]);
    expect(model.refresh()).toEqual(['t104']);
    expect(model.size).toBe(0);
  });

  it('by default decides from the current counts alone, so two histories of one catalogue reduce alike', () => {
    // one history: six templates with the persona (boilerplate), then two of them lose it
    const a = new BoilerplateModel();
    for (let i = 0; i < 6; i++) a.add(`t${i}`, [`${PERSONA} ${ACTIONS[i]}`]);
    for (let i = 6; i < 16; i++) a.add(`t${i}`, [`${ACTIONS[i % ACTIONS.length]} ${i}`]);
    a.refresh();
    expect(a.size).toBeGreaterThan(0);
    a.add('t0', [ACTIONS[0]!]);
    a.add('t1', [ACTIONS[1]!]);
    a.refresh();
    // the other: the final catalogue at once
    const b = new BoilerplateModel();
    b.add('t0', [ACTIONS[0]!]);
    b.add('t1', [ACTIONS[1]!]);
    for (let i = 2; i < 6; i++) b.add(`t${i}`, [`${PERSONA} ${ACTIONS[i]}`]);
    for (let i = 6; i < 16; i++) b.add(`t${i}`, [`${ACTIONS[i % ACTIONS.length]} ${i}`]);
    b.refresh();
    // 4 of 16 templates hold the persona, under the threshold of 5: neither keeps it
    expect(a.size).toBe(b.size);
    expect(a.reduce(`${PERSONA} rename the board`)).toBe(b.reduce(`${PERSONA} rename the board`));
    expect(b.size).toBe(0);
  });

  it('lets a router tell a user\'s requests apart despite the persona in every one', async () => {
    const core = new RouterCore({ embedder: new HashingEmbedder(), policies: new Policies(), sink: new MemorySink(), clock: () => Date.UTC(2026, 11, 1) });
    const templates = ACTIONS.map((a, i) => template({ templateId: `tpl-${i}`, name: `task ${i}`, triggerExamples: [`${PERSONA} ${a}`] }));
    await core.applyRecords(templates.map((t, i) => ({ key: t.templateId, value: t, partition: 0, offset: String(i) })));
    const t0 = templates[0]!;
    const same = await core.lookup(t0.tenantId, { query: `${PERSONA} Please cancel my next meeting with the design team`, agentId: t0.agentId! });
    expect(same.templateId).toBe('tpl-0');
    const other = await core.lookup(t0.tenantId, { query: `${PERSONA} What is the weather in Lisbon tomorrow`, agentId: t0.agentId! });
    expect(other.tier).toBe('plan');
    expect(other.similarity).toBeLessThan(0.4);
  });
});
