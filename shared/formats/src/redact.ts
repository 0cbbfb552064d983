// The redaction applied to every imported or ingested record before it reaches a topic.
// One function, so the whole path switches together when the shared redactor changes.
import { Redactor } from '@praxis/sdk';

const redactor = new Redactor();

/** A copy of a JSON value with secrets replaced (secret keys' values and secret-looking text). */
export function redactForIngest(value: unknown): unknown {
  return redactor.value(value);
}

/** A step with its texts redacted: query, parameters, result and error message (JSON fields stay JSON). */
export function redactStep<S extends { query?: string | null; parametersJson?: string | null; resultJson?: string | null; errorMessage?: string | null }>(step: S): S {
  const json = (text: string | null | undefined) => {
    if (text === null || text === undefined) return text;
    try {
      return JSON.stringify(redactForIngest(JSON.parse(text)));
    } catch {
      return redactForIngest(text) as string; // a truncated result is not JSON: redact it as text
    }
  };
  const text = (t: string | null | undefined) => (typeof t === 'string' ? (redactForIngest(t) as string) : t);
  return { ...step, query: text(step.query), parametersJson: json(step.parametersJson), resultJson: json(step.resultJson), errorMessage: text(step.errorMessage) };
}

/** A trajectory with its query and every step's parameters and error message redacted. */
export function redactTrajectory<T extends { query: string | null; steps: { parametersJson: string; errorMessage: string | null }[] }>(trajectory: T): T {
  return {
    ...trajectory,
    query: trajectory.query === null ? null : (redactForIngest(trajectory.query) as string),
    steps: trajectory.steps.map((s) => ({ ...s, parametersJson: redactStep({ parametersJson: s.parametersJson }).parametersJson!, errorMessage: s.errorMessage === null ? null : (redactForIngest(s.errorMessage) as string) })),
  };
}
