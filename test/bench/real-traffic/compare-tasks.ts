// Per-task outcomes of real-traffic runs, counted and compared.
//   npx tsx test/bench/real-traffic/compare-tasks.ts A [B]
// A and B are either the offline loop's JSONL (`offline-loop.ts --out`) or the bench's
// test/bench/results/real-traffic-tasks.json. With one file: the outcome counts of the held-out
// tasks of seen templates, per task template. With two: the tasks whose outcome changed, grouped
// by task template and (before, after), then both totals.
import { readFileSync } from 'node:fs';

interface TaskRow { taskId: string; template: string; outcome: string; unseenTemplate?: boolean }

function load(path: string): Map<string, TaskRow> {
  const text = readFileSync(path, 'utf8');
  let rows: TaskRow[];
  try {
    const parsed = JSON.parse(text) as { tasks?: TaskRow[] } | TaskRow[];
    rows = Array.isArray(parsed) ? parsed : (parsed.tasks ?? []);
  } catch {
    rows = text.split('\n').filter((l) => l.trim()).map((l, i) => {
      try { return JSON.parse(l) as TaskRow; } catch (e) { throw new Error(`${path}:${i + 1}: not a JSON line (${(e as Error).message})`); }
    });
  }
  return new Map(rows.filter((r) => !r.unseenTemplate).map((r) => [r.taskId, r]));
}

function count<T>(items: Iterable<T>, key: (t: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of items) out.set(key(t), (out.get(key(t)) ?? 0) + 1);
  return new Map([...out].sort((a, b) => b[1] - a[1]));
}

const [pathA, pathB] = process.argv.slice(2);
if (!pathA) {
  console.error('usage: compare-tasks.ts A [B]  (offline-loop JSONL or real-traffic-tasks.json)');
  process.exit(2);
}
const a = load(pathA);
const totals = (m: Map<string, TaskRow>) => JSON.stringify(Object.fromEntries(count(m.values(), (t) => t.outcome)));
if (!pathB) {
  for (const [k, n] of count(a.values(), (t) => `${t.template.slice(0, 80)} | ${t.outcome}`)) console.log(n, k);
  console.log('total', totals(a));
} else {
  const b = load(pathB);
  const changed = [...a.values()].filter((t) => b.has(t.taskId) && b.get(t.taskId)!.outcome !== t.outcome);
  for (const [k, n] of count(changed, (t) => `${t.template.slice(0, 80)} | ${t.outcome} -> ${b.get(t.taskId)!.outcome}`)) console.log(n, k);
  console.log('A', totals(a));
  console.log('B', totals(b));
}
