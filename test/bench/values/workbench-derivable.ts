// Throwaway measurement (not product code): how many WorkBench ground-truth argument values
// are written verbatim in their query, and how many more a named transform derives
// (services/inducer/src/binding.ts). The data set's "today" is 2023-11-30.
// Run: npx tsx test/bench/values/workbench-derivable.ts
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { derivations } from '../../../services/inducer/src/binding.js';
import { occursInText } from '../../../services/segmenter/src/dataflow.js';
import { fileURLToPath } from 'node:url';
import { findWorkbench } from '../semantic/workbench.js';

const WORKBENCH = findWorkbench(process.env, fileURLToPath(new URL('../../../', import.meta.url)));
if (!WORKBENCH) throw new Error('WorkBench not found: set PRAXIS_WORKBENCH_DIR or put shared/datasets/workbench beside the clone');
const DIR = join(WORKBENCH, 'data/processed/queries_and_answers');
const NOW = Date.UTC(2023, 10, 30, 9, 0, 0);

/** Minimal CSV reader (quoted fields, doubled quotes). */
function rows(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), out.push(row), (row = []), (field = '');
    else field += c;
  }
  if (field || row.length) row.push(field), out.push(row);
  return out;
}

const counts = { values: 0, verbatim: 0, derived: 0, none: 0 };
const byTransform = new Map<string, number>();
const misses = new Map<string, string[]>();
for (const file of readdirSync(DIR)) {
  const [, ...data] = rows(readFileSync(join(DIR, file), 'utf8'));
  for (const [query, answer] of data) {
    if (!query || !answer) continue;
    for (const call of answer.matchAll(/(\w+)\.(\w+)\.func\(([^)]*)\)/g)) {
      for (const arg of call[3]!.matchAll(/(\w+)="([^"]*)"/g)) {
        const [, name, raw] = arg;
        const value = raw!;
        counts.values++;
        if (occursInText(query, value)) {
          counts.verbatim++;
          continue;
        }
        const d = derivations(value, query, { nowMs: NOW, timeZone: 'UTC' });
        if (d.size > 0) {
          counts.derived++;
          const key = [...d.keys()][0]!.replace('\u0000', ' ');
          byTransform.set(key, (byTransform.get(key) ?? 0) + 1);
        } else {
          counts.none++;
          const k = `${call[2]}.${name}`;
          misses.set(k, [...(misses.get(k) ?? []), `${value} <- ${query.slice(0, 80)}`]);
        }
      }
    }
  }
}
console.log(counts);
console.log('derived by', Object.fromEntries([...byTransform].sort((a, b) => b[1] - a[1])));
console.log('not derivable, by argument (count, sample):');
for (const [k, v] of [...misses].sort((a, b) => b[1].length - a[1].length).slice(0, 25)) console.log(' ', k, v.length, '|', v[0]);
