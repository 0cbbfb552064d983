// The WorkBench sandbox, ported (a benchmark harness, not product logic): the 27 tools over a
// fresh copy of the tables per task, as an SDK ToolRegistry with JSON Schemas derived from
// the Python signatures, and WorkBench's replay of Python call strings.
import { ToolError, type ToolRegistry } from '@praxis/core';
import { parseCall, PythonSyntaxError } from './python-call.js';
import { comparable, copyTable, STATE_TABLES, type SandboxTables, type StateTable } from './tables.js';
import { bind, PYTHON_EXCEPTION, type ToolSpec } from './tool-kit.js';
import { OFFICE_TOOLS } from './tools-office.js';
import { RECORD_TOOLS } from './tools-records.js';

/** Every WorkBench tool, by its LangChain name. */
export const TOOL_SPECS: ReadonlyMap<string, ToolSpec> = new Map([...OFFICE_TOOLS, ...RECORD_TOOLS].map((t) => [t.name, t]));

/** The tools' parameter schemas: every parameter an optional string (the docstrings' `str`), no others. */
export const TOOL_SCHEMAS: Record<string, object> = Object.fromEntries(
  [...TOOL_SPECS.values()].map((t) => [t.name, { type: 'object', properties: Object.fromEntries(t.params.map((p) => [p, { type: 'string' }])), additionalProperties: false }]),
);

/** The table a tool with side effects writes, by its domain. */
function tableOf(tool: string): StateTable {
  const domain = tool.split('.')[0];
  const table = ({ calendar: 'calendar', email: 'emails', analytics: 'plots', project_management: 'projectTasks', customer_relationship_manager: 'crm' } as const)[domain as 'calendar'];
  if (!table) throw new Error(`no table for ${tool}`);
  return table;
}

const originals = new WeakMap<SandboxTables, string[]>();

/** The comparable state of the original tables, computed once. */
function originalState(tables: SandboxTables): string[] {
  let state = originals.get(tables);
  if (!state) originals.set(tables, (state = STATE_TABLES.map((t) => comparable(tables[t]))));
  return state;
}

/** One call made in a sandbox, as it went. */
export interface SandboxCall {
  tool: string;
  args: Record<string, unknown>;
  ok: boolean;
  result?: unknown;
  error?: { type: string; message: string };
}

/** One task's sandbox: its own tables, the tools over them, and every call made. */
export class Sandbox {
  readonly calls: SandboxCall[] = [];
  /** Copy on write: a table is copied when a tool with side effects first runs on it. */
  readonly state: SandboxTables;
  private readonly copied = new Set<StateTable>();

  constructor(private readonly original: SandboxTables) {
    this.state = { ...original };
  }

  /** Calls a tool by name; a failure throws a ToolError (WorkBenchError or PythonException). */
  call(tool: string, args: Record<string, unknown>): unknown {
    const record: SandboxCall = { tool, args: structuredClone(args), ok: false };
    this.calls.push(record);
    try {
      const spec = TOOL_SPECS.get(tool);
      if (!spec) throw new ToolError(`AttributeError: module has no tool '${tool}'`, PYTHON_EXCEPTION);
      const bound = bind(spec, args);
      const table = spec.sideEffects ? tableOf(spec.name) : null;
      if (table && !this.copied.has(table)) {
        this.state[table] = copyTable(this.original[table]);
        this.copied.add(table);
      }
      record.result = spec.run(this.state, bound);
      record.ok = true;
      return record.result;
    } catch (error) {
      if (error instanceof ToolError) record.error = { type: error.type, message: error.message };
      throw error;
    }
  }

  /** The tools as the SDK executor takes them. */
  tools(): ToolRegistry {
    return Object.fromEntries([...TOOL_SPECS.keys()].map((name) => [name, async (params: Record<string, unknown>) => this.call(name, params)]));
  }

  /**
   * WorkBench's `execute_actions_and_reset_state`: each Python call string is run, and one
   * that does not parse or fails is skipped (its `eval` sits in a bare `try`).
   */
  replay(actions: readonly string[]): this {
    for (const action of actions) {
      let parsed;
      try {
        parsed = parseCall(action);
      } catch (error) {
        if (error instanceof PythonSyntaxError) continue;
        throw error;
      }
      try {
        this.call(parsed.tool, parsed.args);
      } catch (error) {
        if (!(error instanceof ToolError)) throw error;
      }
    }
    return this;
  }

  /** The final state as the outcome rule compares it. */
  comparableState(): string[] {
    const original = originalState(this.original);
    return STATE_TABLES.map((t, i) => (this.copied.has(t) ? comparable(this.state[t]) : original[i]!));
  }
}

/** Whether a tool changes the state (WorkBench's tools_with_side_effects). */
export const hasSideEffects = (tool: string) => TOOL_SPECS.get(tool)?.sideEffects ?? false;
