import { z } from 'zod';

/** Identifier of a tenant, agent, session, template...: short, printable, no '/'. */
export const id = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[^/\s]+$/, 'must not contain "/" or whitespace');

/** Avro int: 32-bit signed. */
export const int32 = z.number().int().min(-2147483648).max(2147483647);
/** Avro long, limited to what a JS number holds exactly. */
export const long = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
/** Milliseconds since the Unix epoch; after 2000-01-01 and before 2100-01-01. */
export const epochMs = z
  .number()
  .int()
  .min(946684800000, 'must be ms since the epoch (after 2000)')
  .max(4102444800000, 'must be ms since the epoch (before 2100)');

export const nullableString = z.string().nullable().default(null);

/** Text that must parse as JSON; `object` requires a JSON object. */
export function jsonText(kind: 'any' | 'object') {
  return z.string().superRefine((text, ctx) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `is not valid JSON (${(error as Error).message})` });
      return;
    }
    if (kind === 'object' && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))) {
      ctx.addIssue({ code: 'custom', message: 'must be the text of a JSON object' });
    }
  });
}

/** One line per issue: "path: message". */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
