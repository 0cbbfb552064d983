// The redaction applied to every imported or ingested record before it reaches a topic.
// One function, so the whole path switches together when the shared redactor changes.
import { Redactor } from '@praxis/sdk';

const redactor = new Redactor();

/** A copy of a JSON value with secrets replaced (secret keys' values and secret-looking text). */
export function redactForIngest(value: unknown): unknown {
  return redactor.value(value);
}
