// Nesting depth of parsed JSON, measured without recursion: a 4,500-level document must get
// a clear refusal, not a stack overflow in whatever walks it next (JSON.stringify, ajv).

/** True when `value` nests objects/arrays deeper than `maxDepth` levels (iterative, stops early). */
export function deeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
