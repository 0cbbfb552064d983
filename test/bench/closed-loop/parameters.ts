// Every assumption of the closed-loop model in one place (docs/closed-loop.md). What is real
// (tokenizer, router, executor, tools, learned templates) takes no parameter here; what is
// modelled (the LLM's behaviour and its latency) does.
import { DEFAULT_TRAFFIC } from '@praxis/fleet';

/** How the modelled LLM behaves, and what its calls and the tools cost in time. */
export interface ModelParameters {
  /** Chance that the model writes a planted mistake (US date, capitalised enum) where the workflow plants one: the fleet's rate. */
  mistakeRate: number;
  /** Chance that a reflect call (after an error or a refused generation) fixes the problem; otherwise the task fails. An assumption. */
  recoveryRate: number;
  /** Tool calls per workflow step before the planner gives up, the first included. */
  maxAttemptsPerStep: number;
  /** Generation attempts of the variable nodes, the first included (the router's REWRITE_ATTEMPTS default). */
  generationAttempts: number;
  latency: LatencyParameters;
}

/** Modelled time: an LLM call costs a + b x promptTokens + c x completionTokens; every tool call costs the same. */
export interface LatencyParameters {
  llmFixedMs: number;
  msPerPromptToken: number;
  msPerCompletionToken: number;
  toolCallMs: number;
}

export const DEFAULT_LATENCY: LatencyParameters = { llmFixedMs: 400, msPerPromptToken: 0.05, msPerCompletionToken: 20, toolCallMs: 150 };

/** The headline run: recovery 0.9. The sensitivity runs change recoveryRate only. */
export const DEFAULT_PARAMETERS: ModelParameters = {
  mistakeRate: DEFAULT_TRAFFIC.behaviour.mistakeRate,
  recoveryRate: 0.9,
  maxAttemptsPerStep: 4,
  generationAttempts: 3,
  latency: DEFAULT_LATENCY,
};

/** The recovery rates of the sensitivity runs: the fleet's always-recovering agent, and a weaker one. */
export const SENSITIVITY_RECOVERY_RATES = [1, 0.75] as const;

/** Modelled milliseconds of one LLM call. */
export function llmCallMs(l: LatencyParameters, promptTokens: number, completionTokens: number): number {
  return l.llmFixedMs + l.msPerPromptToken * promptTokens + l.msPerCompletionToken * completionTokens;
}
