import { z } from 'zod';

/** Thrown when the environment does not describe a usable configuration. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SECRET = /SECRET|PASSWORD|TOKEN|API_KEY|KEYS$/i;

/**
 * Parses the environment with one zod object schema. Every problem names the variable,
 * what is wrong and the value received (hidden for secrets), so a service fails fast.
 */
export function parseConfig<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined> = process.env): z.output<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const raw = env[key];
    input[key] = raw === '' ? undefined : raw;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(config)');
      const raw = input[name];
      const shown = raw === undefined ? 'not set' : SECRET.test(name) ? 'got a value (hidden)' : `got ${JSON.stringify(raw)}`;
      return `${name}: ${issue.message} (${shown})`;
    }),
  );
}

/** A comma-separated list of host:port. */
export const brokerList = z
  .string()
  .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be a comma-separated list of host:port')).min(1, 'must name at least one broker'));

/** A variable holding JSON, parsed and then checked against `schema`. */
export function jsonEnv<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `is not valid JSON (${(error as Error).message})` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** A TCP port; 0 lets the OS choose. */
export const port = z.coerce.number().int().min(0).max(65535);
export const positiveInt = z.coerce.number().int().positive();
export const boolFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Transport security of the Kafka client and the registry (docs/security.md, "Boundaries,
 * secrets and transport"): SASL PLAIN or SCRAM, TLS (with a CA and a client certificate for
 * mutual TLS), and basic auth to the registry. All optional: loopback needs none.
 */
export const kafkaSecurityEnvShape = {
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512'], 'must be plain, scram-sha-256 or scram-sha-512').optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  KAFKA_TLS: boolFlag.default(false),
  KAFKA_TLS_CA_FILE: z.string().optional(),
  KAFKA_TLS_CERT_FILE: z.string().optional(),
  KAFKA_TLS_KEY_FILE: z.string().optional(),
  SCHEMA_REGISTRY_USERNAME: z.string().optional(),
  SCHEMA_REGISTRY_PASSWORD: z.string().optional(),
} as const;

/**
 * Tracing (docs/observability.md): off unless an OTLP/HTTP endpoint is set. The traces
 * endpoint is used as given; the general one gets `/v1/traces` appended (OTel's rules).
 */
export const tracingEnvShape = {
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url('must be a URL').optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url('must be a URL').optional(),
} as const;

/** The OTLP traces URL the tracing settings name, if any. */
export function tracesEndpoint(settings: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string; OTEL_EXPORTER_OTLP_ENDPOINT?: string }): string | undefined {
  if (settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (settings.OTEL_EXPORTER_OTLP_ENDPOINT) return `${settings.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/** Variables every Kafka service reads. Spread into a service's own schema. */
export const kafkaEnvShape = {
  KAFKA_BROKERS: brokerList.default(['127.0.0.1:9092']),
  SCHEMA_REGISTRY_URL: z.url('must be a URL').default('http://127.0.0.1:8081/apis/ccompat/v7'),
  PRAXIS_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may contain only letters, digits, ".", "_" and "-"')
    .default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OPS_HOST: z.string().default('127.0.0.1'),
  /** How long a batch or tick may run, or lag wait without a finished batch, before /readyz reports the loop stalled. */
  CONSUMER_STALL_AFTER_MS: positiveInt.default(60_000),
  /** Partitions a consumer whose state is per partition (the segmenter) has in flight at once (ConsumerRunnerOptions.partitionsInFlight). */
  CONSUMER_PARTITIONS_IN_FLIGHT: positiveInt.default(1),
  ...tracingEnvShape,
  ...kafkaSecurityEnvShape,
} as const;
