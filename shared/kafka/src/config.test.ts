import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, kafkaEnvShape, parseConfig, port } from './config.js';

const schema = z.object({ ...kafkaEnvShape, OPS_PORT: port.default(9400), ROUTER_API_KEYS: z.string().min(10) });

describe('parseConfig', () => {
  it('fills defaults and parses lists', () => {
    const config = parseConfig(schema, { KAFKA_BROKERS: 'a:1, b:2', ROUTER_API_KEYS: 'x'.repeat(12) });
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(config.OPS_PORT).toBe(9400);
    expect(config.SCHEMA_REGISTRY_URL).toMatch(/ccompat/);
  });

  it('names every bad variable, what is wrong and what it got', () => {
    try {
      parseConfig(schema, { KAFKA_BROKERS: 'nohost', OPS_PORT: '99999', ROUTER_API_KEYS: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toMatch(/KAFKA_BROKERS: .*host:port.*\(got "nohost"\)/);
      expect(message).toMatch(/OPS_PORT: .*\(got "99999"\)/);
      // secrets are named but their value is not echoed
      expect(message).toMatch(/ROUTER_API_KEYS: .*\(got a value \(hidden\)\)/);
      expect(message).not.toContain('short');
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig(schema, { KAFKA_BROKERS: '', ROUTER_API_KEYS: 'x'.repeat(12) }).KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
  });

  it('says when a required variable is missing', () => {
    expect(() => parseConfig(schema, {})).toThrow(/ROUTER_API_KEYS: .*\(not set\)/);
  });
});
