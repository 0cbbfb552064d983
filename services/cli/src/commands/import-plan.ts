// The policies `praxis import` runs with: the services' environment, then a --policy file,
// through the same override resolvers. Unit-tested without I/O.
import { readFileSync } from 'node:fs';
import { InducerEnv, inducerPolicyFrom, inducerPolicyResolver, InducerOverrides, type InducerPolicy } from '@praxis/inducer';
import { parseConfig } from '@praxis/kafka';
import { PolicyOverrides, policyResolver, SegmenterEnv, segmenterPolicyFrom, type SegmenterPolicy } from '@praxis/segmenter';
import { z } from 'zod';

/** A --policy file: overrides keyed by "tenant" or "tenant/agent" as in INDUCER_OVERRIDES / SEGMENTER_OVERRIDES, or flat for the import's tenant. */
const PolicyFile = z
  .object({
    inducer: z.union([InducerOverrides, InducerOverrides.valueType]).optional(),
    segmenter: z.union([PolicyOverrides, PolicyOverrides.valueType]).optional(),
  })
  .strict();

export interface ImportPolicies {
  inducerFor: (tenantId: string, agentId: string) => InducerPolicy;
  segmenterFor: (tenantId: string, agentId: string) => SegmenterPolicy;
}

const POLICY_FIELDS = new Set([...Object.keys(InducerOverrides.valueType.shape), ...Object.keys(PolicyOverrides.valueType.shape)]);
const isFlat = (o: Record<string, unknown>) => Object.keys(o).every((k) => POLICY_FIELDS.has(k));

/** The policies of the import: the services' env vars (same names, same defaults), then the file's overrides. Throws ConfigError or a message naming the file. */
export function importPolicies(env: Record<string, string | undefined>, tenantId: string, policyFile?: { path: string; text: string }): ImportPolicies {
  const inducerEnv = parseConfig(InducerEnv, env);
  const segmenterEnv = parseConfig(SegmenterEnv, env);
  let inducerOverrides: InducerOverrides = { ...inducerEnv.INDUCER_OVERRIDES };
  let segmenterOverrides: PolicyOverrides = { ...segmenterEnv.SEGMENTER_OVERRIDES };
  if (policyFile) {
    let json: unknown;
    try {
      json = JSON.parse(policyFile.text);
    } catch (error) {
      throw new Error(`${policyFile.path}: not JSON (${(error as Error).message})`);
    }
    const parsed = PolicyFile.safeParse(json);
    if (!parsed.success) throw new Error(`${policyFile.path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'policy'}: ${i.message}`).join('; ')}`);
    const { inducer, segmenter } = parsed.data;
    if (inducer) inducerOverrides = mergeOverrides(inducerOverrides, isFlat(inducer) ? { [tenantId]: inducer } : inducer);
    if (segmenter) segmenterOverrides = mergeOverrides(segmenterOverrides, isFlat(segmenter) ? { [tenantId]: segmenter } : segmenter);
  }
  return {
    inducerFor: inducerPolicyResolver(inducerPolicyFrom(inducerEnv), inducerOverrides),
    segmenterFor: policyResolver(segmenterPolicyFrom(segmenterEnv), segmenterOverrides),
  };
}

function mergeOverrides<T extends Record<string, Record<string, unknown>>>(base: T, extra: Record<string, unknown>): T {
  const out: Record<string, Record<string, unknown>> = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = { ...out[k], ...(v as Record<string, unknown>) };
  return out as T;
}

/** Reads a --policy file for importPolicies. */
export function readPolicyFile(path: string | undefined): { path: string; text: string } | undefined {
  return path === undefined ? undefined : { path, text: readFileSync(path, 'utf8') };
}
