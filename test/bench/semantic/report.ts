// The section of docs/performance.md on the router's semantic matching (issue 10): WorkBench
// paraphrase recall and the lookup at scale, per embedder, from the router suite's figures.
import type { MeasuredFigure } from '../report.js';

const EMBEDDERS = ['fused', 'model', 'hashing', 'minilm', 'minilm_fused'] as const;
// the quality table also has each default embedder with the ranking's lexical side off (cosine alone)
const QUALITY_COLUMNS = [...EMBEDDERS, 'hashing_cosine', 'fused_cosine'] as const;
// the ratios shown: [figure, baseline] (against hashing; the ranking against cosine alone)
const RATIOS: [string, string][] = [['fused', 'hashing'], ['minilm', 'hashing'], ['minilm_fused', 'hashing'], ['hashing', 'hashing_cosine'], ['fused', 'fused_cosine']];
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
  ['lookup_p50', 'in process, one at a time: p50 (ms)'],
  ['lookup_p99', 'in process, one at a time: p99 (ms)'],
  ['healthz_rate_p50', 'GET /healthz at 200 req/s: p50 (ms), the machine\'s share'],
  ['healthz_rate_p99', 'GET /healthz at 200 req/s: p99 (ms)'],
  ['http_rate_p50', 'HTTP at 200 req/s: p50 (ms)'],
  ['http_rate_p99', 'HTTP at 200 req/s: p99 (ms)'],
  ['http_busy_p50', 'HTTP, 16 connections: p50 (ms)'],
  ['http_busy_p99', 'HTTP, 16 connections: p99 (ms)'],
  ['http_busy_rps', 'HTTP, 16 connections: lookups/s'],
  ['build', 'index build per template, graph included (µs)'],
  ['first_lookup', 'first lookup after loading (ms)'],
  ['rss', 'resident memory of the loaded router (MB)'],
  ['heap', 'of which JS heap (MB)'],
  ['recall', 'candidates find the exact best (of 100)'],
  ['recall_matching', '... of the queries whose exact best is >= 0.85 (%)'],
];
const RESTART: [string, string][] = [
  ['nocache', 'to the first answer, vector cache off (s)'],
  ['cold', 'to the first answer, empty cache (fills it) (s)'],
  ['warm', 'to the first answer, warm cache (s)'],
  ['warm_ready', 'to /readyz ready, warm cache (s)'],
];

const num = (n: number | undefined) => (n === undefined ? '–' : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

/** Markdown lines of the section, or none when the router suite has not run with these figures. */
export function semanticSection(all: MeasuredFigure[]): string[] {
  const value = (name: string) => all.find((m) => m.name === name)?.summary.median;
  if (value('router.wb_top1_hashing') === undefined && value('router.scale_lookup_p50_1k_hashing') === undefined) return [];
  const lines = ['', '## Router: matching meaning (issue 10)', ''];
  if (value('router.wb_top1_hashing') !== undefined) {
    lines.push(
      'WorkBench paraphrases (`pnpm bench router`, or alone `pnpm bench router-paraphrase`; test/bench/semantic/quality.ts): one learned template per task template, from the queries of the first half of its phrasings (at most 6); looked up with every query of the other phrasings; one task template in 6 held out entirely (unseen). Percentages of queries; each embedder with the thresholds calibrated for it (services/router/src/calibration.json). minilm: all-MiniLM-L6-v2 (ONNX, onnxruntime, 1 thread); minilm_fused: its cosine 0.4 + hashing 0.6. Candidates are ranked by the cosine blended with idf-weighted query coverage (services/router/src/index/lexical.ts); hashing_cosine and fused_cosine are the same embedders ranked by the cosine alone, in the same run (the ranking\'s baseline).',
      '',
      `| figure | ${QUALITY_COLUMNS.join(' | ')} | ${RATIOS.map(([r, b]) => `${r} / ${b}`).join(' | ')} |`,
      `|---|${QUALITY_COLUMNS.map(() => '---|').join('')}${RATIOS.map(() => '---|').join('')}`,
    );
    for (const [key, label] of QUALITY) {
      const v = QUALITY_COLUMNS.map((e) => value(`router.wb_${key}_${e}`));
      const ratios = RATIOS.map(([r, b]) => {
        const x = value(`router.wb_${key}_${r}`);
        const base = value(`router.wb_${key}_${b}`);
        return x !== undefined && base ? `x${(x / base).toFixed(2)}` : '';
      });
      lines.push(`| ${label} | ${v.map(num).join(' | ')} | ${ratios.join(' | ')} |`);
    }
    lines.push(
      '',
      'Times are wall time on the shared 2-core machine under other sessions\' load (load average around 15 in the recorded runs): a query mostly waits for a core, so the p99 rows say more about the machine than the embedder. The CPU-time row is the embedder\'s own cost: the sentence-transformer (one onnxruntime thread) needs 22 to 24 ms of CPU a WorkBench query on average (10 to 60 tokens; a 15-token query alone: 12 ms), more than the whole 10 ms lookup budget, which is one reason it is an option and not the default (docs/router.md, "Embeddings").',
    );
  }
  const rankSizes = ['1k', '10k', '100k'].filter((k) => value(`router.ranking_lookup_p50_${k}_ranked`) !== undefined);
  if (rankSizes.length > 0) {
    lines.push(
      '',
      'What the ranking\'s lexical side costs a lookup (`pnpm bench router-ranking`; test/bench/router-quality/ranking-cost.ts): one tenant of synthetic templates (2 trigger examples each, hashing), two router cores on the same catalog, the default ranking and the cosine alone, lookups alternating between them, in process, the query\'s embedding included (µs).',
      '',
      '| templates | ranked p50 | cosine p50 | ratio | ranked p99 | cosine p99 | ratio |',
      '|---|---|---|---|---|---|---|',
    );
    for (const k of rankSizes) {
      const r50 = value(`router.ranking_lookup_p50_${k}_ranked`);
      const c50 = value(`router.ranking_lookup_p50_${k}_cosine`);
      const r99 = value(`router.ranking_lookup_p99_${k}_ranked`);
      const c99 = value(`router.ranking_lookup_p99_${k}_cosine`);
      const ratio = (a?: number, b?: number) => (a !== undefined && b ? `x${(a / b).toFixed(2)}` : '');
      lines.push(`| ${k} | ${num(r50)} | ${num(c50)} | ${ratio(r50, c50)} | ${num(r99)} | ${num(c99)} | ${ratio(r99, c99)} |`);
    }
  }
  const cpuSizes = ['1k', '10k', '100k'].filter((k) => value(`router.lookup_cpu_p50_${k}_hashing`) !== undefined);
  if (cpuSizes.length > 0) {
    lines.push(
      '',
      'What one lookup costs in CPU time apart from wall time (`pnpm bench router-lookup-cpu`; test/bench/router-quality/lookup-cpu.ts): one tenant of synthetic templates (2 trigger examples each), one router core per embedder, in process, one lookup at a time, the query\'s embedding included; CPU time is the process\'s user + system time across the lookup (the collector\'s threads included), which the shared machine\'s queue for a core does not inflate; medians of the repeats (µs). Cells: fused / hashing, then the ratio fused / hashing.',
      '',
      '| templates | CPU p50 | CPU p99 | CPU mean | wall p50 | wall p99 |',
      '|---|---|---|---|---|---|',
    );
    for (const k of cpuSizes) {
      const cell = (f: string) => {
        const fused = value(`router.lookup_${f}_${k}_fused`);
        const hashing = value(`router.lookup_${f}_${k}_hashing`);
        return `${num(fused)} / ${num(hashing)}${fused !== undefined && hashing ? ` (x${(fused / hashing).toFixed(2)})` : ''}`;
      };
      lines.push(`| ${k} | ${['cpu_p50', 'cpu_p99', 'cpu_mean', 'wall_p50', 'wall_p99'].map(cell).join(' | ')} |`);
    }
  }
  const sizes = ['1k', '10k', '100k', '1M'].filter((k) => value(`router.scale_lookup_p50_${k}_hashing`) !== undefined);
  if (sizes.length > 0) {
    lines.push(
      '',
      'One tenant, synthetic templates with 2 trigger examples each, each embedder in a router process of its own (test/bench/semantic/scale.ts): in process one lookup at a time, and over HTTP (fastify, loopback, autocannon) at a fixed 200 lookups/s and with 16 connections as fast as answered; the query\'s embedding included. Cells: fused / model / hashing. Latencies depend on the load of the shared 2-core machine more than on the embedder (docs/router.md, "Measured: scale", gives the load average of the recorded run).',
      '',
      `| figure | ${sizes.join(' | ')} |`,
      `|---|${sizes.map(() => '---|').join('')}`,
    );
    for (const [key, label] of SCALE) {
      if (sizes.every((k) => EMBEDDERS.every((e) => value(`router.scale_${key}_${k}_${e}`) === undefined))) continue; // not measured in the recorded run
      lines.push(`| ${label} | ${sizes.map((k) => EMBEDDERS.map((e) => num(value(`router.scale_${key}_${k}_${e}`))).join(' / ')).join(' | ')} |`);
    }
  }
  const ceiling = all.find((m) => m.name === 'router.ceiling_templates_fused');
  if (ceiling) {
    lines.push('', `Memory ceiling (fused, one router, loaded in steps until 1M or past 4 GiB resident): ${num(ceiling.summary.median)} templates within 4,096 MB (${ceiling.notes ?? ''}); ${num(value('router.ceiling_rss_per_100k_fused'))} MB per 100k more templates; 1M projected at ${num(value('router.ceiling_rss_projected_1M_fused'))} MB. Sharding: docs/router.md, "1M templates".`);
  }
  const whole = all.find((m) => m.name === 'router.shards_whole_rss');
  if (whole) {
    const shard = (name: string) => all.find((m) => m.name === name);
    const spread = (name: string) => {
      const m = shard(name);
      return m ? `${num(m.summary.median)} [${num(m.summary.min)} .. ${num(m.summary.max)}]` : '–';
    };
    const ratio = (a: string, b: string) => (value(a) !== undefined && value(b) ? `x${(value(a)! / value(b)!).toFixed(2)}` : '–');
    const of = whole.label.match(/\(([^)]+)\)$/)?.[1] ?? '';
    lines.push(
      '',
      `Router shards by tenant (\`pnpm bench router-shards\`; docs/router.md, "Shards by tenant"): ${of}, one templates topic; a router of every tenant, then each of 3 shards (\`ROUTER_SHARD=i/3\`), each a fresh process reading the whole topic. Shards: median [min .. max] of the 3.`,
      '',
      '| figure | one router | each shard | shard / one router |',
      '|---|---|---|---|',
      `| templates held | ${num(value('router.shards_whole_templates') ?? shard('router.shards_shard_templates')?.samples.reduce((a, b) => a + b, 0))} | ${spread('router.shards_shard_templates')} | |`,
      `| restart to ready (s) | ${num(value('router.shards_whole_ready'))} | ${spread('router.shards_shard_ready')} | ${ratio('router.shards_shard_ready', 'router.shards_whole_ready')} |`,
      `| resident memory when ready (MB) | ${num(value('router.shards_whole_rss'))} | ${spread('router.shards_shard_rss')} | ${ratio('router.shards_shard_rss', 'router.shards_whole_rss')} |`,
      `| resident memory the catalog added (MB) | ${num(value('router.shards_whole_growth'))} | ${spread('router.shards_shard_growth')} | ${ratio('router.shards_shard_growth', 'router.shards_whole_growth')} |`,
      `| in-process lookup p50, own tenants (ms) | ${num(value('router.shards_whole_lookup_p50'))} | ${spread('router.shards_shard_lookup_p50')} | ${ratio('router.shards_shard_lookup_p50', 'router.shards_whole_lookup_p50')} |`,
    );
  }
  const restarts = EMBEDDERS.filter((e) => value(`router.restart_warm_${e}`) !== undefined);
  if (restarts.length > 0) {
    const count = all.find((m) => m.name === `router.restart_warm_${restarts[0]}`)?.label.match(/, ([0-9.]+[kM]) templates/)?.[1] ?? '';
    lines.push('', `Restart to ready at ${count} templates on the topic, a fresh router process each time (reads the topic, embeds or reads its vectors, builds or loads its graph): ${restarts.join(' / ')}.`, '', '| restart | value | against the cache off (or the empty cache) |', '|---|---|---|');
    for (const [key, label] of RESTART) {
      const v = restarts.map((e) => value(`router.restart_${key}_${e}`));
      const ratio = restarts.map((e) => {
        const off = value(`router.restart_nocache_${e}`) ?? value(`router.restart_cold_${e}`);
        const x = value(`router.restart_${key}_${e}`);
        return off && x !== undefined ? `x${(x / off).toFixed(2)}` : '–';
      });
      if (v.every((x) => x === undefined)) continue;
      lines.push(`| ${label} | ${v.map(num).join(' / ')} | ${key === 'nocache' ? '' : ratio.join(' / ')} |`);
    }
  }
  return lines;
}
