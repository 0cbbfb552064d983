import { applyValueTransform } from '@praxis/core';
import { SlotSchema, type AvoidanceHint, type KnownError } from '@praxis/schemas';
import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from './embedding/hashing.js';
import { extractSlots } from './extractor.js';
import { Policies } from './policy.js';
import { RouterCore } from './router-core.js';
import { MemorySink, template } from './test-support/fixtures.js';

// The task's own time: Thursday 2023-11-30 10:00 UTC.
const TASK = Date.UTC(2023, 10, 30, 10, 0, 0);
const slot = (name: string, schema: object, queryForm: 'date' | 'date_or_today' | 'name' | 'token' | null, examples: unknown[] = []) =>
  SlotSchema.parse({ name, schemaJson: JSON.stringify(schema), source: 'QUERY', queryForm, examplesJson: examples.map((e) => JSON.stringify(e)) });

// chrono-node builds its parsers on first use (about a second, more on a loaded machine)
describe('extraction of values as people write them (query forms)', { timeout: 30_000 }, () => {
  const day = slot('day', { type: 'string', format: 'date' }, 'date');
  const person = slot('person', { type: 'string' }, 'name', ['Amelia Wong']);
  const order = slot('order', { type: 'string', pattern: '^#[A-Z]\\d{7}$' }, 'token', ['#W5056519']);

  it('reads a relative date against the task time, not the router clock', () => {
    const e = extractSlots([day], 'book it next Tuesday', {}, TASK, 'LEARNED');
    expect(e.bindings).toEqual({ day: '2023-12-05' });
    expect(extractSlots([day], 'chart of visits since November 21?', {}, TASK, 'LEARNED').bindings).toEqual({ day: '2023-11-21' });
    expect(extractSlots([day], 'remind me in two weeks', {}, TASK, 'LEARNED').bindings).toEqual({ day: '2023-12-14' });
  });

  it('reads a relative date in the task time zone', () => {
    const lateNy = Date.UTC(2023, 11, 1, 3, 0, 0); // Thursday 22:00 in New York, already Friday in UTC
    expect(extractSlots([day], 'tomorrow', {}, lateNy, 'LEARNED', 'America/New_York').bindings).toEqual({ day: '2023-12-01' });
    expect(extractSlots([day], 'tomorrow', {}, lateNy, 'LEARNED').bindings).toEqual({ day: '2023-12-02' });
  });

  it('reads a full name and an id with its punctuation, each once', () => {
    const e = extractSlots([person, order, day], 'Meet Carlos Rodriguez about #W1234567 on December 13', {}, TASK, 'LEARNED');
    expect(e.bindings).toEqual({ person: 'Carlos Rodriguez', order: '#W1234567', day: '2023-12-13' });
    expect(e.missing).toEqual([]);
  });

  it('reads a date_or_today slot from the query when it writes a day, else as the task day', () => {
    const from = slot('from', { type: 'string' }, 'date_or_today');
    expect(extractSlots([from], 'cancel my first meeting on December 13', {}, TASK, 'LEARNED').bindings).toEqual({ from: '2023-12-13' });
    expect(extractSlots([from], 'cancel my next meeting with yuki', {}, TASK, 'LEARNED').bindings).toEqual({ from: '2023-11-30' });
    // the task day in the request's zone: 01:00 UTC on the 1st is still November 30 in New York
    expect(extractSlots([from], 'cancel my next meeting with yuki', {}, Date.UTC(2023, 11, 1, 1), 'LEARNED', 'America/New_York').bindings).toEqual({ from: '2023-11-30' });
  });

  it('reports the slot missing when the query has no value of its form', () => {
    expect(extractSlots([person], 'meet nobody about anything', {}, TASK, 'LEARNED').missing.map((s) => s.name)).toEqual(['person']);
    // a token slot without a pattern would take any word: never guessed
    expect(extractSlots([slot('word', { type: 'string' }, 'token')], 'cancel it', {}, TASK, 'LEARNED').missing).toHaveLength(1);
  });

  it('keeps the digits of a zip code for a text slot (not read as the number 2139)', () => {
    const zip = slot('zip', { type: 'string', pattern: '^\\d{5}$' }, null, ['02139']);
    expect(extractSlots([zip], 'ship it to 02139 please', {}, TASK, 'LEARNED').bindings).toEqual({ zip: '02139' });
  });

  it('gives, with the template transform, what the tool takes', () => {
    const e = extractSlots([person, order, day], 'Meet Carlos Rodriguez about #W1234567 next Tuesday', {}, TASK, 'LEARNED');
    expect(applyValueTransform('last_name|lower', e.bindings.person)).toBe('rodriguez');
    expect(applyValueTransform('strip_punctuation', e.bindings.order)).toBe('W1234567');
    expect(applyValueTransform('date:YYYY-MM-DD HH:mm:ss', e.bindings.day)).toBe('2023-12-05 00:00:00');
  });
});

const hint = (toolName: string, fingerprint: string, occurrences: number): AvoidanceHint => ({
  toolName,
  fingerprint,
  kind: 'PARAM_CHANGE',
  description: `${toolName} failed; change date`,
  paramChangesJson: JSON.stringify({ date: { type: 'string', format: 'date' } }),
  extraToolName: null,
  occurrences,
});
const known = (toolName: string, fingerprint: string): KnownError => ({ toolName, fingerprint, sampleMessage: 'bad date <str>', occurrences: 3, lastSeenMs: 1 });

describe('error knowledge served with every answer', () => {
  // a DRAFT learned from few runs still knows how create_event fails
  const draft = template({
    templateId: 'tpl-meet',
    status: 'DRAFT',
    name: 'create_event',
    signature: ['find_person', 'create_event'],
    steps: [
      { index: 0, toolName: 'find_person', params: [{ path: 'name', kind: 'CONSTANT', valueJson: '"x"' }] },
      { index: 1, toolName: 'create_event', params: [{ path: 'date', kind: 'CONSTANT', valueJson: '"2023-12-01"' }] },
    ],
    slots: [],
    triggerExamples: ['book a meeting with the sales team'],
    avoidanceHints: [hint('create_event', 'fp-date', 4)],
    knownErrors: [known('create_event', 'fp-date')],
  });
  const other = template({
    templateId: 'tpl-other',
    signature: ['send_email'],
    name: 'send_email',
    steps: [{ index: 0, toolName: 'send_email', params: [{ path: 'to', kind: 'CONSTANT', valueJson: '"a@b.c"' }] }],
    slots: [],
    triggerExamples: ['email the weekly report to finance'],
    avoidanceHints: [hint('send_email', 'fp-mail', 9), hint('create_event', 'fp-date-2', 2)],
    knownErrors: [known('send_email', 'fp-mail')],
  });

  async function router() {
    const c = new RouterCore({ embedder: new HashingEmbedder(), policies: new Policies(), sink: new MemorySink(), clock: () => TASK });
    await c.applyRecords([draft, other].map((t, i) => ({ key: t.templateId, value: t, partition: 0, offset: String(i) })));
    return c;
  }

  it('gives a plan answer the hints of the tools of its nearest candidates', async () => {
    const r = await (await router()).lookup('acme', { query: 'set up a meeting with the new sales hire next week', agentId: 'support-bot' });
    expect(r.tier).toBe('plan');
    const tools = new Set(r.avoidanceHints.map((h) => h.toolName));
    expect(tools.has('create_event')).toBe(true);
    // create_event's fixes come from both templates: what a tool failed with is true of the tool
    expect(r.avoidanceHints.filter((h) => h.toolName === 'create_event').map((h) => h.fingerprint)).toEqual(['fp-date', 'fp-date-2']);
    expect(r.knownErrors.map((e) => e.fingerprint)).toContain('fp-date');
  });

  it('adds the tenant\'s other hints for the chosen workflow\'s tools to the workflow, once each', async () => {
    const r = await (await router()).lookup('acme', { query: 'email the weekly report to finance', agentId: 'support-bot' });
    expect(r.tier).not.toBe('plan');
    expect(r.workflow?.avoidanceHints.map((h) => h.fingerprint)).toEqual(['fp-mail']);
    expect(r.avoidanceHints.map((h) => h.fingerprint)).toEqual(['fp-mail']);
    expect(r.knownErrors.map((e) => e.fingerprint)).toEqual(['fp-mail']);
  });

  it('keeps each tenant\'s knowledge to itself', async () => {
    const r = await (await router()).lookup('globex', { query: 'set up a meeting with the new sales hire next week', agentId: 'support-bot' });
    expect(r.avoidanceHints).toEqual([]);
    expect(r.knownErrors).toEqual([]);
  });

  it('forgets what a removed template taught', async () => {
    const c = await router();
    await c.applyRecords([{ key: 'tpl-other', value: null, partition: 0, offset: '9' }]);
    const r = await c.lookup('acme', { query: 'set up a meeting with the new sales hire next week', agentId: 'support-bot' });
    expect(r.avoidanceHints.map((h) => h.fingerprint)).toEqual(['fp-date']);
  });
});
