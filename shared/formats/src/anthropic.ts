// Anthropic messages: assistant content blocks `{type: "tool_use", id, name, input}` and,
// in the next user message, `{type: "tool_result", tool_use_id, content, is_error}`. Same
// containers as the OpenAI reader (conversation.ts).
import { conversationMeta, type ConversationOptions } from './conversation.js';
import { contentText, setResult } from './openai.js';
import { argumentsObject, isPlainObject, makeCall, makeRun, type ImportedRun, type ImportedToolCall } from './run.js';

/** Whether a message list uses Anthropic tool blocks. */
export function isAnthropicMessages(messages: unknown[]): boolean {
  return messages.some((m) => isPlainObject(m) && Array.isArray(m.content) && m.content.some((b) => isPlainObject(b) && (b.type === 'tool_use' || b.type === 'tool_result')));
}

/** One run from one conversation; refuses a tool_result that answers no tool_use. */
export function anthropicRun(conversation: unknown, options: ConversationOptions): { run: ImportedRun } | { reason: string } {
  const meta = conversationMeta(conversation);
  if ('reason' in meta) return meta;
  const calls: ImportedToolCall[] = [];
  const byId = new Map<string, ImportedToolCall>();
  let query: string | null = null;
  for (const [i, m] of meta.messages.entries()) {
    if (!isPlainObject(m) || typeof m.role !== 'string') return { reason: `messages[${i}] has no role` };
    const blocks = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : Array.isArray(m.content) ? m.content : [];
    if (m.role === 'user' && query === null) {
      const texts = blocks.filter((b) => isPlainObject(b) && b.type === 'text');
      if (texts.length > 0) query = contentText(texts);
    }
    for (const [j, b] of blocks.entries()) {
      if (!isPlainObject(b)) continue;
      if (b.type === 'tool_use') {
        if (typeof b.name !== 'string' || b.name === '') return { reason: `messages[${i}].content[${j}] is a tool_use without a name` };
        const call = makeCall({ name: b.name, arguments: argumentsObject(b.input), result: undefined, callId: typeof b.id === 'string' ? b.id : null });
        calls.push(call);
        if (call.callId) byId.set(call.callId, call);
      } else if (b.type === 'tool_result') {
        const call = typeof b.tool_use_id === 'string' ? byId.get(b.tool_use_id) : undefined;
        if (!call) return { reason: `messages[${i}].content[${j}] answers tool_use_id ${JSON.stringify(b.tool_use_id)}, which no tool_use called` };
        setResult(call, contentText(b.content) ?? b.content ?? null, options, b.is_error === true);
      }
    }
  }
  for (const c of calls) if (c.result === undefined) c.result = null;
  return { run: makeRun({ ...meta.run(options), query: meta.query ?? query, calls }) };
}
