/**
 * What a value of a slot must satisfy. An enum the inducer learned lists the values seen so
 * far, not every value allowed: it guides extraction and generation but rejects nothing (the
 * tool's own parameter schema remains the contract, checked before each call). The schemas
 * of user workflows are kept whole: there an enum is the user's word.
 */
export function slotConstraint(schema: Record<string, unknown>, source: 'LEARNED' | 'USER'): Record<string, unknown> {
  if (source !== 'LEARNED' || !('enum' in schema)) return schema;
  const { enum: _seen, ...rest } = schema;
  return rest;
}
