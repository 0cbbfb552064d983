// Induction: align the instances of a structure and decide, for every parameter of every
// step, whether it is a constant, a typed slot (from the query, the caller's context, or
// generated), a binding to an earlier step's result, or the element of the step's loop.
// Optional steps are induced from the instances that made them.
import { ADD_DURATION, COMPARISON_PATTERN, KNOWN_VALUE_FORM, comparisonSpans, elementRules, durationMs, durationSpans, joinPath, SELECTED_ELEMENT, selectorWord, selectorWordFilter, splitPath, stableStringify, withSelectorWord, type JsonPrimitive } from '@praxis/core';
import { loopWhereText, type Slot, type TemplateLoop, type TemplateParam, type TemplateStep } from '@praxis/schemas';
import { COMPARISON_SLOT, type ConditionalStep } from './conditions.js';
import type { StructureStep } from './kinds.js';
import { induceLoop, loopWordFilter, structureStepOf, type LoopDecision } from './loops.js';
import type { InducerPolicy } from './policy.js';
import { constantDateReading, nowBoundReading, stepResultType, transformedQuerySlot, unifiedNumberType } from './binding.js';
import { queryOrConstantReading } from './query-or-constant.js';
import { schemaOf } from './slot-schema.js';
import { selectSlotExamples } from './examples.js';
import { namedValueReading } from './named-values.js';
import type { InstanceStep, TrajectorySummary } from './summary.js';

/**
 * A structure occurrence: the trajectory and, per structure step, the trajectory step index
 * of its (first) call, -1 when the run skipped it, and of each of its calls (loops).
 */
export interface Instance {
  summary: TrajectorySummary;
  at: number[];
  iters: number[][];
}

/** An instance of a plain sequence (every step called once, at these trajectory steps). */
export const plainInstance = (summary: TrajectorySummary, at: number[]): Instance => ({ summary, at, iters: at.map((p) => (p >= 0 ? [p] : [])) });

/** Structure steps of a plain sequence of calls. */
export const plainSteps = (signature: readonly string[]): StructureStep[] => signature.map((tool) => ({ tool, optional: false, repeated: false }));

export interface InducedBody {
  steps: TemplateStep[];
  slots: Slot[];
}

type Decision =
  | { kind: 'CONSTANT'; value: JsonPrimitive }
  | { kind: 'STEP_RESULT'; stepIndex: number; resultPath: string; transform?: string | null; select?: string | null; words?: (string | undefined)[] }
  | { kind: 'SLOT'; source: Slot['source']; values: (JsonPrimitive | undefined)[]; transform?: string | null; form?: Slot['queryForm']; fallback?: JsonPrimitive };

const stepOf = (inst: Instance, k: number): InstanceStep => inst.summary.steps[inst.at[k]!]!;

/** The link transform the segmenter records for an earlier date-time plus a duration the query writes (segmenter date-plus-duration.ts). */
const ADD_QUERY_DURATION = 'add_query_duration';

/** The first duration the query writes, as written (the slot holds it as read; `add_duration:` reads it). */
function writtenDuration(query: string | null): string | undefined {
  return durationSpans(query ?? '').find((d) => durationMs(d.value) !== null)?.value;
}

/**
 * A call outside the structure that repeats the look-up of an earlier structure step (the
 * agent searched again before it acted): the value came from that look-up's result, which the
 * template makes once. The latest structure step before `k` of the same tool, or null.
 */
function repeatedLookUp(inst: Instance, trajectoryIndex: number, k: number): { step: number; iteration: number } | null {
  const tool = inst.summary.steps[trajectoryIndex]?.toolName;
  if (tool === undefined) return null;
  for (let m = k - 1; m >= 0; m--) {
    const at = inst.at[m]!;
    if (at >= 0 && at < trajectoryIndex && inst.summary.steps[at]!.toolName === tool) return { step: m, iteration: 0 };
  }
  return null;
}

/** A result path with its deepest array index replaced by the chosen-element segment, or null when it goes through no array. */
function selectedPath(path: string): string | null {
  const segments = splitPath(path);
  for (let q = segments.length - 1; q >= 0; q--) if (/^\d+$/.test(segments[q]!)) return joinPath([...segments.slice(0, q), SELECTED_ELEMENT, ...segments.slice(q + 1)]);
  return null;
}

const ruleRank = (rule: string | null) => (rule === null ? 0 : rule === 'first' || rule === 'last' ? 1 : selectorWord(rule) !== null ? 4 : rule.includes('@') ? 3 : 2);

/** What a rule that filters by a word of the query votes as: the rule without its word (each run's word is its own query's). */
const ANY_WORD = '\u0001';

/**
 * The binding enough instances agree on, or null. Among those that qualify: the query first
 * (it is where the value came from, even when a lookup echoes it), then the most agreed, the
 * nearest earlier step, the shortest path, a fixed
 * index before a rule that chooses the element (first/last, then a field's extreme).
 */
function agreedSource(instances: readonly Instance[], k: number, path: string, present: number, agreement: number, loops: readonly (LoopDecision | null)[]): Decision | null {
  const votes = new Map<string, { count: number; m: number; path: string; transform: string | null; select: string | null }>();
  // per vote of a rule that filters by a word, each instance's word
  const words = new Map<string, (string | undefined)[]>();
  for (const [i, inst] of instances.entries()) {
    if (inst.at[k]! < 0) continue;
    const step = stepOf(inst, k);
    const mine = new Set<string>();
    for (const source of step.dataflow) {
      if (source.paramPath !== path) continue;
      if (source.origin === 'QUERY') mine.add('Q');
      else if (source.stepIndex !== null && source.path !== null) {
        const from = structureStepOf(inst, source.stepIndex) ?? repeatedLookUp(inst, source.stepIndex, k);
        if (!from || from.step >= k) continue;
        // a loop step's result is the array of its iterations' results
        const prefix = loops[from.step] ? `${from.iteration}.` : '';
        mine.add(`S\u0000${from.step}\u0000${prefix}${source.path}\u0000${source.transform ?? ''}\u0000`);
        // the element the value came from, chosen by a rule rather than by its index (element-select)
        const selected = selectedPath(source.path);
        if (selected !== null)
          for (const rule of elementRules(source.select)) {
            const word = selectorWord(rule);
            const key = `S\u0000${from.step}\u0000${prefix}${selected}\u0000${source.transform ?? ''}\u0000${word === null ? rule : withSelectorWord(rule, ANY_WORD)}`;
            if (word !== null) {
              const perInstance = words.get(key) ?? new Array<string | undefined>(instances.length).fill(undefined);
              perInstance[i] ??= word;
              words.set(key, perInstance);
            }
            mine.add(key);
          }
      }
    }
    for (const key of mine) {
      const [, m, p, t, rule] = key.split('\u0000');
      const vote = votes.get(key) ?? { count: 0, m: key === 'Q' ? Number.POSITIVE_INFINITY : Number(m), path: p ?? '', transform: t || null, select: rule || null };
      vote.count++;
      votes.set(key, vote);
    }
  }
  const ranked = [...votes.entries()]
    .filter(([, v]) => v.count >= agreement * present)
    // a fixed index before a rule, position before a field's extreme (the simpler reading on a tie)
    .sort(([ka, a], [kb, b]) => Number(kb === 'Q') - Number(ka === 'Q') || b.count - a.count || b.m - a.m || a.path.length - b.path.length || ruleRank(a.select) - ruleRank(b.select) || (ka < kb ? -1 : ka > kb ? 1 : 0));
  const best = ranked[0];
  if (!best) return null;
  if (best[0] === 'Q') return { kind: 'SLOT', source: 'QUERY', values: [] };
  const perInstance = words.get(best[0]);
  return { kind: 'STEP_RESULT', stepIndex: best[1].m, resultPath: best[1].path, transform: best[1].transform, select: best[1].select, ...(perInstance ? { words: perInstance } : {}) };
}

/**
 * Whether a parameter's values are the caller's: one value within each session (over the
 * instances that pass one, `undefined` for none), seen in two runs of one session at least.
 * Such a value is a context slot, and never defines a sub-kind (partition.ts).
 */
export function oneValuePerSession(instances: readonly Instance[], values: readonly (string | undefined)[]): boolean {
  const bySession = new Map<string, { values: Set<string>; runs: number }>();
  instances.forEach((inst, i) => {
    if (values[i] === undefined) return;
    const s = bySession.get(inst.summary.sessionId) ?? { values: new Set<string>(), runs: 0 };
    s.values.add(values[i]!);
    s.runs++;
    bySession.set(inst.summary.sessionId, s);
  });
  const sessions = [...bySession.values()];
  return sessions.some((s) => s.runs >= 2) && sessions.every((s) => s.values.size === 1);
}

/** CONTEXT when the value stays the same within each session (seen twice in one at least) and differs between sessions, GENERATED otherwise. */
function contextOrGenerated(instances: readonly Instance[], values: readonly (JsonPrimitive | undefined)[]): Slot['source'] {
  const keys = values.map((v) => (v === undefined ? undefined : JSON.stringify(v)));
  const varies = new Set(keys.filter((k) => k !== undefined)).size > 1;
  return varies && oneValuePerSession(instances, keys) ? 'CONTEXT' : 'GENERATED';
}

/** Parameter paths of a step across the instances that made it, in the order of the most recent one, then the rest sorted. */
function pathsOf(instances: readonly Instance[], k: number): string[] {
  const making = instances.filter((i) => i.at[k]! >= 0);
  if (making.length === 0) return [];
  const first = [...stepOf(making[0]!, k).values.keys()];
  const rest = new Set<string>();
  for (const inst of making) for (const p of stepOf(inst, k).values.keys()) if (!first.includes(p)) rest.add(p);
  return [...first, ...[...rest].sort()];
}

/** The most frequent present value and how many instances carry it. */
function mostCommon(values: readonly (JsonPrimitive | undefined)[]): { value: JsonPrimitive; count: number } | null {
  const counts = new Map<string, { value: JsonPrimitive; count: number }>();
  for (const v of values) {
    if (v === undefined) continue;
    const key = stableStringify(v);
    const c = counts.get(key) ?? { value: v, count: 0 };
    c.count++;
    counts.set(key, c);
  }
  return [...counts.entries()].sort(([ka, a], [kb, b]) => b.count - a.count || (ka < kb ? -1 : 1))[0]?.[1] ?? null;
}

/** Whether two parameters carry equal values in at least `share` of the instances where both are present. */
function sameValues(a: readonly (JsonPrimitive | undefined)[], b: readonly (JsonPrimitive | undefined)[], share: number): boolean {
  let both = 0;
  let equal = 0;
  a.forEach((v, i) => {
    if (v === undefined || b[i] === undefined) return;
    both++;
    if (stableStringify(v) === stableStringify(b[i])) equal++;
  });
  return both > 0 && equal >= share * both;
}

/**
 * Whether a value is carried by enough of the distinct tasks, not only of the runs: several
 * agents' runs of one task all pass that task's values, which makes a task's value look like a
 * constant when one task has most of the runs.
 */
function sharedByTasks(instances: readonly Instance[], values: readonly (JsonPrimitive | undefined)[], value: JsonPrimitive, share: number): boolean {
  const tasks = new Set<string>();
  const carrying = new Set<string>();
  const key = stableStringify(value);
  values.forEach((v, i) => {
    if (v === undefined) return;
    const task = instances[i]!.summary.taskKey;
    tasks.add(task);
    if (stableStringify(v) === key) carrying.add(task);
  });
  return carrying.size >= share * tasks.size;
}

/** Examples a list slot keeps (each a run's list): more than a value slot's five, since the router reads each position's element by where the examples' elements sat. */
const LIST_EXAMPLES = 12;

const slotBaseName = (path: string) => {
  const segments = path.split('.').filter((s) => !/^\d+$/.test(s));
  return (segments[segments.length - 1] ?? 'value').replace(/[^A-Za-z0-9_]/g, '_') || 'value';
};

/**
 * Induces the steps and slots of a template from its successful instances (most recent
 * first). Parameters seen in fewer than half of the instances that made the step are left
 * out. A repeated step becomes a loop when its calls go over a collection (loops.ts).
 */
export function induceBody(structure: readonly ConditionalStep[], instances: readonly Instance[], policy: InducerPolicy): InducedBody {
  const slotsByValues = new Map<string, { name: string; source: Slot['source']; perInstance: (JsonPrimitive | undefined)[]; values: JsonPrimitive[]; required: boolean; where: string; schema?: Record<string, unknown>; queryForm: Slot['queryForm']; examples?: string[] }>();
  const usedNames = new Set<string>();
  const loops: (LoopDecision | null)[] = [];
  const newSlotName = (path: string, k: number) => {
    let name = slotBaseName(path);
    if (usedNames.has(name)) name = `${name}_${k}`;
    for (let n = 2; usedNames.has(name); n++) name = `${slotBaseName(path)}_${k}_${n}`;
    usedNames.add(name);
    return name;
  };
  /** The query slot of a word an element rule or a loop filters by (each run's word): one with the same values, else a new one. */
  const wordSlot = (perInstance: (string | undefined)[], field: string, k: number, where: string, optional: boolean): string => {
    const same = [...slotsByValues.values()].find((s) => s.source === 'QUERY' && s.schema === undefined && s.queryForm === null && sameValues(s.perInstance, perInstance, policy.bindingAgreement));
    if (same) return same.name;
    const name = newSlotName(`${field}_word`, k);
    slotsByValues.set(name, { name, source: 'QUERY', perInstance, values: perInstance.filter((v): v is string => v !== undefined), required: !optional, where, queryForm: null });
    return name;
  };
  const steps: TemplateStep[] = structure.map(({ tool: toolName, optional }, k) => {
    const making = instances.filter((i) => i.at[k]! >= 0);
    const params: TemplateParam[] = [];
    const learned = structure[k]!.condition;
    if (making.length === 0) return { index: k, toolName, params, paramShapeHash: null, resultShapeHash: null, loop: null, optional, conditionJson: learned ? JSON.stringify(learned) : null, segmentId: null };
    const paths = pathsOf(instances, k);
    let loopDecision = structure[k]!.repeated ? induceLoop(making, k, paths, policy.bindingAgreement, (m) => loops[m] != null) : null;
    // a list the query never wrote (the agents chose its values): a constant list when the runs agree on one, else
    // left out when successful runs made the step without it (as any parameter, rule 5 of "Binding"); else made up
    const droppedParams = new Set<string>();
    let constantList: string | undefined;
    if (loopDecision?.over === 'list' && !loopDecision.fromQuery) {
      const param = loopDecision.param;
      const lists = instances.map((inst) => (inst.at[k]! >= 0 ? JSON.stringify(inst.iters[k]!.map((t) => inst.summary.steps[t]!.values.get(param) ?? null)) : undefined));
      const common = mostCommon(lists);
      if (common && common.count >= policy.constantAgreement * making.length && sharedByTasks(instances, lists, common.value, policy.constantAgreement)) constantList = String(common.value);
      else if (making.some((inst) => inst.summary.success && inst.iters[k]!.some((t) => !inst.summary.steps[t]!.values.has(param)))) {
        droppedParams.add(param);
        loopDecision = null;
      }
    }
    loops.push(loopDecision);
    let loop: TemplateLoop | null = null;
    if (loopDecision?.over === 'step') {
      // over the elements whose field has the word the query names, when every element the runs went over had it
      const filter = loopWordFilter(instances, k, loopDecision, policy.bindingAgreement);
      const whereSlot = filter ? wordSlot(filter.words, filter.field, k, `the loop of ${toolName}`, optional) : null;
      loop = { overStepIndex: loopDecision.stepIndex, overPath: loopDecision.path, overSlot: null, maxIterations: 100, ...(filter && whereSlot ? { overWhere: loopWhereText({ field: filter.field, slot: whereSlot }) } : {}) };
      for (const [path, elementPath] of loopDecision.items) params.push({ path, kind: 'LOOP_ITEM', valueJson: null, slotName: null, stepIndex: null, resultPath: elementPath });
    } else if (loopDecision?.over === 'list') {
      const name = newSlotName(`${loopDecision.param}_list`, k);
      const all = loopDecision.values.flat();
      const perInstance = instances.map((inst) => (inst.at[k]! >= 0 ? JSON.stringify(inst.iters[k]!.map((t) => inst.summary.steps[t]!.values.get(loopDecision.param))) : undefined));
      // a list from the query keeps its runs' lists as examples: the router finds their elements by their place (anchors.ts)
      const examples = loopDecision.fromQuery ? [...new Set(loopDecision.values.filter((l) => l.length > 0).map((l) => JSON.stringify(l)))].slice(0, LIST_EXAMPLES) : [];
      const schema = { type: 'array', items: schemaOf(all, loopDecision.fromQuery ? policy.maxEnumValues : 0), ...(constantList !== undefined ? { default: JSON.parse(constantList) as unknown } : {}) };
      slotsByValues.set(name, { name, source: loopDecision.fromQuery ? 'QUERY' : 'GENERATED', perInstance, values: [], required: !optional && constantList === undefined, where: `${toolName}.${loopDecision.param}`, queryForm: null, schema, examples });
      loop = { overStepIndex: null, overPath: null, overSlot: name, maxIterations: 100 };
      params.push({ path: loopDecision.param, kind: 'LOOP_ITEM', valueJson: null, slotName: null, stepIndex: null, resultPath: '' });
    }
    const looped = new Set([...params.map((p) => p.path), ...droppedParams]);
    for (const path of paths) {
      if (looped.has(path)) continue;
      const values = instances.map((inst) => (inst.at[k]! >= 0 ? stepOf(inst, k).values.get(path) : undefined));
      const present = values.filter((v) => v !== undefined).length;
      if (present * 2 < making.length) continue;
      let decision: Decision;
      let knownValues: string[] | undefined;
      const common = mostCommon(values);
      const dated = common && common.count >= policy.constantAgreement * making.length ? constantDateReading(instances, values, policy.constantAgreement, policy.timeZone ?? null) : null;
      if (dated) decision = { kind: 'SLOT', source: 'QUERY', ...dated };
      else if (common && common.count >= policy.constantAgreement * making.length && sharedByTasks(instances, values, common.value, policy.constantAgreement)) decision = { kind: 'CONSTANT', value: common.value };
      else {
        const agreed = agreedSource(instances, k, path, present, policy.bindingAgreement, loops);
        // what the query says beats an element a rule chose (as the query beats a verbatim step result)
        const derived = agreed === null || agreed.kind === 'SLOT' || (agreed.kind === 'STEP_RESULT' && agreed.select) ? transformedQuerySlot(instances, values, policy.bindingAgreement, policy.timeZone ?? null, agreed?.kind === 'SLOT') : null;
        // a parameter successful runs did without, whose values agree on no source: the template does without it too
        // (a bound some agents added and others left out is not a value to make up)
        if (!derived && !agreed && present < making.length && making.some((inst) => inst.summary.success && !stepOf(inst, k).values.has(path))) continue;
        // a bound "up to now" the runs wrote as the task's day or the day before: one reading of the task's time
        const now = derived || agreed ? null : nowBoundReading(instances, values, policy.timeZone ?? null);
        // the query's value when it names one, else the one value the other runs passed
        const either = derived || agreed || now ? null : queryOrConstantReading(instances, k, path, values);
        decision = (derived ? { kind: 'SLOT', source: 'QUERY', ...derived } : now ? { kind: 'SLOT', source: 'QUERY', ...now } : either ? { kind: 'SLOT', source: 'QUERY', values: [], fallback: either.fallback } : agreed) ?? { kind: 'SLOT', source: contextOrGenerated(making, values.filter((_, i) => instances[i]!.at[k]! >= 0)), values: [] };
        // made up from a word of the query ("for ines" -> an address): the values seen, one of which a new query names
        if (decision.kind === 'SLOT' && decision.source === 'GENERATED') {
          const named = namedValueReading(instances, values, policy.bindingAgreement);
          if (named) [decision.form, knownValues] = [KNOWN_VALUE_FORM, named.examples];
        }
      }
      // the slot holds the value as read (the query's form); the parameter says how the tool takes it
      let slotValues = values;
      if (decision.kind === 'SLOT' && decision.values.length > 0) slotValues = decision.values;
      else if (decision.kind === 'SLOT') {
        const unified = unifiedNumberType(values);
        if (unified) [slotValues, decision.transform] = [unified.values, unified.transform];
      }
      const transform = decision.kind === 'SLOT' ? (decision.transform ?? null) : null;

      if (decision.kind === 'STEP_RESULT' && decision.words && decision.select) {
        // the elements whose field has a word of the query: the word is a query slot the rule names (`first@from~<slot>`)
        const field = selectorWordFilter(decision.select)?.field ?? 'value';
        decision.select = withSelectorWord(decision.select, wordSlot(decision.words, field, k, `${toolName}.${path}`, optional));
      }
      if (decision.kind === 'CONSTANT') {
        params.push({ path, kind: 'CONSTANT', valueJson: JSON.stringify(decision.value), slotName: null, stepIndex: null, resultPath: null, transform: null });
      } else if (decision.kind === 'STEP_RESULT' && decision.transform === ADD_QUERY_DURATION) {
        // an earlier date-time plus the duration the query writes: the duration is a query slot the transform names
        const name = newSlotName(`${path}_duration`, k);
        const perInstance = instances.map((inst, i) => (values[i] === undefined ? undefined : writtenDuration(inst.summary.query)));
        slotsByValues.set(name, { name, source: 'QUERY', perInstance, values: perInstance.filter((v): v is string => v !== undefined), required: !optional, where: `${toolName}.${path}`, queryForm: 'duration' });
        params.push({ path, kind: 'STEP_RESULT', valueJson: null, slotName: null, stepIndex: decision.stepIndex, resultPath: decision.resultPath, transform: `${ADD_DURATION}${name}`, select: decision.select ?? null });
      } else if (decision.kind === 'STEP_RESULT') {
        params.push({ path, kind: 'STEP_RESULT', valueJson: null, slotName: null, stepIndex: decision.stepIndex, resultPath: decision.resultPath, transform: decision.transform ?? stepResultType(values), select: decision.select ?? null });
      } else {
        // Parameters that carry the same value (in enough instances) share one slot.
        let slot = decision.fallback !== undefined ? undefined : [...slotsByValues.values()].find((s) => s.schema === undefined && s.queryForm === (decision.form ?? null) && sameValues(s.perInstance, slotValues, policy.bindingAgreement));
        if (!slot) {
          const name = newSlotName(path, k);
          const seen = slotValues.filter((v): v is JsonPrimitive => v !== undefined);
          // a slot with a fallback is not required: the router binds its default when the query names no value
          const schema = decision.fallback !== undefined ? { ...schemaOf(seen, policy.maxEnumValues), default: decision.fallback } : undefined;
          slot = { name, source: decision.source, perInstance: slotValues, values: seen, required: !optional && present === making.length && schema === undefined, where: `${toolName}.${path}`, queryForm: decision.form ?? null, ...(schema ? { schema } : {}), ...(knownValues ? { examples: knownValues } : {}) };
          slotsByValues.set(name, slot);
        } else {
          if (slot.source !== 'QUERY' && (decision.source === 'QUERY' || (decision.source === 'CONTEXT' && slot.source === 'GENERATED'))) slot.source = decision.source;
          // a slot a required step takes is required even when an optional step took it first
          if (!optional && present === making.length) slot.required = true;
        }
        params.push({ path, kind: 'SLOT', valueJson: null, slotName: slot.name, stepIndex: null, resultPath: null, transform });
      }
    }
    const latest = stepOf(making[0]!, k);
    // an optional step whose query value decides it runs when the query has that value
    const querySlot = optional ? params.find((p) => p.kind === 'SLOT' && slotsByValues.get(p.slotName!)?.source === 'QUERY')?.slotName : undefined;
    return {
      index: k,
      toolName,
      params,
      paramShapeHash: latest.paramShapeHash,
      resultShapeHash: latest.resultShapeHash,
      loop,
      optional,
      // a condition on an earlier result (conditions.ts) says more than a slot that may be given either way
      conditionJson: learned ? JSON.stringify(learned) : querySlot ? JSON.stringify({ whenSlot: querySlot }) : null,
      segmentId: null,
    };
  });

  // a condition on a slot that required steps take too would always hold: none then
  const takenByRequired = new Set(steps.filter((st) => !st.optional).flatMap((st) => st.params.filter((p) => p.kind === 'SLOT').map((p) => p.slotName)));
  // and a condition read on one call's result does not hold for a loop's list of results: the step's inputs decide then
  for (const st of steps) {
    if (!st.conditionJson) continue;
    const condition = JSON.parse(st.conditionJson) as { whenSlot?: string; whenResult?: { step: number }; whenValue?: { step: number } };
    const on = condition.whenResult ?? condition.whenValue;
    if ((condition.whenSlot !== undefined && takenByRequired.has(condition.whenSlot)) || (on !== undefined && steps[on.step]?.loop)) st.conditionJson = null;
  }

  // a value condition reads the query's comparison from a slot of its own (conditions.ts)
  // (a parameter's slot of that name would be read as the comparison: the steps run on their inputs then)
  const valueConditioned = steps.filter((st) => st.conditionJson?.includes('"whenValue"'));
  if (usedNames.has(COMPARISON_SLOT)) for (const st of valueConditioned) st.conditionJson = null;
  const comparing = usedNames.has(COMPARISON_SLOT) ? undefined : valueConditioned[0];
  if (comparing) {
    const perInstance = instances.map((inst) => (inst.summary.query ? comparisonSpans(inst.summary.query)[0]?.value : undefined));
    const values = perInstance.filter((v): v is string => v !== undefined);
    slotsByValues.set(COMPARISON_SLOT, { name: COMPARISON_SLOT, source: 'QUERY', perInstance, values, required: true, where: `the condition of ${comparing.toolName}`, queryForm: 'comparison', schema: { type: 'string', pattern: COMPARISON_PATTERN } });
  }

  const describe = (source: Slot['source'], where: string, form: Slot['queryForm']) =>
    source === 'QUERY' ? `Written in the query (first used by ${where})` : source === 'CONTEXT' ? `Known to the caller, stable within a session (${where})` : form === KNOWN_VALUE_FORM ? `A value seen before that a word of the query names (${where})` : `Made up for each run (${where})`;
  const slots: Slot[] = [...slotsByValues.values()].map((s) => ({
    name: s.name,
    // a caller's values (CONTEXT) and made-up text (GENERATED) are open-ended: never an enum
    schemaJson: JSON.stringify(s.schema ?? schemaOf(s.values, s.source === 'QUERY' ? policy.maxEnumValues : 0)),
    required: s.required,
    source: s.source,
    description: describe(s.source, s.where, s.queryForm),
    // a query slot shows a value of each phrasing first, so the router finds it in each phrasing the trigger examples show
    examplesJson: s.examples ?? (s.source === 'QUERY' ? selectSlotExamples(instances, s.perInstance) : [...new Set(s.values.map((v) => JSON.stringify(v)))].slice(0, 5)),
    queryForm: s.queryForm,
  }));
  return { steps, slots };
}
