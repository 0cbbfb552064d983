// Many agent frameworks return a tool's failure as the observation text instead of raising
// ("Error: ..." strings, "Customer not found."). A short text result that reads as
// an error becomes a tool error, so its fingerprint is learned. The patterns are plain
// English error wording, not any tool's messages; callers can replace them.

/** Patterns of result text that mean the call failed. */
export const DEFAULT_ERROR_TEXT: RegExp[] = [
  /^\s*(error|exception|traceback|failed|failure|fatal)\b/i,
  /\b(invalid|not valid|not found|not provided|not allowed|missing|unauthori[sz]ed|forbidden|permission denied|unable to|cannot|can't|could not|failed to)\b/i,
  /\bplease (provide|choose|specify)\b/i,
  /\bmust (be|have|contain|include)\b/i,
];

/** Longer texts are content (an email body, a document), not an error message. */
const MAX_ERROR_TEXT = 300;

export interface ErrorTextOptions {
  patterns?: RegExp[];
}

/** The error a text result stands for, or null when it reads as a normal result. */
export function errorFromText(result: unknown, options: ErrorTextOptions = {}): { type: string | null; message: string } | null {
  if (typeof result !== 'string' || result.length > MAX_ERROR_TEXT || result.trim() === '') return null;
  const patterns = options.patterns ?? DEFAULT_ERROR_TEXT;
  if (!patterns.some((re) => re.test(result))) return null;
  return { type: null, message: result.trim() };
}
