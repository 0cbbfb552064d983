import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AgentStepSchema } from './agent-step.js';
import { avroSchemas, avroType, type AvroSchemaName } from './avro.js';
import { makeAgentStep, makeFeedback, makeTemplate, makeTrajectory } from './factories.js';
import { FeedbackSchema } from './feedback.js';
import { TemplateSchema } from './template.js';
import { TrajectorySchema } from './trajectory.js';

type AnyZod = z.ZodType & { _zod: { def: Record<string, any> } };
type Avro = string | unknown[] | Record<string, any>;

/** Peels default/optional/nullable wrappers off a zod schema. */
function peel(schema: AnyZod): { inner: AnyZod; nullable: boolean; hasDefault: boolean } {
  let inner = schema;
  let nullable = false;
  let hasDefault = false;
  for (;;) {
    const def = inner._zod.def;
    if (def.type === 'default') hasDefault = true;
    else if (def.type === 'nullable') nullable = true;
    else if (def.type !== 'optional' && def.type !== 'pipe') break;
    inner = (def.type === 'pipe' ? def.in : def.innerType) as AnyZod;
  }
  return { inner, nullable, hasDefault };
}

/** Lists every place where the zod schema and the Avro schema disagree in shape. */
function compareShapes(avro: Avro, schema: AnyZod, path: string, named: Map<string, Avro>): string[] {
  const { inner, nullable } = peel(schema);
  const def = inner._zod.def;
  if (Array.isArray(avro)) {
    const branches = avro.filter((b) => b !== 'null');
    const avroNullable = branches.length < avro.length;
    const problems = avroNullable === nullable ? [] : [`${path}: nullable in ${avroNullable ? 'avro' : 'zod'} only`];
    if (branches.length !== 1) return [...problems, `${path}: unions other than [null, T] are not mirrored`];
    return [...problems, ...compareShapes(branches[0] as Avro, inner, path, named)];
  }
  if (nullable) return [`${path}: nullable in zod only`];
  if (typeof avro === 'string') {
    const resolved = named.get(avro);
    if (resolved) return compareShapes(resolved, inner, path, named);
    const expected: Record<string, string> = { string: 'string', long: 'number', int: 'number', double: 'number', float: 'number', boolean: 'boolean' };
    return expected[avro] === def.type ? [] : [`${path}: avro ${avro} vs zod ${def.type}`];
  }
  const type = avro.type as string;
  if (avro.name) named.set(avro.name as string, avro);
  switch (type) {
    case 'record': {
      if (def.type !== 'object') return [`${path}: avro record vs zod ${def.type}`];
      const shape = def.shape as Record<string, AnyZod>;
      const avroFields = (avro.fields as { name: string; type: Avro; default?: unknown }[]);
      const problems: string[] = [];
      for (const field of avroFields) {
        const zodField = shape[field.name];
        if (!zodField) { problems.push(`${path}.${field.name}: missing in zod`); continue; }
        if (peel(zodField).hasDefault !== ('default' in field)) problems.push(`${path}.${field.name}: default in ${'default' in field ? 'avro' : 'zod'} only`);
        problems.push(...compareShapes(field.type, zodField, `${path}.${field.name}`, named));
      }
      for (const key of Object.keys(shape)) {
        if (!avroFields.some((f) => f.name === key)) problems.push(`${path}.${key}: missing in avro`);
      }
      return problems;
    }
    case 'enum': {
      if (def.type !== 'enum') return [`${path}: avro enum vs zod ${def.type}`];
      const symbols = Object.values(def.entries as Record<string, string>);
      return JSON.stringify(symbols) === JSON.stringify(avro.symbols) ? [] : [`${path}: enum symbols differ`];
    }
    case 'array':
      return def.type === 'array' ? compareShapes(avro.items as Avro, def.element as AnyZod, `${path}[]`, named) : [`${path}: avro array vs zod ${def.type}`];
    case 'map':
      return def.type === 'record' ? compareShapes(avro.values as Avro, def.valueType as AnyZod, `${path}{}`, named) : [`${path}: avro map vs zod ${def.type}`];
    default:
      return compareShapes(type, inner, path, named);
  }
}

const contracts: { name: AvroSchemaName; schema: AnyZod; make: () => unknown }[] = [
  { name: 'agentStep', schema: AgentStepSchema as unknown as AnyZod, make: () => makeAgentStep() },
  { name: 'trajectory', schema: TrajectorySchema as unknown as AnyZod, make: () => makeTrajectory() },
  { name: 'template', schema: TemplateSchema as unknown as AnyZod, make: () => makeTemplate() },
  { name: 'feedback', schema: FeedbackSchema as unknown as AnyZod, make: () => makeFeedback() },
];

describe.each(contracts)('$name contract', ({ name, schema, make }) => {
  const type = avroType(name);

  it('zod mirrors every field, type, default and nullability of the .avsc', () => {
    expect(compareShapes(avroSchemas[name], schema, name, new Map())).toEqual([]);
  });

  it('a valid record passes zod, is valid Avro and survives an Avro round trip unchanged', () => {
    const parsed = schema.parse(make());
    expect(type.isValid(parsed)).toBe(true);
    const decoded = type.fromBuffer(type.toBuffer(parsed));
    expect(schema.parse(decoded)).toEqual(parsed);
  });

  it('a record missing a required field is refused by both', () => {
    const record = schema.parse(make()) as Record<string, unknown>;
    const required = (avroSchemas[name].fields as { name: string; default?: unknown }[]).find((f) => !('default' in f))!;
    const { [required.name]: _dropped, ...rest } = record;
    expect(schema.safeParse(rest).success).toBe(false);
    expect(type.isValid(rest)).toBe(false);
  });

  it('a field of the wrong type is refused by both', () => {
    const record = { ...(schema.parse(make()) as Record<string, unknown>) };
    const first = (avroSchemas[name].fields as { name: string }[])[0]!.name;
    record[first] = 42;
    expect(schema.safeParse(record).success).toBe(false);
    expect(type.isValid(record)).toBe(false);
  });
});

describe('semantic rules beyond the Avro shape', () => {
  it('refuses an unknown enum symbol in both', () => {
    const step = { ...AgentStepSchema.parse(makeAgentStep()), kind: 'DANCE' };
    expect(AgentStepSchema.safeParse(step).success).toBe(false);
    expect(avroType('agentStep').isValid(step)).toBe(false);
  });

  it('refuses a TOOL_CALL without tool name, naming the field', () => {
    const result = AgentStepSchema.safeParse(makeAgentStep({ toolName: null }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['toolName']);
  });

  it('refuses parameters that are not a JSON object', () => {
    expect(AgentStepSchema.safeParse(makeAgentStep({ parametersJson: '[1,2]' })).success).toBe(false);
    expect(AgentStepSchema.safeParse(makeAgentStep({ parametersJson: '{oops' })).success).toBe(false);
  });

  it('refuses ids with a slash, which would break tenant-scoped keys', () => {
    expect(AgentStepSchema.safeParse(makeAgentStep({ tenantId: 'acme/other' })).success).toBe(false);
  });

  it('refuses a template whose slot parameter names no slot, or whose reference points forward', () => {
    const base = makeTemplate();
    const badSlot = { ...base, steps: [{ index: 0, toolName: 'lookup_order', params: [{ path: 'x', kind: 'SLOT' as const, slotName: 'nope' }] }], signature: ['lookup_order'] };
    expect(TemplateSchema.safeParse(badSlot).success).toBe(false);
    const forward = { ...base, steps: [{ index: 0, toolName: 'lookup_order', params: [{ path: 'x', kind: 'STEP_RESULT' as const, stepIndex: 0, resultPath: 'a' }] }], signature: ['lookup_order'] };
    expect(TemplateSchema.safeParse(forward).success).toBe(false);
  });

  it('carries loops, optional steps and sub-workflow markers through Avro unchanged', () => {
    const structured = TemplateSchema.parse(
      makeTemplate({
        name: 'list > get_item* > [notify]',
        signature: ['list_items', 'get_item', 'notify'],
        steps: [
          { index: 0, toolName: 'list_items', params: [{ path: 'orderId', kind: 'SLOT', slotName: 'orderId' }], segmentId: 'tpl-seg' },
          { index: 1, toolName: 'get_item', params: [{ path: 'id', kind: 'LOOP_ITEM', resultPath: 'id' }], loop: { overStepIndex: 0, overPath: 'items' } },
          { index: 2, toolName: 'notify', params: [{ path: 'to', kind: 'SLOT', slotName: 'orderId' }], optional: true, conditionJson: '{"whenSlot":"orderId"}' },
        ],
        structureFit: 0.9,
        partialSteps: 1,
      }),
    );
    expect(structured.steps[1]!.loop).toEqual({ overStepIndex: 0, overPath: 'items', overSlot: null, overWhere: null, maxIterations: 100 });
    const type = avroType('template');
    expect(type.isValid(structured)).toBe(true);
    expect(TemplateSchema.parse(type.fromBuffer(type.toBuffer(structured)))).toEqual(structured);
  });

  it('reads a template step written before loops and optional steps existed', () => {
    const old = TemplateSchema.parse(makeTemplate());
    expect(old.steps[0]).toMatchObject({ loop: null, optional: false, conditionJson: null, segmentId: null });
    expect(old).toMatchObject({ structureFit: null, partialSteps: null });
  });

  it('refuses a loop item outside a loop, a loop over a later step or an unknown slot, and a condition on a required step', () => {
    const base = makeTemplate();
    const step = (extra: Record<string, unknown>) => ({ ...base, steps: [base.steps![0]!, { index: 1, toolName: 'get_tracking', params: [], ...extra }] });
    expect(TemplateSchema.safeParse(step({ params: [{ path: 'id', kind: 'LOOP_ITEM', resultPath: 'id' }] })).success).toBe(false);
    expect(TemplateSchema.safeParse(step({ loop: { overStepIndex: 1, overPath: '' } })).success).toBe(false);
    expect(TemplateSchema.safeParse(step({ loop: { overSlot: 'nope' } })).success).toBe(false);
    expect(TemplateSchema.safeParse(step({ loop: { overStepIndex: 0, overPath: 'a', overSlot: 'orderId' } })).success).toBe(false);
    expect(TemplateSchema.safeParse(step({ conditionJson: '{"whenSlot":"orderId"}' })).success).toBe(false);
    expect(TemplateSchema.safeParse(step({ optional: true, conditionJson: '{"whenSlot":"nope"}' })).success).toBe(false);
    expect(TemplateSchema.safeParse(step({ optional: true, conditionJson: 'yes' })).success).toBe(false);
    expect(TemplateSchema.safeParse({ ...base, partialSteps: 3 }).success).toBe(false);
  });

  it('carries value transforms and query forms, and reads templates written before them with null defaults', () => {
    const base = makeTemplate();
    const withTransform = TemplateSchema.parse({
      ...base,
      steps: base.steps.map((s, i) => (i === 0 ? { ...s, params: s.params.map((p) => (p.kind === 'SLOT' ? { ...p, transform: 'strip_punctuation|upper' } : p)) } : s)),
      slots: base.slots.map((s) => ({ ...s, queryForm: 'token' })),
    });
    expect(avroType('template').isValid(withTransform)).toBe(true);
    expect(withTransform.slots[0]?.queryForm).toBe('token');
    const old = JSON.parse(JSON.stringify(base)) as { steps: { params: Record<string, unknown>[] }[]; slots: Record<string, unknown>[] };
    for (const step of old.steps) for (const p of step.params) delete p.transform;
    for (const s of old.slots) delete s.queryForm;
    const parsed = TemplateSchema.parse(old);
    expect(parsed.steps[0]?.params.every((p) => p.transform === null)).toBe(true);
    expect(parsed.slots.every((s) => s.queryForm === null)).toBe(true);
    expect(TemplateSchema.safeParse({ ...base, slots: base.slots.map((s) => ({ ...s, queryForm: 'sentence' })) }).success).toBe(false);
    expect(TemplateSchema.safeParse({ ...base, steps: base.steps.map((s) => ({ ...s, params: s.params.map((p) => ({ ...p, transform: 'Not A Transform!' })) })) }).success).toBe(false);
  });

  it('carries element selectors on step results and dataflow links, and reads records written before them', () => {
    const base = makeTemplate();
    const selecting = (select: string | null, resultPath: string) => ({
      ...base,
      steps: base.steps.map((s) => ({ ...s, params: s.params.map((p) => (p.kind === 'STEP_RESULT' ? { ...p, resultPath, select } : p)) })),
    });
    const parsed = TemplateSchema.parse(selecting('max:sent_datetime', 'order.*.id'));
    expect(avroType('template').isValid(parsed)).toBe(true);
    expect(parsed.steps[1]?.params.find((p) => p.kind === 'STEP_RESULT')?.select).toBe('max:sent_datetime');
    expect(TemplateSchema.parse(base).steps[1]?.params.find((p) => p.kind === 'STEP_RESULT')?.select).toBeNull();
    // a selector needs the * segment it fills, and is one of the four rules
    expect(TemplateSchema.safeParse(selecting('last', 'order.0.id')).success).toBe(false);
    expect(TemplateSchema.safeParse(selecting('median:price', 'order.*.id')).success).toBe(false);

    const trajectory = makeTrajectory();
    const linked = TrajectorySchema.parse({ ...trajectory, steps: trajectory.steps.map((s) => ({ ...s, dataflow: (s.dataflow ?? []).map((d) => (d.origin === 'STEP_RESULT' ? { ...d, select: ['last', 'max:sent_datetime'] } : d)) })) });
    expect(avroType('trajectory').isValid(linked)).toBe(true);
    expect(TrajectorySchema.parse(trajectory).steps.flatMap((s) => s.dataflow).every((d) => Array.isArray(d.select) && d.select.length === 0)).toBe(true);
  });

  it('refuses an EXECUTION feedback without its execution record', () => {
    expect(FeedbackSchema.safeParse(makeFeedback({ execution: null })).success).toBe(false);
  });

  it('accepts a record written before the optional fields existed (defaults fill them)', () => {
    const minimal = { eventId: 'e1', tenantId: 't', agentId: 'a', sessionId: 's', seq: 0, kind: 'QUERY', timestampMs: Date.UTC(2026, 0, 1), query: 'hi' };
    const parsed = AgentStepSchema.parse(minimal);
    expect(parsed.attributes).toEqual({});
    expect(parsed.status).toBe('OK');
    expect(avroType('agentStep').isValid(parsed)).toBe(true);
  });
});
