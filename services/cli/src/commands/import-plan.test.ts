import { describe, expect, it } from 'vitest';
import { importPolicies } from './import-plan.js';

describe('import policies', () => {
  it('take the services env vars, then the --policy file (flat for the import tenant, or keyed)', () => {
    const env = { INDUCER_MIN_SUPPORT: '7', SEGMENTER_MAX_STEPS: '50', INDUCER_OVERRIDES: '{"acme/bot": {"minSuccessRate": 0.5}}' };
    const plain = importPolicies(env, 'acme');
    expect(plain.inducerFor('acme', 'x')).toMatchObject({ minSupport: 7, minSuccessRate: 0.6 });
    expect(plain.inducerFor('acme', 'bot')).toMatchObject({ minSupport: 7, minSuccessRate: 0.5 });
    expect(plain.segmenterFor('acme', 'x').maxSteps).toBe(50);
    const flat = importPolicies(env, 'acme', { path: 'p.json', text: '{"inducer": {"minSupport": 2, "minStepsToLearn": 2}, "segmenter": {"maxSteps": 9}}' });
    expect(flat.inducerFor('acme', 'bot')).toMatchObject({ minSupport: 2, minStepsToLearn: 2, minSuccessRate: 0.5 });
    expect(flat.inducerFor('other', 'bot')).toMatchObject({ minSupport: 7 });
    expect(flat.segmenterFor('acme', 'x').maxSteps).toBe(9);
    const keyed = importPolicies(env, 'acme', { path: 'p.json', text: '{"inducer": {"acme/bot": {"minSupport": 3}}}' });
    expect(keyed.inducerFor('acme', 'bot')).toMatchObject({ minSupport: 3, minSuccessRate: 0.5 });
  });

  it('refuse a bad file or env with the reason', () => {
    expect(() => importPolicies({}, 'a', { path: 'p.json', text: '{"inducer": {"minSupport": 1}}' })).toThrow(/^p\.json: /);
    expect(() => importPolicies({}, 'a', { path: 'p.json', text: '{"inducr": {}}' })).toThrow(/p\.json: .*inducr/);
    expect(() => importPolicies({}, 'a', { path: 'p.json', text: '{' })).toThrow(/p\.json: not JSON/);
    expect(() => importPolicies({ INDUCER_MIN_STEPS: '1' }, 'a')).toThrow(/INDUCER_MIN_STEPS/);
  });
});
