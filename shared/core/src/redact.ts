// The one redactor: secrets are replaced before a record leaves a trust boundary (the SDK
// recorder, the router's lookup and feedback records, the import path, HTTP ingest). Two
// mechanisms: values under secret-looking keys, and secret-looking text anywhere
// (docs/security.md, "Boundaries, secrets and transport"). Text patterns run on RE2, so a
// hostile string cannot make redaction itself slow.
import RE2 from 're2';

export interface RedactionOptions {
  /** Key patterns whose values are replaced; replaces the default key rules when given. */
  keys?: RegExp[];
  /** Added to the key rules (defaults or `keys`). */
  extraKeys?: RegExp[];
  /** Patterns of secret text inside any string (whole match replaced); replaces the defaults when given. */
  values?: RegExp[];
  extraValues?: RegExp[];
  /** What a secret becomes. */
  replacement?: string;
}

/** Words that make a key secret wherever they appear in it (camelCase, snake_case and kebab-case are split). */
export const SECRET_KEY_WORDS: readonly string[] = ['password', 'passwd', 'passphrase', 'passcode', 'pwd', 'pin', 'pan', 'otp', 'secret', 'secrets', 'cookie', 'credential', 'credentials', 'ssn', 'cvv', 'cvc', 'card', 'authorization', 'token', 'tokens'];
/** Runs of words that make a key secret ("apiKey", "x-api-key", "private_key", "credit card"). */
const SECRET_KEY_COMPOUNDS = ['apikey', 'privatekey', 'accesskey', 'secretkey', 'cardnumber', 'creditcard', 'setcookie', 'clientsecret'];
/** A key naming a count of tokens is not a secret ("maxTokens", "prompt_tokens"). */
const TOKEN_COUNT_WORDS = new Set(['max', 'min', 'num', 'total', 'prompt', 'completion', 'input', 'output', 'count', 'used', 'limit', 'reasoning', 'cached']);

/** The lower-case words of a key: "passwordConfirmation" -> ["password", "confirmation"]. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function defaultSecretKey(key: string): boolean {
  const words = keyWords(key);
  if (words.length === 0) return false;
  if (words.length === 1 && words[0] === 'pass') return true;
  const compact = words.join('');
  if (SECRET_KEY_COMPOUNDS.some((c) => compact.includes(c))) return true;
  const tokenish = words.some((w) => w === 'token' || w === 'tokens' || (w.length > 5 && w.endsWith('token')));
  if (tokenish) return !words.some((w) => TOKEN_COUNT_WORDS.has(w));
  return words.some((w) => SECRET_KEY_WORDS.includes(w) && w !== 'token' && w !== 'tokens');
}

/** The Luhn checksum of a digit string (payment card numbers satisfy it). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** How a matched secret is rewritten: the replacement, or the match unchanged when a check says it is no secret. */
type Rewrite = (redactor: Redactor, match: string, groups: (string | undefined)[]) => string;

interface ValueRule {
  name: string;
  source: string;
  flags?: string;
  rewrite?: Rewrite;
}

const VALUE_STOP = new Set([' ', '\t', '\n', '\r', '&', '"', "'", ',', ';', '}']);
const isNameChar = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Where the value that starts at `start` ends: a quoted string with its quotes, else up to a space or a separator. */
function assignmentValueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === undefined) return start;
  if (first === '"' || first === "'") {
    const close = text.indexOf(first, start + 1);
    return close < 0 ? text.length : close + 1;
  }
  if (first === '/') return start; // scheme:// is not an assignment
  let end = start;
  while (end < text.length && !VALUE_STOP.has(text[end]!)) end++;
  return end;
}

// a value already redacted by an earlier rule stays as it is
const keepPrefix: Rewrite = ({ replacement: r }, m, g) => (g[1]?.startsWith(r) ? m : `${g[0] ?? ''}${r}`);

/** The default text rules, most specific first; each is linear-time (RE2). */
export const DEFAULT_SECRET_VALUES: readonly ValueRule[] = [
  { name: 'private_key_block', source: String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----` },
  // scheme://user:password@host: the password only
  { name: 'url_credentials', source: String.raw`\b([A-Za-z][A-Za-z0-9+.-]*://[^\s:/@"'<>]+:)[^\s@/"'<>]+@`, rewrite: (r, _m, g) => `${g[0]}${r.replacement}@` },
  { name: 'bearer', source: String.raw`\b(Bearer\s+)[A-Za-z0-9\-._~+/]+=*`, rewrite: keepPrefix },
  // "Basic <base64 of user:password>"; "Basic information" decodes to no user:password and stays
  { name: 'basic_auth', source: String.raw`\b(Basic\s+)([A-Za-z0-9+/]{6,}={0,2})`, rewrite: (r, m, g) => (Buffer.from(g[1] ?? '', 'base64').toString('latin1').includes(':') ? `${g[0]}${r.replacement}` : m) },
  { name: 'jwt', source: String.raw`\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}` },
  { name: 'openai_key', source: String.raw`\bsk-[A-Za-z0-9_-]{16,}` },
  { name: 'stripe_key', source: String.raw`\b[rs]k_(?:live|test)_[A-Za-z0-9]{8,}` },
  { name: 'google_api_key', source: String.raw`\bAIza[0-9A-Za-z_-]{30,}` },
  { name: 'aws_access_key_id', source: String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b` },
  { name: 'github_token', source: String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})` },
  { name: 'slack_token', source: String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}` },
  // "my password is hunter2"
  { name: 'secret_in_prose', source: String.raw`(\b(?:password|passcode|passwd|passphrase|pin)\s+(?:is|was)\s+)("[^"]*"|'[^']*'|[^\s,;]+)`, flags: 'i', rewrite: keepPrefix },
  // 13-19 digits with optional separators, starting like a card (2-6), Luhn-valid
  {
    name: 'card_number',
    source: String.raw`\b[2-6](?:[ -]?[0-9]){12,18}\b`,
    rewrite: (r, m) => {
      const digits = m.replace(/[ -]/g, '');
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? r.replacement : m;
    },
  },
  // US social security numbers, without the never-issued areas and groups
  { name: 'ssn', source: String.raw`\b([0-9]{3})-([0-9]{2})-([0-9]{4})\b`, rewrite: (r, m, g) => (g[0] === '000' || g[0] === '666' || g[0]!.startsWith('9') || g[1] === '00' || g[2] === '0000' ? m : r.replacement) },
];

const compile = (source: string, flags = ''): RE2 => new RE2(source, `${flags.replace(/[gu]/g, '')}gu`);

/**
 * A cheap pre-check of the default text rules: every one of them needs one of these literals
 * (or a run of digits), so text without any skips the RE2 pass. Literals and fixed-length
 * digit runs only: linear on V8's engine too.
 */
const TRIGGERS = /sk-|[rs]k_|AIza|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abprs]-|eyJ|Bearer|Basic|:\/\/|-----BEGIN|\d{3}-\d{2}-\d{4}|(?:\d[ -]?){12}\d|pass|\bpin\s/i;

/** Redacts strings and JSON values with the configured rules. */
export class Redactor {
  private readonly keyPatterns: RegExp[];
  private readonly useDefaultKeys: boolean;
  /** Every text rule but the assignments, as one alternation: one pass over a string finds them all. */
  private readonly combined: RE2 | null;
  /** Per rule of `combined`: the replace callback's index of its wrapping group, its own group count, how it rewrites. */
  private readonly parts: { at: number; groups: number; rewrite?: Rewrite }[] = [];
  /** With the default rules only, text none of them could match skips RE2 (TRIGGERS). */
  private readonly defaultText: boolean;
  private readonly withAssignments: boolean;
  /** Keys repeat across steps: their verdicts are kept (bounded). */
  private readonly keyVerdicts = new Map<string, boolean>();
  readonly replacement: string;

  constructor(options: RedactionOptions = {}) {
    this.useDefaultKeys = options.keys === undefined;
    this.keyPatterns = [...(options.keys ?? []), ...(options.extraKeys ?? [])].map((re) => new RegExp(re.source, re.flags.replace('g', '')));
    const base: ValueRule[] = options.values ? options.values.map((re, i) => ({ name: `custom_${i}`, source: re.source, flags: re.flags })) : [...DEFAULT_SECRET_VALUES];
    const rules: ValueRule[] = [...base, ...(options.extraValues ?? []).map((re, i) => ({ name: `extra_${i}`, source: re.source, flags: re.flags }))];
    this.defaultText = !options.values && !options.extraValues?.length;
    this.withAssignments = !options.values;
    const sources: string[] = [];
    let group = 1; // the number of the next rule's wrapping group
    for (const rule of rules) {
      compile(rule.source, rule.flags); // a pattern RE2 cannot run is refused here, alone
      const groups = new RegExp(`(?:${rule.source})|`).exec('')!.length - 1;
      this.parts.push({ at: group - 1, groups, rewrite: rule.rewrite });
      sources.push(`(${rule.flags?.includes('i') ? '(?i)' : ''}${rule.source})`);
      group += 1 + groups;
    }
    this.combined = sources.length > 0 ? compile(sources.join('|')) : null;
    this.replacement = options.replacement ?? '[REDACTED]';
  }

  /** Whether a key names a secret. */
  isSecretKey(key: string): boolean {
    let verdict = this.keyVerdicts.get(key);
    if (verdict === undefined) {
      verdict = (this.useDefaultKeys && defaultSecretKey(key)) || this.keyPatterns.some((re) => re.test(key));
      if (this.keyVerdicts.size >= 10_000) this.keyVerdicts.clear();
      this.keyVerdicts.set(key, verdict);
    }
    return verdict;
  }

  /** The string with secret-looking parts replaced. */
  text(value: string): string {
    if (value.length < 6) return value;
    let out = value;
    if (this.combined && (!this.defaultText || TRIGGERS.test(out))) {
      this.combined.lastIndex = 0;
      out = out.replace(this.combined, (match: string, ...args: unknown[]) => {
        // args: every capture group of the alternation, then offset and input
        const part = this.parts.find((p) => args[p.at] !== undefined);
        if (!part?.rewrite) return this.replacement;
        return part.rewrite(this, match, args.slice(part.at + 1, part.at + 1 + part.groups) as (string | undefined)[]);
      });
    }
    if (this.withAssignments && (out.includes('=') || out.includes(':'))) out = this.assignments(out);
    return out;
  }

  /**
   * Replaces the value of each `name=value`, `name: value` or `"name": "value"` whose name is a
   * secret key by the key rule (AWS_SECRET_ACCESS_KEY=..., ?token=..., "pinCode": "1234").
   * A scan from each separator back to its name (at most 64 characters), so a name that is no
   * secret consumes nothing after it; linear in the text.
   */
  private assignments(text: string): string {
    let out = '';
    let copied = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 58 && c !== 61) continue; // ':' '='
      let end = i;
      while (end > copied && isSpace(text.charCodeAt(end - 1))) end--;
      if (end > copied && (text[end - 1] === '"' || text[end - 1] === "'")) end--;
      let start = end;
      while (start > copied && end - start < 64 && isNameChar(text.charCodeAt(start - 1))) start--;
      if (start === end || !/[A-Za-z_]/.test(text[start]!)) continue;
      if (!this.isSecretKey(text.slice(start, end))) continue;
      let valueStart = i + 1;
      while (valueStart < text.length && isSpace(text.charCodeAt(valueStart))) valueStart++;
      const valueEnd = assignmentValueEnd(text, valueStart);
      if (valueEnd === valueStart || text.startsWith(this.replacement, valueStart)) continue;
      out += text.slice(copied, valueStart) + this.replacement;
      copied = valueEnd;
      i = valueEnd - 1;
    }
    return out + text.slice(copied);
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

  /** JSON text redacted as a value (keys and strings); text that is not JSON is redacted as text. */
  jsonText(text: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.text(text);
    }
    return JSON.stringify(this.value(parsed)) ?? this.text(text);
  }
}

/** The redactor with the default rules, shared by every boundary. */
export const defaultRedactor = new Redactor();

/** A redacted copy of a JSON value (or a redacted string), with the default rules. */
export function redact<T>(value: T): T {
  return defaultRedactor.value(value) as T;
}

/** A string with secret-looking parts replaced, with the default rules. */
export function redactText(text: string): string {
  return defaultRedactor.text(text);
}

/** The free-text and JSON fields of a step-like record (AgentStep, TrajectoryStep). */
export interface StepLikeRecord {
  query?: string | null;
  parametersJson?: string | null;
  resultJson?: string | null;
  errorMessage?: string | null;
  attributes?: Record<string, string>;
}

/** A copy of a step record with its query, parameters, result, error message and attributes redacted. */
export function redactStepRecord<T extends StepLikeRecord>(step: T, r: Redactor = defaultRedactor): T {
  const out = { ...step };
  if (typeof step.query === 'string') out.query = r.text(step.query);
  if (typeof step.parametersJson === 'string') out.parametersJson = r.jsonText(step.parametersJson);
  if (typeof step.resultJson === 'string') out.resultJson = r.jsonText(step.resultJson);
  if (typeof step.errorMessage === 'string') out.errorMessage = r.text(step.errorMessage);
  if (step.attributes) out.attributes = Object.fromEntries(Object.entries(step.attributes).map(([k, v]) => [k, r.isSecretKey(k) ? r.replacement : r.text(v)]));
  return out;
}

/** A copy of a trajectory record with its query and every step redacted. */
export function redactTrajectoryRecord<T extends { query?: string | null; steps: StepLikeRecord[] }>(trajectory: T, r: Redactor = defaultRedactor): T {
  return { ...trajectory, query: typeof trajectory.query === 'string' ? r.text(trajectory.query) : trajectory.query, steps: trajectory.steps.map((s) => redactStepRecord(s, r)) };
}
