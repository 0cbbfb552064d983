// Dot-separated paths into JSON values ("order.items.0.sku"). Array indexes are numeric
// segments; a "." inside a key is written "\.".

export type JsonPrimitive = string | number | boolean | null;

/** Splits a path into segments, honouring "\." escapes. The empty path has no segments. */
export function splitPath(path: string): string[] {
  if (path === '') return [];
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === '\\' && path[i + 1] === '.') {
      current += '.';
      i++;
    } else if (ch === '.') {
      segments.push(current);
      current = '';
    } else current += ch;
  }
  segments.push(current);
  return segments;
}

/** Joins segments into a path, escaping dots inside keys. */
export function joinPath(segments: (string | number)[]): string {
  return segments.map((s) => String(s).replace(/\./g, '\\.')).join('.');
}

/** The value at `path`, or undefined when any segment is missing. */
export function getPath(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of splitPath(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

/** Sets `path` inside `target`, creating objects (or arrays for numeric segments) on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = splitPath(path);
  if (segments.length === 0) throw new Error('cannot set the empty path');
  let current: Record<string, unknown> | unknown[] = target;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const key = Array.isArray(current) ? Number(segment) : segment;
    if (last) {
      (current as Record<string | number, unknown>)[key] = value;
      return;
    }
    let next = (current as Record<string | number, unknown>)[key];
    if (next === null || typeof next !== 'object') {
      next = /^\d+$/.test(segments[i + 1]!) ? [] : {};
      (current as Record<string | number, unknown>)[key] = next;
    }
    current = next as Record<string, unknown> | unknown[];
  });
}

/** Every primitive leaf of a JSON value with its path, depth-first, at most `limit` of them. */
export function leaves(value: unknown, limit = 1_000): { path: string; value: JsonPrimitive }[] {
  const out: { path: string; value: JsonPrimitive }[] = [];
  const walk = (v: unknown, segments: (string | number)[]) => {
    if (out.length >= limit) return;
    if (v === null || typeof v !== 'object') {
      if (segments.length > 0 && (v === null || ['string', 'number', 'boolean'].includes(typeof v))) out.push({ path: joinPath(segments), value: v as JsonPrimitive });
      return;
    }
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...segments, i]));
    else for (const [k, item] of Object.entries(v)) walk(item, [...segments, k]);
  };
  walk(value, []);
  return out;
}
