// Generation of the variable nodes a lookup could not bind, through an OpenAI-compatible
// chat endpoint. The prompt holds the query and only the variable nodes (names,
// descriptions, JSON Schemas, examples), never the workflow; the answer is validated
// against each schema; up to `attempts` tries, then the slots are returned unfilled.
import type { SlotToGenerate } from '@praxis/contracts';
import OpenAI from 'openai';
import { schemaProblem } from '@praxis/core';

export interface GenerationRequest {
  query: string;
  slots: SlotToGenerate[];
}

export interface GenerationResult {
  /** Valid values by slot name (empty when every attempt failed). */
  values: Record<string, unknown>;
  attempts: number;
  /** What was wrong with each failed attempt. */
  errors: string[];
}

/** Fills variable nodes. */
export interface SlotGenerator {
  generate(request: GenerationRequest): Promise<GenerationResult>;
}

export interface OpenAIGeneratorOptions {
  baseURL: string;
  model: string;
  apiKey: string;
  timeoutMs?: number;
  attempts?: number;
}

/** The system message of every generation request. */
export const GENERATION_SYSTEM_PROMPT = [
  'You fill in the variable parameters of a tool workflow from a user request.',
  'Answer with a single JSON object. Its keys are exactly the variable names given; each value must satisfy that variable\'s JSON Schema.',
  'Use only what the request says or clearly implies. When a value cannot be determined, use null.',
].join(' ');

/** Checks a model's answer: null for every required slot filled with a valid value, else the problems. */
export function checkGenerated(slots: SlotToGenerate[], answer: unknown): { values: Record<string, unknown>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return { values, problems: ['the answer is not a JSON object'] };
  const given = answer as Record<string, unknown>;
  for (const slot of slots) {
    const value = given[slot.name];
    if (value === undefined || value === null) {
      if (slot.required) problems.push(`${slot.name}: missing`);
      continue;
    }
    const problem = schemaProblem(slot.schema, value);
    if (problem) problems.push(`${slot.name}: ${problem}`);
    else values[slot.name] = value;
  }
  const unknown = Object.keys(given).filter((k) => !slots.some((s) => s.name === k));
  if (unknown.length > 0) problems.push(`unexpected keys: ${unknown.join(', ')}`);
  return { values, problems };
}

/** The user message that sends a refused answer back with its problems (the next attempt). */
export function retryPrompt(problems: string[]): string {
  return `Fix these problems and answer with the whole JSON object again: ${problems.join('; ')}`;
}

/** The prompt's user message: the request and the variable nodes, nothing else. */
export function generationPrompt(request: GenerationRequest): string {
  return JSON.stringify({
    request: request.query,
    variables: request.slots.map((s) => ({ name: s.name, description: s.description, required: s.required, schema: s.schema, examples: s.examples.slice(0, 3) })),
  });
}

export class OpenAISlotGenerator implements SlotGenerator {
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAIGeneratorOptions) {
    this.client = new OpenAI({ baseURL: options.baseURL, apiKey: options.apiKey, timeout: options.timeoutMs ?? 15_000, maxRetries: 0 });
  }

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    const attempts = this.options.attempts ?? 3;
    const errors: string[] = [];
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: 'system', content: GENERATION_SYSTEM_PROMPT },
      { role: 'user', content: generationPrompt(request) },
    ];
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let content = '';
      try {
        const completion = await this.client.chat.completions.create({ model: this.options.model, messages, temperature: 0, response_format: { type: 'json_object' } });
        content = completion.choices[0]?.message?.content ?? '';
      } catch (error) {
        errors.push(`attempt ${attempt}: request failed: ${(error as Error).message}`);
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(content);
      } catch {
        errors.push(`attempt ${attempt}: not JSON`);
        messages.push({ role: 'assistant', content }, { role: 'user', content: 'That was not a JSON object. Answer with the JSON object only.' });
        continue;
      }
      const { values, problems } = checkGenerated(request.slots, parsed);
      if (problems.length === 0) return { values, attempts: attempt, errors };
      errors.push(`attempt ${attempt}: ${problems.join('; ')}`);
      messages.push({ role: 'assistant', content }, { role: 'user', content: retryPrompt(problems) });
    }
    return { values: {}, attempts, errors };
  }
}
