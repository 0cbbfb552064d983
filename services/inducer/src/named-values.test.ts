import { describe, expect, it } from 'vitest';
import { KNOWN_VALUE_FORM, MAX_KNOWN_VALUES } from '@praxis/core';
import { induceBody, plainInstance, plainSteps, type Instance } from './induce.js';
import { embedCore } from './kinds.js';
import { namedValuesByParam, withKnownValues } from './named-values.js';
import { summarise } from './summary.js';
import { policy, trajectoriesOf, type Task } from './test-tasks.js';

const SIG = ['count_visits', 'create_card'];
const PEOPLE = ['amelia.wong', 'kofi.owusu', 'nadia.ross', 'yuki.sato', 'sofia.reyes', 'amelia.wong'];
const addressOf = (p: string) => `${p}@corp.example`;
const firstName = (p: string) => p.split('.')[0]!;

function instancesOf(tasks: Task[], sig: string[]): Instance[] {
  return trajectoriesOf(tasks)
    .map((t, i) => summarise(t, 0, i))
    .map((summary) => plainInstance(summary, embedCore(summary.sequence, sig)!.map((p) => summary.mined[p]!)))
    .reverse();
}

/** "Make a card for kofi": the agent knew kofi's address; no look-up, and the query writes only the first name. */
function cardTask(i: number, person = PEOPLE[i % PEOPLE.length]!, assignee = addressOf(person)): Task {
  return {
    at: i * 10,
    query: `check the visits and make a card 'Improve visits ${i}' for ${firstName(person)}`,
    calls: [
      { tool: 'count_visits', params: { since: '2026-01-01' }, result: { visits: 10 + i } },
      { tool: 'create_card', params: { title: `Improve visits ${i}`, assignee }, result: { ok: true } },
    ],
  };
}

const assigneeSlot = (tasks: Task[]) => {
  const body = induceBody(plainSteps(SIG), instancesOf(tasks, SIG), policy());
  const param = body.steps[1]!.params.find((p) => p.path === 'assignee')!;
  return { body, param, slot: body.slots.find((s) => s.name === param.slotName) };
};

describe('a value the query names by a word (known_value)', () => {
  it('a made-up address each run\'s query names by its first name is a known-value slot of the values seen, in text order', () => {
    const { param, slot } = assigneeSlot(Array.from({ length: 6 }, (_, i) => cardTask(i)));
    expect(param.kind).toBe('SLOT');
    expect(slot).toMatchObject({ source: 'GENERATED', queryForm: KNOWN_VALUE_FORM });
    expect(slot!.examplesJson).toEqual([...new Set(PEOPLE)].sort().map((p) => JSON.stringify(addressOf(p))));
  });

  it('stays a plain made-up slot when too many runs passed a value their query did not name', () => {
    // three of six runs whose query names a known person passed someone else's address
    const tasks = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? cardTask(i, PEOPLE[i]!, addressOf(PEOPLE[(i + 1) % 5]!)) : cardTask(i)));
    expect(assigneeSlot(tasks).slot).toMatchObject({ source: 'GENERATED', queryForm: null });
  });

  it('runs whose query names none of the values seen are no evidence against the relation', () => {
    const tasks = [...Array.from({ length: 5 }, (_, i) => cardTask(i)), { ...cardTask(5, 'lead.dev', 'lead.dev@corp.example'), query: "check the visits and make a card 'Improve visits 5' for the team lead" }];
    expect(assigneeSlot(tasks).slot?.queryForm).toBe(KNOWN_VALUE_FORM);
  });

  it('free text that repeats the query\'s words is never a known value', () => {
    const tasks = Array.from({ length: 6 }, (_, i): Task => ({ ...cardTask(i), calls: [cardTask(i).calls[0]!, { tool: 'create_card', params: { title: `Improve visits ${i}`, assignee: `please ${firstName(PEOPLE[i]!)} look at visits` }, result: { ok: true } }] }));
    expect(assigneeSlot(tasks).slot?.queryForm).toBeNull();
  });

  it("the agent's other runs of the same tool parameter add the values this template's runs never met", () => {
    const tasks = Array.from({ length: 4 }, (_, i) => cardTask(i));
    const { body } = assigneeSlot(tasks);
    const others: Task[] = [
      { at: 100, query: 'make a card for dmitri', calls: [{ tool: 'create_card', params: { title: 'x', assignee: addressOf('dmitri.ivanov') } }] },
      // another tool's parameter of the same name is another parameter
      { at: 110, query: 'find the cards of leila', calls: [{ tool: 'search_cards', params: { assignee: addressOf('leila.ahmed') } }] },
      // a failed run's call the tool took adds its value; a call the tool refused adds nothing
      { at: 120, query: 'make a card for omar', outcome: 'FAILED', calls: [{ tool: 'create_card', params: { title: 'x', assignee: addressOf('omar.haddad') } }] },
      { at: 130, query: 'make a card for rosa', calls: [{ tool: 'create_card', params: { title: 'x', assignee: 'rosa@nowhere.example' }, error: { type: 'ValueError', message: 'Assignee not valid' } }, { tool: 'create_card', params: { title: 'x', assignee: addressOf('rosa.lima') } }] },
    ];
    const ring = trajectoriesOf([...tasks, ...others]).map((t, i) => summarise(t, 0, i));
    const pooled = withKnownValues(body, namedValuesByParam(ring));
    const examples = pooled.slots.find((s) => s.queryForm === KNOWN_VALUE_FORM)!.examplesJson;
    for (const own of body.slots.find((s) => s.queryForm === KNOWN_VALUE_FORM)!.examplesJson) expect(examples).toContain(own);
    expect(examples).toContain(JSON.stringify(addressOf('dmitri.ivanov')));
    expect(examples).not.toContain(JSON.stringify(addressOf('leila.ahmed')));
    expect(examples).toContain(JSON.stringify(addressOf('omar.haddad')));
    expect(examples).toContain(JSON.stringify(addressOf('rosa.lima')));
    expect(examples).not.toContain(JSON.stringify('rosa@nowhere.example'));
  });

  it("the bound keeps the template's own values first and writes the kept ones in text order", () => {
    const slot = { name: 'assignee', schemaJson: '{"type":"string"}', required: true, source: 'GENERATED' as const, description: null, examplesJson: [JSON.stringify('zed.own@corp.example'), JSON.stringify('yan.own@corp.example')], queryForm: KNOWN_VALUE_FORM };
    const step = { index: 0, toolName: 'create_card', params: [{ path: 'assignee', kind: 'SLOT' as const, valueJson: null, slotName: 'assignee', stepIndex: null, resultPath: null, transform: null }], paramShapeHash: null, resultShapeHash: null, loop: null, optional: false, conditionJson: null, segmentId: null };
    const many = new Map(Array.from({ length: MAX_KNOWN_VALUES + 10 }, (_, i) => [`p${String(i).padStart(2, '0')}.x@corp.example`, 100 + i] as const));
    const out = withKnownValues({ steps: [step], slots: [slot] }, new Map([['create_card\u0000assignee', many]])).slots[0]!.examplesJson;
    expect(out).toHaveLength(MAX_KNOWN_VALUES);
    expect(out).toContain(JSON.stringify('zed.own@corp.example'));
    expect(out).toContain(JSON.stringify('yan.own@corp.example'));
    // the least passed pooled values are the ones cut
    expect(out).not.toContain(JSON.stringify('p00.x@corp.example'));
    expect(out).toEqual([...out].sort());
  });
});

