import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, kafkaEnvShape, parseConfig } from './config.js';
import { kafkaSecurity } from './security.js';

const schema = z.object({ ...kafkaEnvShape });
const files: Record<string, string> = { '/etc/kafka/ca.pem': 'CA', '/etc/kafka/client.pem': 'CERT', '/etc/kafka/client.key': 'KEY' };
const readFile = (path: string) => {
  if (!(path in files)) throw new Error(`ENOENT: ${path}`);
  return files[path]!;
};
const securityOf = (env: Record<string, string>) => kafkaSecurity(parseConfig(schema, env), readFile);

describe('Kafka and registry security from the environment', () => {
  it('needs nothing on loopback', () => {
    expect(securityOf({})).toEqual({});
  });

  it('passes SASL PLAIN and SCRAM with TLS to the client', () => {
    expect(securityOf({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'router', KAFKA_SASL_PASSWORD: 'pw', KAFKA_TLS: 'true' })).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'router', password: 'pw' },
      ssl: true,
    });
    expect(securityOf({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toEqual({ sasl: { mechanism: 'plain', username: 'u', password: 'p' } });
  });

  it('reads a CA and a client certificate for mutual TLS, and registry basic auth', () => {
    expect(
      securityOf({ KAFKA_TLS_CA_FILE: '/etc/kafka/ca.pem', KAFKA_TLS_CERT_FILE: '/etc/kafka/client.pem', KAFKA_TLS_KEY_FILE: '/etc/kafka/client.key', SCHEMA_REGISTRY_USERNAME: 'sink', SCHEMA_REGISTRY_PASSWORD: 'rpw' }),
    ).toEqual({ ssl: { ca: 'CA', cert: 'CERT', key: 'KEY' }, registryAuth: { username: 'sink', password: 'rpw' } });
  });

  it('names every inconsistent variable at once, without echoing secrets', () => {
    try {
      securityOf({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_TLS_CA_FILE: '/nope.pem', KAFKA_TLS_CERT_FILE: '/etc/kafka/client.pem', SCHEMA_REGISTRY_PASSWORD: 'hidden-pw' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/KAFKA_SASL_USERNAME: required with KAFKA_SASL_MECHANISM=scram-sha-256/);
      expect(problems).toMatch(/KAFKA_SASL_PASSWORD: required/);
      expect(problems).toMatch(/KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE: give both/);
      expect(problems).toMatch(/KAFKA_TLS_CA_FILE: cannot be read \(ENOENT: \/nope.pem\)/);
      expect(problems).toMatch(/SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD: give both/);
      expect(problems).not.toContain('hidden-pw');
    }
    expect(() => securityOf({ KAFKA_SASL_USERNAME: 'u' })).toThrow(/KAFKA_SASL_MECHANISM: required/);
  });

  it('refuses an unknown mechanism when the environment is parsed, hiding the password', () => {
    expect(() => parseConfig(schema, { KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(/KAFKA_SASL_MECHANISM: must be plain, scram-sha-256 or scram-sha-512 \(got "gssapi"\)/);
    expect(() => parseConfig(schema, { KAFKA_TLS: 'yes' })).toThrow(/KAFKA_TLS/);
  });
});
