// The section of docs/performance.md on the router's semantic matching (issue 10): WorkBench
// paraphrase recall and the lookup at scale, per embedder, from the router suite's figures.
import type { MeasuredFigure } from '../report.js';

const EMBEDDERS = ['fused', 'model', 'hashing', 'minilm', 'minilm_fused'] as const;
const HASHING = EMBEDDERS.indexOf('hashing');
// the ratios shown against hashing
const RATIOS = ['fused', 'minilm', 'minilm_fused'] as const;
const QUALITY: [string, string][] = [
  ['top1', 'paraphrase: top-1 template'],
  ['not_plan', 'paraphrase: reuse or rewrite'],
  ['reuse', 'paraphrase: reuse'],
  ['plan', 'paraphrase: plan'],
  ['unseen_plan', 'unseen task template: plan'],
  ['separability', 'paraphrase vs unseen, similarity AUC'],
  ['persona_top1', 'with a persona on every text: top-1'],
  ['persona_unseen_plan', 'with a persona: unseen plan'],
  ['unreduced_top1', 'with a persona, reduction off: top-1'],
  ['unreduced_unseen_plan', 'with a persona, reduction off: unseen plan'],
  ['embed_us', 'embedding one query, p50 (µs)'],
  ['embed_p99_us', 'embedding one query, p99 (µs)'],
  ['embed_cpu_us', 'embedding one query, CPU time (µs)'],
  ['lookup_p50_us', 'in-process lookup p50, embedding included (µs)'],
  ['lookup_p99_us', 'in-process lookup p99, embedding included (µs)'],
];
const SCALE: [string, string][] = [
  ['lookup_p50', 'lookup p50 (ms)'],
  ['lookup_p99', 'lookup p99 (ms)'],
  ['build', 'index build per template (µs)'],
  ['first_lookup', 'first lookup after loading (ms)'],
  ['rss', 'resident memory (MB)'],
  ['recall', 'candidates find the exact best (%)'],
  ['recall_graph', 'graph alone finds it (%)'],
];

const num = (n: number | undefined) => (n === undefined ? '–' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

/** Markdown lines of the section, or none when the router suite has not run with these figures. */
export function semanticSection(all: MeasuredFigure[]): string[] {
  const value = (name: string) => all.find((m) => m.name === name)?.summary.median;
  if (value('router.wb_top1_hashing') === undefined && value('router.scale_lookup_p50_1k_hashing') === undefined) return [];
  const lines = ['', '## Router: matching meaning (issue 10)', ''];
  if (value('router.wb_top1_hashing') !== undefined) {
    lines.push(
      'WorkBench paraphrases (`pnpm bench router`, or alone `pnpm bench router-paraphrase`; test/bench/semantic/quality.ts): one learned template per task template, from the queries of the first half of its phrasings (at most 6); looked up with every query of the other phrasings; one task template in 6 held out entirely (unseen). Percentages of queries; each embedder with the thresholds calibrated for it (services/router/src/calibration.json). minilm: all-MiniLM-L6-v2 (ONNX, onnxruntime, 1 thread); minilm_fused: its cosine 0.4 + hashing 0.6.',
      '',
      `| figure | ${EMBEDDERS.join(' | ')} | ${RATIOS.map((r) => `${r} / hashing`).join(' | ')} |`,
      `|---|${EMBEDDERS.map(() => '---|').join('')}${RATIOS.map(() => '---|').join('')}`,
    );
    for (const [key, label] of QUALITY) {
      const v = EMBEDDERS.map((e) => value(`router.wb_${key}_${e}`));
      const base = v[HASHING];
      const ratios = RATIOS.map((r) => {
        const x = v[EMBEDDERS.indexOf(r)];
        return x !== undefined && base ? `x${(x / base).toFixed(2)}` : '';
      });
      lines.push(`| ${label} | ${v.map(num).join(' | ')} | ${ratios.join(' | ')} |`);
    }
    lines.push(
      '',
      'Times are wall time on the shared 2-core machine under the other helpers\' load (load average around 15 in the recorded runs): a query mostly waits for a core, so the p99 rows say more about the machine than the embedder. The CPU-time row is the embedder\'s own cost: the sentence-transformer (one onnxruntime thread) needs 22 to 24 ms of CPU a WorkBench query on average (10 to 60 tokens; a 15-token query alone: 12 ms), more than the whole 10 ms lookup budget, which is one reason it is an option and not the default (docs/router.md, "Embeddings").',
    );
  }
  const sizes = ['1k', '10k', '100k'].filter((k) => value(`router.scale_lookup_p50_${k}_hashing`) !== undefined);
  if (sizes.length > 0) {
    lines.push(
      '',
      'One tenant, synthetic templates with 2 trigger examples each, in process (no HTTP), the query\'s embedding included (test/bench/semantic/scale.ts). Cells: fused / hashing. Latencies and build costs depend on the load of the shared machine more than on the embedder (the recorded run: load average 13 to 23 on 2 cores); the 100k figures, the limits and 1M: docs/router.md, "Measured: matching meaning".',
      '',
      `| figure | ${sizes.join(' | ')} |`,
      `|---|${sizes.map(() => '---|').join('')}`,
    );
    for (const [key, label] of SCALE) lines.push(`| ${label} | ${sizes.map((k) => `${num(value(`router.scale_${key}_${k}_fused`))} / ${num(value(`router.scale_${key}_${k}_hashing`))}`).join(' | ')} |`);
  }
  const restart = value('router.restart_ready_fused');
  if (restart !== undefined) lines.push('', `Restart to ready (fresh router reads the templates topic, embeds, indexes, answers its first lookup): ${num(restart)} s fused, ${num(value('router.restart_ready_hashing'))} s hashing (${all.find((m) => m.name === 'router.restart_ready_fused')?.label ?? ''}).`);
  return lines;
}
