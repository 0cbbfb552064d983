// Redaction of secrets before a step leaves the process: values under sensitive keys, and
// secret-looking substrings anywhere (docs/sdk.md, "Redaction").

export interface RedactionOptions {
  /** Key patterns whose values are replaced; replaces the defaults when given. */
  keys?: RegExp[];
  /** Added to the key patterns (defaults or `keys`). */
  extraKeys?: RegExp[];
  /** Patterns of secret values inside any string; replaces the defaults when given. */
  values?: RegExp[];
  extraValues?: RegExp[];
  /** What a secret becomes. */
  replacement?: string;
}

export const DEFAULT_SECRET_KEYS: RegExp[] = [
  /pass(word|wd|phrase)?$/i,
  /secret/i,
  /api[-_]?key/i,
  /authorization/i,
  /^(set-)?cookie$/i,
  /credential/i,
  /private[-_]?key/i,
  /access[-_]?key/i,
  /(^|[-_])(ssn|cvv|cvc)$/i,
  /card[-_]?number/i,
  // "token", "accessToken", "refresh_token", but not counts such as "maxTokens"
  /^(?!(max|min|num|total|prompt|completion|input|output)[-_]?tokens?$).*token/i,
];

export const DEFAULT_SECRET_VALUES: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\bBearer\s+[A-Za-z0-9\-._~+/]+=*/g,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g,
  /\bsk-[A-Za-z0-9_-]{16,}\b/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  /((?:password|passwd|pwd|secret|token|api[-_]?key)=)[^&\s"']+/gi,
];

/** A function that redacts strings and JSON values with the configured patterns. */
export class Redactor {
  private readonly keys: RegExp[];
  private readonly values: RegExp[];
  readonly replacement: string;

  constructor(options: RedactionOptions = {}) {
    this.keys = [...(options.keys ?? DEFAULT_SECRET_KEYS), ...(options.extraKeys ?? [])];
    this.values = [...(options.values ?? DEFAULT_SECRET_VALUES), ...(options.extraValues ?? [])].map((re) => (re.global ? re : new RegExp(re.source, `${re.flags}g`)));
    this.replacement = options.replacement ?? '[REDACTED]';
  }

  /** Whether a key names a secret. */
  isSecretKey(key: string): boolean {
    return this.keys.some((re) => re.test(key));
  }

  /** The string with secret-looking parts replaced. */
  text(value: string): string {
    let out = value;
    for (const re of this.values) {
      re.lastIndex = 0;
      out = out.replace(re, (match, prefix: unknown) => (typeof prefix === 'string' && match.startsWith(prefix) && prefix.endsWith('=') ? `${prefix}${this.replacement}` : /^Bearer\s/i.test(match) ? `Bearer ${this.replacement}` : this.replacement));
    }
    return out;
  }

  /** A copy of a JSON value with secret keys' values and secret-looking strings replaced. */
  value(input: unknown, depth = 0): unknown {
    if (depth > 32) return this.replacement;
    if (typeof input === 'string') return this.text(input);
    if (Array.isArray(input)) return input.map((v) => this.value(v, depth + 1));
    if (input !== null && typeof input === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(input)) out[k] = this.isSecretKey(k) && v !== null && v !== undefined ? this.replacement : this.value(v, depth + 1);
      return out;
    }
    return input;
  }
}
