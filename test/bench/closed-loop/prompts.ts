// The prompts each strategy sends. Planning (ReAct style, one call per tool step): a system
// prompt with the agent's whole tool registry, the query and its context, then the history
// of calls with their results or errors. Rewrite: the router's own generation prompt, which
// holds only the variable nodes. Reuse sends none.
import type { SlotToGenerate } from '@praxis/contracts';
import type { AgentDef } from '@praxis/fleet';
import { GENERATION_SYSTEM_PROMPT, generationPrompt, retryPrompt } from '@praxis/router';
import type { ChatMessage } from './tokens.js';

/** One call the agent made, as it sees it afterwards. */
export interface HistoryEntry {
  tool: string;
  params: Record<string, unknown>;
  ok: boolean;
  result?: unknown;
  error?: { type: string; message: string };
}

const PLANNER_INSTRUCTIONS = [
  'You are {description}. Solve the user\'s request by calling the tools below, one call per turn.',
  'Answer with a single JSON object and nothing else: {"tool": "<name>", "arguments": {...}} for the next call,',
  'with arguments that satisfy the tool\'s JSON Schema, or {"final": "<answer>"} when the request is done.',
  'After each call you get its result or its error. When a call fails, read the error and fix the call.',
].join(' ');

/** The agent's tool registry as the planner sees it: names, descriptions and JSON Schemas. */
export function registryText(agent: AgentDef): string {
  return JSON.stringify(agent.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })));
}

/** The planner's system message: instructions and the whole registry. */
export function plannerSystem(agent: AgentDef): string {
  return `${PLANNER_INSTRUCTIONS.replace('{description}', `an assistant that ${agent.description.charAt(0).toLowerCase()}${agent.description.slice(1)}`)}\n\nTools:\n${registryText(agent)}`;
}

/** The completion of a planning call: the JSON of the next call. */
export function callText(tool: string, params: Record<string, unknown>): string {
  return JSON.stringify({ tool, arguments: params });
}

/** The completion of a planning call that gives up. */
export const GIVE_UP_TEXT = JSON.stringify({ final: 'I could not complete this request.' });

/** What the agent reads after a call. */
export function observationText(entry: HistoryEntry): string {
  return entry.ok ? `Result: ${JSON.stringify(entry.result)}` : `Error (${entry.error!.type}): ${entry.error!.message}`;
}

/** The request as the user message: the query, and the context the caller knows. */
export function requestText(query: string, context: Record<string, unknown>): string {
  return Object.keys(context).length > 0 ? `${query}\n\nContext: ${JSON.stringify(context)}` : query;
}

/** The prompt of one planning call: system (with the registry), request, then every earlier call and what came back. */
export function planningMessages(agent: AgentDef, query: string, context: Record<string, unknown>, history: readonly HistoryEntry[]): ChatMessage[] {
  return [
    { role: 'system', content: plannerSystem(agent) },
    { role: 'user', content: requestText(query, context) },
    ...history.flatMap((h): ChatMessage[] => [
      { role: 'assistant', content: callText(h.tool, h.params) },
      { role: 'user', content: observationText(h) },
    ]),
  ];
}

/** One refused generation: the answer the model gave and the problems sent back. */
export interface RefusedAnswer {
  answer: string;
  problems: string[];
}

/** The prompt of a generation attempt, as the router's generator builds it: only the variable nodes, then each refused answer with its problems. */
export function generationMessages(query: string, slots: SlotToGenerate[], refused: readonly RefusedAnswer[]): ChatMessage[] {
  return [
    { role: 'system', content: GENERATION_SYSTEM_PROMPT },
    { role: 'user', content: generationPrompt({ query, slots }) },
    ...refused.flatMap((r): ChatMessage[] => [
      { role: 'assistant', content: r.answer },
      { role: 'user', content: retryPrompt(r.problems) },
    ]),
  ];
}
