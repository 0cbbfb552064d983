// LangChain agent runs: the AgentExecutor's output `{input, output, intermediate_steps}`,
// where each intermediate step is (AgentAction(tool, tool_input, log), observation). Logs
// hold it as JSON (a dict, or LangChain's serialized {lc, type, id, kwargs} form) or as the
// Python repr that `str(result)` prints; both are read here. A CSV whose column holds such a
// value is read row by row (csv-container.ts).
import { parsePythonLiteral, PyCall, PyName, pyToJson, PythonLiteralError, type PyValue } from './python-literal.js';
import { argumentsObject, isPlainObject, makeCall, makeRun, resultValue, type ImportedRun, type ImportedToolCall } from './run.js';
import { errorFromText, type ErrorTextOptions } from './tool-error.js';

// What LangChain's AgentExecutor itself writes: the InvalidTool observation for a tool name
// the model made up, and the output when max_iterations or max_execution_time stopped it.
const INVALID_TOOL = /^\S+ is not a valid tool, try one of \[/;
const EARLY_STOP = /^Agent stopped due to (iteration limit|time limit|iteration limit or time limit)\.?$/;

/** Text of a LangChain output: JSON first, then the Python repr. */
export function parseLangChainValue(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const t = text.trim();
  try {
    return { ok: true, value: JSON.parse(t) };
  } catch {
    // not JSON: the Python repr
  }
  try {
    return { ok: true, value: fromPython(parsePythonLiteral(t)) };
  } catch (error) {
    return { ok: false, reason: error instanceof PythonLiteralError ? `neither JSON nor a Python literal (${error.message})` : (error as Error).message };
  }
}

/** Reprs of values (numpy, pandas, datetime, decimal) that pyToJson turns into their value. */
const VALUE_CALLS = /(^|\.)(array|ndarray|Series|Timestamp|Decimal|datetime|date)$/;

/** Python values as JSON, keeping agent actions recognisable: a call to a class named *AgentAction* becomes {tool, tool_input, log}. */
function fromPython(value: PyValue): unknown {
  if (value instanceof PyCall && /AgentAction/.test(value.name)) {
    const out: Record<string, unknown> = { __type: value.name };
    for (const [k, v] of Object.entries(value.kwargs)) out[k] = pyToJson(v);
    const [tool, toolInput, log] = value.args;
    if (tool !== undefined && out.tool === undefined) out.tool = pyToJson(tool);
    if (toolInput !== undefined && out.tool_input === undefined) out.tool_input = pyToJson(toolInput);
    if (log !== undefined && out.log === undefined) out.log = pyToJson(log);
    return out;
  }
  // Other calls that may hold actions (LangChain's AgentStep(action=..., observation=...)):
  // converted like pyToJson does, but with actions inside recognised.
  if (value instanceof PyCall && !VALUE_CALLS.test(value.name)) {
    const out: Record<string, unknown> = { __type: value.name };
    if (value.args.length > 0) out.args = value.args.map(fromPython);
    for (const [k, v] of Object.entries(value.kwargs)) Object.defineProperty(out, k, { value: fromPython(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  if (Array.isArray(value)) return value.map(fromPython);
  if (isPlainObject(value) && !(value instanceof PyCall) && !(value instanceof PyName)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, PyValue>)) Object.defineProperty(out, k, { value: fromPython(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return pyToJson(value);
}

/** Whether a parsed value is a LangChain agent output (it has intermediate_steps). */
export function isLangChainOutput(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Array.isArray(value.intermediate_steps);
}

/** An action in any of its logged forms: {tool, tool_input}, or serialized {lc, kwargs: {...}}. */
function actionOf(value: unknown): { tool: string; toolInput: unknown; callId: string | null } | null {
  if (!isPlainObject(value)) return null;
  const body = isPlainObject(value.kwargs) && value.lc !== undefined ? value.kwargs : value;
  if (typeof body.tool !== 'string' || body.tool === '') return null;
  const callId = typeof body.tool_call_id === 'string' ? body.tool_call_id : null;
  return { tool: body.tool, toolInput: body.tool_input, callId };
}

export interface LangChainOptions extends ErrorTextOptions {
  runId: string;
  line: number;
  /** Query when the output has no "input" (e.g. from a CSV column). */
  query?: string | null;
  taskId?: string;
  agentId?: string | null;
  /** A run-level error reported beside the output (e.g. an "error" column). */
  error?: string | null;
}

/** One run from a parsed LangChain output; refuses a step that is not (action, observation). */
export function langChainRun(output: Record<string, unknown>, options: LangChainOptions): { run: ImportedRun } | { reason: string } {
  const calls: ImportedToolCall[] = [];
  const steps = output.intermediate_steps as unknown[];
  for (const [i, step] of steps.entries()) {
    const pair = Array.isArray(step) ? step : isPlainObject(step) ? [step.action, step.observation] : null;
    const action = pair ? actionOf(pair[0]) : null;
    if (!pair || !action) return { reason: `intermediate_steps[${i}] is not an (AgentAction, observation) pair` };
    const observation = resultValue(pair[1]);
    const error = typeof observation === 'string' && INVALID_TOOL.test(observation) ? { type: 'InvalidTool', message: observation } : errorFromText(observation, options);
    calls.push(makeCall({ name: action.tool, arguments: argumentsObject(action.toolInput), result: observation, error, callId: action.callId }));
  }
  const query = typeof output.input === 'string' ? output.input : (options.query ?? null);
  const error = options.error && options.error.trim() !== '' ? options.error.trim() : null;
  // The AgentExecutor's early-stopping output: the agent gave up rather than failed.
  const stopped = typeof output.output === 'string' && EARLY_STOP.test(output.output);
  return {
    run: makeRun({
      runId: options.runId,
      line: options.line,
      query,
      ...(options.taskId ? { taskId: options.taskId } : {}),
      agentId: options.agentId ?? null,
      calls,
      error,
      outcome: stopped ? 'ABANDONED' : error ? 'FAILED' : null,
    }),
  };
}
