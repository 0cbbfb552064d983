/** A tool an agent can call: JSON parameters in, JSON result out; failures throw. */
export type ToolFunction = (params: Record<string, unknown>) => Promise<unknown>;

/** The tools of an agent by name. */
export type ToolRegistry = Record<string, ToolFunction>;

/**
 * What a tool throws when it fails. `type` is the error's class or code as the agent would
 * record it (errorType); `transient` says a plain retry may succeed (timeouts, rate limits).
 */
export class ToolError extends Error {
  override name = 'ToolError';
  constructor(message: string, readonly type: string, readonly transient = false) {
    super(message);
  }
}
