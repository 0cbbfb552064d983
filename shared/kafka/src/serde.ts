import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { formatIssues, valueSubject, type TopicSpec } from '@praxis/schemas';
import avro from 'avsc';
import { AvroBoundsError, boundsCheckerFor, DEFAULT_DECODE_LIMITS, type DecodeLimits } from './avro-bounds.js';
import { decodeWire, encodeWire, schemaIdOf } from './wire.js';

/** The record is not in the wire format or does not decode: it goes to the DLQ. */
export class InvalidRecordError extends Error {
  constructor(readonly step: 'decode' | 'validate' | 'key', message: string) {
    super(message);
    this.name = 'InvalidRecordError';
  }
}

/** The registry could not be reached or answered an error: retry, never DLQ. */
export class RegistryUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'RegistryUnavailableError';
  }
}

/** The registry refused a schema as incompatible with the subject's history. */
export class IncompatibleSchemaError extends Error {
  constructor(readonly subject: string, message: string) {
    super(message);
    this.name = 'IncompatibleSchemaError';
  }
}

interface WriterSchema {
  type: avro.Type;
  /** Refuses a body whose counts, lengths or nesting break the caps (see avro-bounds.ts). */
  check: (body: Uint8Array) => void;
}

interface RegisteredTopic {
  schemaId: number;
  type: avro.Type;
}

/** The client's refusal of a subject whose compatibility rule is NONE (no rule set). */
const isRuleMissing = (error: unknown) => error instanceof Error && error.name === 'ConfluentSchemaRegistryCompatibilityError' && /!= NONE\)$/.test(error.message);

const statusOf = (error: unknown) => (error && typeof error === 'object' && 'status' in error ? Number((error as { status: unknown }).status) : undefined);

/**
 * Avro through the schema registry. Writers register the topic's schema once (BACKWARD
 * compatibility) and encode locally; readers fetch a writer schema once per id (concurrent
 * misses share one request) and resolve it into the reader's schema, so old records read
 * as the current shape.
 */
export class AvroSerde {
  private readonly registered = new Map<string, Promise<RegisteredTopic>>();
  private readonly writerTypes = new Map<number, Promise<WriterSchema>>();
  /** The writer schemas fetched so far, for decoding without a wait. */
  private readonly loaded = new Map<number, WriterSchema>();
  private readonly readers = new Map<string, { type: avro.Type; resolvers: Map<number, ReturnType<avro.Type["createResolver"]> | null> }>();

  constructor(
    readonly registry: SchemaRegistry,
    private readonly limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
    /** Sets a subject's compatibility rule to BACKWARD (the client sets it only with a subject's first version). */
    private readonly setBackward?: (subject: string) => Promise<void>,
  ) {}

  /** A serde for the registry at `url` (its Confluent-compatible base URL). */
  static forUrl(url: string, auth?: { username: string; password: string }, limits?: DecodeLimits): AvroSerde {
    const registry = new SchemaRegistry({ host: url, ...(auth ? { auth } : {}), retry: { retries: 2, initialRetryTimeInSecs: 0.2, maxRetryTimeInSecs: 2 } });
    const setBackward = async (subject: string) => {
      const response = await fetch(`${url.replace(/\/+$/, '')}/config/${encodeURIComponent(subject)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', ...(auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {}) },
        body: JSON.stringify({ compatibility: COMPATIBILITY.BACKWARD }),
      });
      if (!response.ok) throw new Error(`setting BACKWARD on ${subject} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    };
    return new AvroSerde(registry, limits, setBackward);
  }

  /** Registers the topic's value schema under `<topic>-value` and returns its id. Idempotent. */
  register(spec: Pick<TopicSpec, 'name' | 'avro'>): Promise<number> {
    return this.registeredTopic(spec).then((r) => r.schemaId);
  }

  private registeredTopic(spec: Pick<TopicSpec, 'name' | 'avro'>): Promise<RegisteredTopic> {
    let pending = this.registered.get(spec.name);
    if (!pending) {
      const subject = valueSubject(spec.name);
      const attempt = () => this.registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(spec.avro) }, { subject, compatibility: COMPATIBILITY.BACKWARD });
      // The client registers a subject's first version, then sets its rule: a writer that stops
      // in between (kill -9, a lost connection) leaves a subject without a rule, which the
      // registry reports as NONE and the client then refuses for ever. Such a subject gets the
      // rule (Praxis subjects are BACKWARD, docs/contracts.md) and the registration is tried again.
      const attemptWithRule = () =>
        attempt().catch(async (error: unknown) => {
          if (!this.setBackward || !isRuleMissing(error)) throw error;
          await this.setBackward(subject);
          return attempt();
        });
      // Writers that register a subject's first version at once race on its compatibility rule
      // (the registry answers one of them 409 "rule already exists", or a rule mismatch): one
      // retry sees the rule in place. A schema that really is incompatible fails again.
      pending = attemptWithRule()
        .catch(() => new Promise((r) => setTimeout(r, 100 + Math.random() * 200)).then(attemptWithRule))
        .then(({ id }) => ({ schemaId: id, type: avro.Type.forSchema(spec.avro as avro.Schema, { wrapUnions: false }) }))
        .catch((error: unknown) => {
          this.registered.delete(spec.name);
          if (statusOf(error) === 409) throw new IncompatibleSchemaError(subject, `schema for ${subject} is not BACKWARD compatible with the registered versions: ${(error as Error).message}`);
          throw new RegistryUnavailableError(`could not register ${subject}: ${(error as Error).message}`, error);
        });
      this.registered.set(spec.name, pending);
    }
    return pending;
  }

  /** Encodes an already validated value for the topic. */
  async encode(spec: Pick<TopicSpec, 'name' | 'avro'>, value: unknown): Promise<Buffer> {
    const { schemaId, type } = await this.registeredTopic(spec);
    return encodeWire(schemaId, type.toBuffer(value));
  }

  /** Decodes a wire-format record into the topic's current schema. */
  async decode(spec: Pick<TopicSpec, 'name' | 'avro'>, buffer: Buffer): Promise<unknown> {
    return this.decodeLoaded(spec, buffer, await this.loadWriters([buffer]));
  }

  /**
   * Fetches the writer schemas of these records that are not loaded yet (once per id), so that
   * decodeLoaded can decode them without waiting: a consumer awaits this once per chunk instead
   * of once per record. A registry outage throws (the batch is retried); an id the registry
   * refuses is returned with its refusal, for decodeLoaded to dead-letter the records under it.
   */
  async loadWriters(buffers: readonly (Buffer | null)[]): Promise<Map<number, InvalidRecordError>> {
    const refusals = new Map<number, InvalidRecordError>();
    const missing = new Set<number>();
    for (const buffer of buffers) {
      const id = buffer === null ? null : schemaIdOf(buffer);
      if (id !== null && !this.loaded.has(id)) missing.add(id);
    }
    await Promise.all(
      [...missing].map((id) =>
        this.writerType(id).catch((error: unknown) => {
          if (!(error instanceof InvalidRecordError)) throw error;
          refusals.set(id, error);
        }),
      ),
    );
    return refusals;
  }

  /** decode() for a record whose writer schema loadWriters has loaded (or refused, in `refusals`); synchronous. */
  decodeLoaded(spec: Pick<TopicSpec, 'name' | 'avro'>, buffer: Buffer, refusals: ReadonlyMap<number, InvalidRecordError>): unknown {
    const wire = decodeWire(buffer);
    if (!wire) throw new InvalidRecordError('decode', `avro_decode: not Avro wire format: ${buffer.length < 5 ? `only ${buffer.length} bytes` : `magic byte ${buffer[0]}, expected 0`}`);
    const loaded = this.loaded.get(wire.schemaId);
    if (!loaded) throw refusals.get(wire.schemaId) ?? new Error(`writer schema ${wire.schemaId} was not loaded before decoding (call loadWriters first)`);
    const { type: writer, check } = loaded;
    try {
      check(wire.body);
    } catch (error) {
      if (!(error instanceof AvroBoundsError)) throw error;
      throw new InvalidRecordError('decode', `avro_bounds: Avro body refused before decoding with schema ${wire.schemaId}: ${error.message}`);
    }
    const reader = this.readerFor(spec);
    let resolver = reader.resolvers.get(wire.schemaId);
    if (resolver === undefined) {
      try {
        resolver = reader.type.equals(writer) ? null : reader.type.createResolver(writer);
      } catch (error) {
        throw new InvalidRecordError('decode', `avro_decode: schema ${wire.schemaId} cannot be read as ${spec.name}'s schema: ${(error as Error).message}`);
      }
      reader.resolvers.set(wire.schemaId, resolver);
    }
    try {
      return resolver ? reader.type.fromBuffer(wire.body, resolver) : reader.type.fromBuffer(wire.body);
    } catch (error) {
      throw new InvalidRecordError('decode', `avro_decode: Avro body does not decode with schema ${wire.schemaId}: ${(error as Error).message}`);
    }
  }

  private readerFor(spec: Pick<TopicSpec, 'name' | 'avro'>) {
    let reader = this.readers.get(spec.name);
    if (!reader) {
      reader = { type: avro.Type.forSchema(spec.avro as avro.Schema, { wrapUnions: false }), resolvers: new Map() };
      this.readers.set(spec.name, reader);
    }
    return reader;
  }

  private writerType(schemaId: number): Promise<WriterSchema> {
    let pending = this.writerTypes.get(schemaId);
    if (!pending) {
      pending = this.fetchWriter(schemaId).then((writer) => {
        this.loaded.set(schemaId, writer);
        return writer;
      }, (error: unknown) => {
        // A schema that is not Avro stays so: keep the refusal; anything else may heal.
        if (!(error instanceof InvalidRecordError && error.message.startsWith('schema_not_avro:'))) this.writerTypes.delete(schemaId);
        throw error;
      });
      this.writerTypes.set(schemaId, pending);
    }
    return pending;
  }

  private async fetchWriter(schemaId: number): Promise<WriterSchema> {
    let schema: unknown;
    try {
      schema = await this.registry.getSchema(schemaId);
    } catch (error) {
      if (statusOf(error) === 404) throw new InvalidRecordError('decode', `avro_decode: schema id ${schemaId} is unknown to the registry`);
      // The client's ResponseError is the registry (or the network) failing: retry. Anything
      // else was thrown parsing what the registry returned: that record can never be read.
      if ((error as Error)?.name === 'ResponseError') throw new RegistryUnavailableError(`could not fetch schema ${schemaId}: ${(error as Error).message}`, error);
      throw new InvalidRecordError('decode', `avro_decode: schema id ${schemaId} cannot be parsed: ${(error as Error).message}`);
    }
    const kind = this.registry.cache.getSchema(schemaId)?.type ?? SchemaType.AVRO;
    if (kind !== SchemaType.AVRO) throw new InvalidRecordError('decode', `schema_not_avro: schema id ${schemaId} is registered as ${kind}, not Avro`);
    try {
      const type = avro.Type.forSchema((schema as avro.Type).schema() as avro.Schema, { wrapUnions: false });
      return { type, check: boundsCheckerFor(type, this.limits) };
    } catch (error) {
      throw new InvalidRecordError('decode', `avro_decode: schema id ${schemaId} is not a readable Avro schema: ${(error as Error).message}`);
    }
  }
}

/** Validates a decoded value against the topic's zod schema and key rule. */
export function validateRecord<S extends TopicSpec>(spec: S, key: string | null, value: unknown): ReturnType<S['validator']['parse']> {
  const result = spec.validator.safeParse(value);
  if (!result.success) throw new InvalidRecordError('validate', `validation: ${formatIssues(result.error)}`);
  const expected = spec.keyOf(result.data as never);
  if (key !== expected) throw new InvalidRecordError('key', `key_mismatch: key ${JSON.stringify(key)} does not match the value's ${JSON.stringify(expected)}`);
  return result.data as ReturnType<S['validator']['parse']>;
}
