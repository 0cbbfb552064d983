// The OpenAI chat-completions message list: assistant messages carry `tool_calls`
// ({id, function: {name, arguments: JSON text}}), `tool` messages the results by
// `tool_call_id`; the legacy `function_call` / role "function" pair is read too. A log holds
// one conversation per line, as a bare array of messages or an object with `messages`
// (and optionally task_id, id, model, outcome), the shape of fine-tuning and eval files.
import { argumentsObject, isPlainObject, makeCall, makeRun, resultValue, type ImportedRun, type ImportedToolCall } from './run.js';
import { conversationMeta, type ConversationOptions } from './conversation.js';
import { errorFromText } from './tool-error.js';

/** Text of a message's content: a string, or the text of its parts. */
export function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const texts = content.map((p) => (typeof p === 'string' ? p : isPlainObject(p) && typeof p.text === 'string' ? p.text : null)).filter((t): t is string => t !== null);
    return texts.length > 0 ? texts.join('\n') : null;
  }
  return null;
}

/** Whether a list looks like OpenAI messages (roles, and tool_calls or tool results if any tools). */
export function isOpenAiMessages(messages: unknown[]): boolean {
  return messages.length > 0 && messages.every((m) => isPlainObject(m) && typeof m.role === 'string') && messages.some((m) => Array.isArray((m as Record<string, unknown>).tool_calls) || (m as Record<string, unknown>).role === 'tool' || isPlainObject((m as Record<string, unknown>).function_call));
}

/** One run from one conversation; refuses a message list that is not one. */
export function openAiRun(conversation: unknown, options: ConversationOptions): { run: ImportedRun } | { reason: string } {
  const meta = conversationMeta(conversation);
  if ('reason' in meta) return meta;
  const calls: ImportedToolCall[] = [];
  const byId = new Map<string, ImportedToolCall>();
  let pendingFunction: ImportedToolCall | null = null;
  let query: string | null = null;
  for (const [i, m] of meta.messages.entries()) {
    if (!isPlainObject(m) || typeof m.role !== 'string') return { reason: `messages[${i}] has no role` };
    if (m.role === 'user' && query === null) query = contentText(m.content);
    if (m.role === 'assistant') {
      if (m.tool_calls !== undefined && m.tool_calls !== null && !Array.isArray(m.tool_calls)) return { reason: `messages[${i}].tool_calls is not a list` };
      for (const [j, tc] of ((m.tool_calls as unknown[] | undefined) ?? []).entries()) {
        const fn = isPlainObject(tc) && isPlainObject(tc.function) ? tc.function : null;
        if (!fn || typeof fn.name !== 'string' || fn.name === '') return { reason: `messages[${i}].tool_calls[${j}] has no function name` };
        const call = makeCall({ name: fn.name, arguments: argumentsObject(fn.arguments), result: undefined, callId: isPlainObject(tc) && typeof tc.id === 'string' ? tc.id : null });
        calls.push(call);
        if (call.callId) byId.set(call.callId, call);
      }
      if (isPlainObject(m.function_call) && typeof m.function_call.name === 'string') {
        pendingFunction = makeCall({ name: m.function_call.name, arguments: argumentsObject(m.function_call.arguments), result: undefined });
        calls.push(pendingFunction);
      }
    }
    if (m.role === 'tool') {
      const call = typeof m.tool_call_id === 'string' ? byId.get(m.tool_call_id) : undefined;
      if (!call) return { reason: `messages[${i}] answers tool_call_id ${JSON.stringify(m.tool_call_id)}, which no assistant message called` };
      setResult(call, contentText(m.content) ?? m.content, options);
    }
    if (m.role === 'function' && pendingFunction) {
      setResult(pendingFunction, contentText(m.content) ?? m.content, options);
      pendingFunction = null;
    }
  }
  for (const c of calls) if (c.result === undefined) c.result = null;
  return { run: makeRun({ ...meta.run(options), query: meta.query ?? query, calls }) };
}

/** Records a result text or value on a call, and its error when the text reads as one. */
export function setResult(call: ImportedToolCall, content: unknown, options: ConversationOptions, isError = false): void {
  call.result = resultValue(content);
  call.error = isError ? { type: null, message: typeof call.result === 'string' ? call.result : JSON.stringify(call.result) } : errorFromText(call.result, options);
}
