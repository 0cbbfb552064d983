// Real token counts: gpt-tokenizer's o200k_base encoding (the fleet's models, gpt-4o and
// gpt-4o-mini, both use it), bundled in the package: nothing is downloaded at run time.
import { encode, encodeChat } from 'gpt-tokenizer/model/gpt-4o';

/** One message of a chat prompt. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Tokens of a chat prompt as the model receives it (message framing included). */
export function promptTokens(messages: readonly ChatMessage[]): number {
  return encodeChat(messages, 'gpt-4o').length;
}

/** Tokens of a plain text (a completion). */
export function textTokens(text: string): number {
  return encode(text).length;
}
