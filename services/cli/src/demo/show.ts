// How the demo prints what Praxis learned and answered: plain text, one idea per line.
import type { LookupResponse } from '@praxis/contracts';
import type { Template } from '@praxis/schemas';
import { conditionOf, describeCondition, type ProgressEvent } from '@praxis/sdk';

const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const num = (n: number) => n.toLocaleString('en-US');

/** "[type, format date]" from a slot's JSON Schema. */
function schemaSummary(schemaJson: string): string {
  const s = JSON.parse(schemaJson) as Record<string, unknown>;
  const parts = [String(s.type ?? 'any')];
  if (s.format) parts.push(`format ${String(s.format)}`);
  if (s.pattern) parts.push(`pattern ${String(s.pattern)}`);
  if (Array.isArray(s.enum)) parts.push(`one of ${s.enum.slice(0, 4).join('|')}${s.enum.length > 4 ? '|…' : ''}`);
  return `[${parts.join(', ')}]`;
}

/** A learned template: path, status, statistics, parameters with their sources, slots and hints. */
export function describeTemplate(t: Template): string[] {
  const lines = [
    `  ${t.agentId ?? '(all agents)'} · ${t.signature.join(' > ')}`,
    `    ${t.status}, confidence ${t.confidence.toFixed(2)}${t.belowThreshold ? ' (below threshold)' : ''}, from ${t.stats.support} runs (${t.stats.successes} succeeded), ${Math.round(t.stats.meanTokens)} LLM tokens per run when planned`,
  ];
  if (t.triggerExamples[0]) lines.push(`    e.g. "${clip(t.triggerExamples[0], 90)}"`);
  const slots = new Map(t.slots.map((s) => [s.name, s]));
  for (const step of t.steps) {
    const params = step.params.map((p) => {
      if (p.kind === 'CONSTANT') return `${p.path} = ${clip(p.valueJson ?? '', 24)}`;
      if (p.kind === 'STEP_RESULT') return `${p.path} <- step ${(p.stepIndex ?? 0) + 1} result .${p.resultPath}${p.select ? ` (* = the element ${p.select})` : ''}`;
      if (p.kind === 'LOOP_ITEM') return `${p.path} <- each element${p.resultPath ? ` .${p.resultPath}` : ''}`;
      const slot = slots.get(p.slotName ?? '');
      return `${p.path} <- ${slot?.source.toLowerCase() ?? 'slot'} ${p.slotName} ${slot ? schemaSummary(slot.schemaJson) : ''}`.trim();
    });
    const loop = step.loop ? ` for each of ${step.loop.overSlot ?? `step ${(step.loop.overStepIndex ?? 0) + 1} result .${step.loop.overPath ?? ''}`}` : '';
    const condition = conditionOf(step);
    const optional = step.optional ? (condition ? `(optional, when ${describeCondition(condition, 1)}) ` : '(optional) ') : '';
    lines.push(`    ${step.index + 1}. ${optional}${step.toolName}(${params.join('; ')})${loop}`);
  }
  for (const h of t.avoidanceHints.slice(0, 3)) lines.push(`    hint ${h.kind}: ${clip(h.description, 110)}`);
  return lines;
}

/** One row of the lookup table. */
export function describeLookup(query: string, answer: LookupResponse): string[] {
  const bound = answer.workflow ? Object.entries(answer.workflow.bindings).map(([k, v]) => `${k}=${clip(JSON.stringify(v), 24)}`) : [];
  const lines = [
    `  "${clip(query, 86)}"`,
    `    -> ${answer.tier.toUpperCase()}  similarity ${answer.similarity.toFixed(2)}${answer.confidence === null ? '' : `, confidence ${answer.confidence.toFixed(2)}`}${answer.workflow ? `, ${answer.workflow.name}` : ''}`,
    `       ${clip(answer.reason, 110)}`,
  ];
  if (bound.length) lines.push(`       bound: ${clip(bound.join(', '), 110)}`);
  if (answer.toGenerate.length) lines.push(`       to generate: ${answer.toGenerate.map((g) => g.name).join(', ')}`);
  if (answer.avoidanceHints.length) lines.push(`       avoidance hints: ${answer.avoidanceHints.length} (${[...new Set(answer.avoidanceHints.map((h) => h.kind))].join(', ')})`);
  return lines;
}

/** One line per executor progress event worth showing. */
export function describeProgress(event: ProgressEvent): string | null {
  switch (event.type) {
    case 'step_started':
      return `    step ${event.index + 1} ${event.toolName}(${clip(JSON.stringify(event.params), 80)})`;
    case 'step_retry':
      return `      retry after ${event.delayMs} ms: ${clip(event.error, 80)}`;
    case 'hint_applied':
      return `      hint ${event.kind}${event.preventive ? ' (before the call)' : ''}: ${clip(event.description, 90)}`;
    case 'step_failed':
      return `      failed: ${clip(event.error, 90)}`;
    case 'finished':
      return `    ${event.outcome}, ${event.stepsCompleted} steps completed`;
    default:
      return null;
  }
}

/** The progress line of the traffic phase. */
export function progressLine(elapsedMs: number, sent: number, total: number, c: { openSessions: number; trajectories: number; templates: { total: number; active: number }; rows: { steps: number; trajectories: number } }): string {
  const rate = elapsedMs > 0 ? Math.round((sent / elapsedMs) * 1000) : 0;
  return `  ${(elapsedMs / 1000).toFixed(1).padStart(5)} s  events ${num(sent)}/${num(total)} (${num(rate)}/s) · open sessions ${c.openSessions} · trajectories ${num(c.trajectories)} · templates ${c.templates.total} (${c.templates.active} active) · ClickHouse ${num(c.rows.steps)} steps, ${num(c.rows.trajectories)} trajectories`;
}
