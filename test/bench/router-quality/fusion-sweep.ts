// Chooses the sentence-transformer's share of the fused cosine (EMBEDDINGS_MINILM_WEIGHT): the
// calibration of calibrate.ts for each weight, MiniLM alone and hashing alone, in one run (the
// model's vectors are computed once and shared). Prints one line per weight: the thresholds set
// on the calibration half and what they do on the evaluation half.
//   pnpm exec tsx test/bench/router-quality/fusion-sweep.ts [0.3,0.5,0.7]
import { CachedEmbedder, FusedEmbedder, HashingEmbedder, minilmDir, MiniLmEmbedder, RouterConfigSchema, type Embedder } from '@praxis/router';
import { calibrate } from './calibrate.js';

const weights = (process.argv[2] ?? '0.3,0.4,0.5,0.6,0.7,0.8').split(',').map(Number);
const minilm = new CachedEmbedder(MiniLmEmbedder.load(minilmDir(RouterConfigSchema.shape.PRAXIS_CACHE_DIR.parse(undefined))));
const hashing = new HashingEmbedder(256);
const candidates: [string, Embedder][] = [
  ['hashing', hashing],
  ['minilm', minilm],
  ...weights.map((w): [string, Embedder] => [`minilm*${w}`, new FusedEmbedder([{ embedder: minilm, weight: w }, { embedder: hashing, weight: 1 - w }])]),
];
for (const [name, embedder] of candidates) {
  const c = await calibrate(embedder);
  const e = c.evaluation;
  const pct = (k: string) => `${((e[k] ?? 0) * 100).toFixed(1)}%`;
  console.log(`${name}: reuse >= ${c.reuseSimilarity}, rewrite >= ${c.rewriteSimilarity}; evaluation: top-1 ${pct('paraphrase top-1 right')}, paraphrase reuse ${pct('paraphrase band reuse')} rewrite ${pct('paraphrase band rewrite')} plan ${pct('paraphrase band plan')}, wrong-template reuse ${pct('paraphrase reuse band with the wrong template on top')}, unseen plan ${pct('unseen band plan')} reuse ${pct('unseen band reuse')}; J ${e['Youden J at rewriteSimilarity (calibration half)']}`);
}
