import { z } from 'zod';

/** Every 4xx/5xx answer of the router. */
export const ErrorResponseSchema = z.object({
  error: z.string().describe('Stable machine-readable code, e.g. invalid_body, unknown_tool, unauthorized.'),
  message: z.string().describe('What is wrong, for a person.'),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('One entry per problem, when validation failed.'),
});
export type ErrorResponse = z.output<typeof ErrorResponseSchema>;
