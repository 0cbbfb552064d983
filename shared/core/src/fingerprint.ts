import { stableHash } from './hash.js';

// Order matters: the broad patterns (quoted text, URLs, emails, UUIDs) go before the narrow.
const RULES: [RegExp, string][] = [
  [/"[^"]*"|'[^']*'|`[^`]*`/g, '<str>'],
  [/\bhttps?:\/\/\S+/gi, '<url>'],
  [/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, '<email>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?\b/g, '<ts>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  // quantities with a unit (1.5s, 200ms, 3x, 10MB) before identifiers take them
  [/\b\d+(?:\.\d+)?(?=(?:ms|s|sec|m|min|h|d|kb|mb|gb|x)\b)/gi, '<num>'],
  // identifiers mixing letters and digits: A-1001, ord_77xk, INV2026
  [/\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*\b/g, '<id>'],
  [/[-+]?\d+(\.\d+)?/g, '<num>'],
];

/**
 * A tool's error message with the parts that vary between occurrences (numbers, ids,
 * quoted values, timestamps, emails, URLs) replaced by placeholders, so the same failure
 * always reads the same.
 */
export function normaliseErrorMessage(message: string): string {
  let out = message.slice(0, 2_000);
  for (const [pattern, placeholder] of RULES) out = out.replace(pattern, placeholder);
  return out.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/** The stable hash of a failure: tool, error type and normalised message. */
export function errorFingerprint(toolName: string, errorType: string | null | undefined, message: string | null | undefined): string {
  return stableHash([toolName, errorType ?? '', normaliseErrorMessage(message ?? '')], 16);
}
