// Turns the parsed security variables into kafkajs' `sasl`/`ssl` options and the registry's
// basic auth. Pure apart from reading the certificate files it is pointed at; problems that
// span several variables (a mechanism without a password) are a ConfigError naming them all.
import { readFileSync } from 'node:fs';
import type { SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from './config.js';

/** The security variables as parsed by kafkaEnvShape (all optional). */
export interface KafkaSecuritySettings {
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  KAFKA_TLS?: boolean;
  KAFKA_TLS_CA_FILE?: string;
  KAFKA_TLS_CERT_FILE?: string;
  KAFKA_TLS_KEY_FILE?: string;
  SCHEMA_REGISTRY_USERNAME?: string;
  SCHEMA_REGISTRY_PASSWORD?: string;
}

/** What createKafka and the registry client take. */
export interface KafkaSecurity {
  sasl?: SASLOptions;
  ssl?: boolean | ConnectionOptions;
  registryAuth?: { username: string; password: string };
}

/** Builds the client security options; throws ConfigError naming every inconsistent variable. */
export function kafkaSecurity(settings: KafkaSecuritySettings, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): KafkaSecurity {
  const problems: string[] = [];
  const out: KafkaSecurity = {};
  const mechanism = settings.KAFKA_SASL_MECHANISM;
  if (mechanism) {
    if (!settings.KAFKA_SASL_USERNAME) problems.push(`KAFKA_SASL_USERNAME: required with KAFKA_SASL_MECHANISM=${mechanism} (not set)`);
    if (!settings.KAFKA_SASL_PASSWORD) problems.push(`KAFKA_SASL_PASSWORD: required with KAFKA_SASL_MECHANISM=${mechanism} (not set)`);
    out.sasl = { mechanism, username: settings.KAFKA_SASL_USERNAME ?? '', password: settings.KAFKA_SASL_PASSWORD ?? '' } as SASLOptions;
  } else if (settings.KAFKA_SASL_USERNAME || settings.KAFKA_SASL_PASSWORD) {
    problems.push('KAFKA_SASL_MECHANISM: required when KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is set (not set)');
  }
  const files = { ca: settings.KAFKA_TLS_CA_FILE, cert: settings.KAFKA_TLS_CERT_FILE, key: settings.KAFKA_TLS_KEY_FILE };
  if (Boolean(files.cert) !== Boolean(files.key)) problems.push('KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE: give both for mutual TLS, or neither');
  if (settings.KAFKA_TLS || files.ca || files.cert) {
    const tls: ConnectionOptions = {};
    for (const [name, path] of Object.entries(files)) {
      if (!path) continue;
      try {
        tls[name as 'ca' | 'cert' | 'key'] = readFile(path);
      } catch (error) {
        problems.push(`KAFKA_TLS_${name.toUpperCase()}_FILE: cannot be read (${(error as Error).message})`);
      }
    }
    out.ssl = Object.keys(tls).length > 0 ? tls : true;
  }
  if (Boolean(settings.SCHEMA_REGISTRY_USERNAME) !== Boolean(settings.SCHEMA_REGISTRY_PASSWORD)) {
    problems.push('SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD: give both, or neither');
  } else if (settings.SCHEMA_REGISTRY_USERNAME) {
    out.registryAuth = { username: settings.SCHEMA_REGISTRY_USERNAME, password: settings.SCHEMA_REGISTRY_PASSWORD! };
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}
