// The redaction applied to every imported or ingested record before it reaches a topic: the
// one shared redactor of @praxis/core, so the whole path switches together when it changes.
import { redact, redactStepRecord, type StepLikeRecord } from '@praxis/core';

/** A copy of a JSON value with secrets replaced (secret keys' values and secret-looking text). */
export function redactForIngest(value: unknown): unknown {
  return redact(value);
}

/** A step with its texts redacted: query, parameters, result, error message and attributes (JSON fields stay JSON). */
export function redactStep<S extends StepLikeRecord>(step: S): S {
  return redactStepRecord(step);
}

/** A trajectory with its query and every step's parameters and error message redacted. */
export function redactTrajectory<T extends { query: string | null; steps: { parametersJson: string; errorMessage: string | null }[] }>(trajectory: T): T {
  return {
    ...trajectory,
    query: trajectory.query === null ? null : (redactForIngest(trajectory.query) as string),
    steps: trajectory.steps.map((s) => ({ ...s, parametersJson: redactStep({ parametersJson: s.parametersJson }).parametersJson!, errorMessage: s.errorMessage === null ? null : (redactForIngest(s.errorMessage) as string) })),
  };
}
