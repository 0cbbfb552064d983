export { executeWorkflow, outcomeReport, DEFAULT_RETRY, type ExecuteOptions, type ExecutionResult, type ExecutionError, type FeedbackSink, type ProgressEvent, type RetryPolicy, type RunnableWorkflow, type StepReport } from './executor.js';
export { applyHint, applyParamChange, conformToSchema, extraStepParams, parseParamChanges, preventiveFixes } from './hints.js';
export { kafkaStepSink, SinkClosedError, type KafkaStepSinkOptions } from './kafka-sink.js';
export { ParameterError, resolveParams } from './params.js';
export { conditionHolds, conditionOf, describeCondition } from './structure.js';
export { Recorder, StepValidationError, type RecorderOptions, type RecorderStats, type StepInput, type StepSink } from './recorder.js';
export { DEFAULT_SECRET_VALUES, redact, Redactor, redactText, SECRET_KEY_WORDS, type RedactionOptions } from '@praxis/core';
export { fallbackPlan, RouterClient, RouterRequestError, type RouterClientOptions } from './router-client.js';
export { ToolError, type ToolFunction, type ToolRegistry } from '@praxis/core';

import type { FeedbackSink } from './executor.js';
import type { RouterClient } from './router-client.js';

/** The executor's feedback sink that reports to the router (POST /v1/feedback). */
export function routerFeedback(client: RouterClient): FeedbackSink {
  return (report) => client.reportOutcome(report);
}
