import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RouterConfigSchema } from '../config.js';
import { calibrationFor, Policies } from '../policy.js';
import { RouterCore } from '../router-core.js';
import { localEmbedderFor } from '../service.js';
import { cancelTemplate, MemorySink, template } from '../test-support/fixtures.js';
import { dot } from './embedder.js';
import { MINILM_MODEL, minilmDir, minilmPresent, MiniLmEmbedder } from './minilm.js';

// The model infra/fetch-model.sh built (bootstrap runs it before the tests).
const cacheDir = RouterConfigSchema.shape.PRAXIS_CACHE_DIR.parse(process.env.PRAXIS_CACHE_DIR);
const dir = minilmDir(cacheDir);

interface Reference {
  sentences: { text: string; ids: number[]; embedding: number[] }[];
}

describe('the sentence-transformer (all-MiniLM-L6-v2, built by the setup)', () => {
  it('is installed by the setup', () => {
    expect(minilmPresent(dir), `${dir} should hold ${MINILM_MODEL.graph} and ${MINILM_MODEL.tokenizer}: run infra/fetch-model.sh`).toBe(true);
  });

  const model = MiniLmEmbedder.load(dir);
  const reference = JSON.parse(readFileSync(join(dir, MINILM_MODEL.reference), 'utf8')) as Reference;

  it('tokenises as the HF tokenizers library does (ids written by the setup from Python)', () => {
    expect(reference.sentences.length).toBeGreaterThan(2);
    // the reference texts hold no entity the mask would change
    for (const s of reference.sentences) expect(model.tokenIds(s.text)).toEqual(s.ids);
  });

  it('reproduces a numpy forward pass of the same weights, in one padded batch (cosine > 0.9999)', async () => {
    const vectors = await model.embedIds(reference.sentences.map((s) => s.ids));
    reference.sentences.forEach((s, i) => {
      expect(vectors[i]!.length).toBe(384);
      expect(dot(vectors[i]!, Float32Array.from(s.embedding))).toBeGreaterThan(0.9999);
    });
  });

  it('gives the similarities sentence-transformers documents for this model', async () => {
    // the quickstart of sentence-transformers, with all-MiniLM-L6-v2: 0.6660, 0.1046, 0.1411
    const [a, b, c] = await model.embed(['The weather is lovely today.', "It's so sunny outside!", 'He drove to the stadium.']);
    expect(dot(a!, b!)).toBeCloseTo(0.666, 3);
    expect(dot(a!, c!)).toBeCloseTo(0.1046, 3);
    expect(dot(b!, c!)).toBeCloseTo(0.1411, 3);
  });

  it('gives the same unit vector alone or in a batch, and reads entity values as their kind', async () => {
    const [alone] = await model.embed(['cancel order A-1001']);
    const [, batched, other] = await model.embed(['a much longer request that pads the others in its batch', 'cancel order B-77', 'cancel order A-1001']);
    expect(dot(alone!, alone!)).toBeCloseTo(1, 5);
    expect(dot(alone!, batched!)).toBeGreaterThan(0.9999);
    expect(dot(alone!, other!)).toBeGreaterThan(0.9999);
  });

  it('puts paraphrases with no shared word closer than unrelated requests', async () => {
    const [refund, moneyBack, rename] = await model.embed(['refund my purchase', 'I want my money back for this order', 'rename the project board']);
    expect(dot(refund!, moneyBack!)).toBeGreaterThan(dot(refund!, rename!) + 0.2);
  });

  it('cuts a text past 256 tokens, keeping [SEP] last', () => {
    const ids = model.tokenIds('word '.repeat(400));
    expect(ids.length).toBeLessThanOrEqual(MINILM_MODEL.maxTokens);
    expect(ids[ids.length - 1]).toBe(102);
  });
});

describe('the router with the sentence-transformer', () => {
  it('indexes 384-d vectors and serves a paraphrase with no shared content word, with its calibrated thresholds', async () => {
    const embedder = MiniLmEmbedder.load(dir);
    const policies = new Policies({}, calibrationFor(embedder.id));
    expect(policies.of('acme').rewriteSimilarity).toBe(0.675);
    const core = new RouterCore({ embedder, policies, sink: new MemorySink() });
    const track = template({ templateId: 'tpl-track', triggerExamples: ['where is my order A-1001?', 'track order A-7'] });
    await core.applyRecords([track, cancelTemplate()].map((t, i) => ({ key: t.templateId, value: t, partition: 0, offset: String(i) })));
    const r = await core.lookup('acme', { query: 'has my parcel B-77 shipped yet?', agentId: 'support-bot', maxAlternatives: 3 });
    expect(r.templateId ?? r.alternatives[0]?.templateId).toBe('tpl-track');
  });
});

describe('choosing the sentence-transformer', () => {
  const config = (env: Record<string, string>) => RouterConfigSchema.parse({ ROUTER_API_KEYS: `t:${'a'.repeat(64)}`, ...env });

  it('runs it alone or fused with hashing on request', () => {
    const alone = localEmbedderFor(config({ PRAXIS_CACHE_DIR: cacheDir, EMBEDDINGS_LOCAL: 'minilm' }));
    expect(alone).toBeInstanceOf(MiniLmEmbedder);
    expect(alone.id).toBe('minilm:all-minilm-l6-v2:384');
    const fused = localEmbedderFor(config({ PRAXIS_CACHE_DIR: cacheDir, EMBEDDINGS_LOCAL: 'minilm-fused' }));
    expect(fused.id).toBe('fused(minilm:all-minilm-l6-v2:384*0.40+hashing-v1-256*0.60)');
    expect(fused.dim).toBe(384 + 256);
  });

  it('falls back to hashing, saying why, when the model files are missing', () => {
    const e = localEmbedderFor(config({ PRAXIS_CACHE_DIR: '/nonexistent/praxis-cache', EMBEDDINGS_LOCAL: 'minilm-fused' }));
    expect(e.id).toBe('hashing-v1-256');
    expect(e.fallback).toMatch(/all-minilm-l6-v2 unavailable, using the hashing embedder: no model.onnx .* \(run infra\/fetch-model.sh\)/);
  });

  it('says why the first embed fails when the graph is unreadable', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'minilm-'));
    copyFileSync(join(dir, MINILM_MODEL.tokenizer), join(broken, MINILM_MODEL.tokenizer));
    writeFileSync(join(broken, MINILM_MODEL.graph), 'not an onnx graph');
    const e = MiniLmEmbedder.load(broken);
    await expect(e.embed(['cancel my order'])).rejects.toThrow(/could not load the all-minilm-l6-v2 graph .*model.onnx \(rebuild it with infra\/fetch-model.sh\)/);
  });
});
