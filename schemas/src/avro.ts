import { readFileSync } from 'node:fs';
import avro from 'avsc';

/** The parsed JSON of an .avsc file in schemas/avro. */
export type AvroSchemaJson = Record<string, unknown> & { name: string; fields: unknown[] };

const avroDir = new URL('../avro/', import.meta.url);

function loadAvsc(file: string): AvroSchemaJson {
  return JSON.parse(readFileSync(new URL(file, avroDir), 'utf8')) as AvroSchemaJson;
}

/** The .avsc files, the source of truth for every topic's value. */
export const avroSchemas = {
  agentStep: loadAvsc('agent-step.avsc'),
  trajectory: loadAvsc('trajectory.avsc'),
  template: loadAvsc('template.avsc'),
  feedback: loadAvsc('feedback.avsc'),
} as const;

export type AvroSchemaName = keyof typeof avroSchemas;

/** An avsc Type for one schema (plain longs as JS numbers, unions unwrapped). */
export function avroType(name: AvroSchemaName): avro.Type {
  return avro.Type.forSchema(avroSchemas[name] as avro.Schema, { wrapUnions: false });
}
