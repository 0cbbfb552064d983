import { describe, expect, it } from 'vitest';
import { RouterConfigSchema } from '../config.js';
import { localEmbedderFor } from '../service.js';
import { dot } from './embedder.js';
import { FusedEmbedder } from './fused.js';
import { HashingEmbedder } from './hashing.js';
import { LOCAL_MODEL, localModelDir, localModelPresent, readSafetensorsMatrix, StaticModelEmbedder } from './static-model.js';

// The model infra/fetch-model.sh installed (bootstrap runs it before the tests).
const cacheDir = RouterConfigSchema.shape.PRAXIS_CACHE_DIR.parse(process.env.PRAXIS_CACHE_DIR);
const dir = localModelDir(cacheDir);

describe('the local embedding model (shipped weights)', () => {
  it('is installed by the setup', () => {
    expect(localModelPresent(dir), `${dir} should hold ${LOCAL_MODEL.weights} and ${LOCAL_MODEL.tokenizer}: run infra/fetch-model.sh`).toBe(true);
  });

  const model = StaticModelEmbedder.load(dir);

  it('loads 256-d unit vectors and tokenises with the Llama-2 vocabulary of its tokenizer.json', async () => {
    expect(model.dim).toBe(256);
    expect(model.id).toBe('static:wordllama-l2-supercat-256:256');
    expect([...model.tokenIds('order')]).toEqual([1797]);
    const [v] = await model.embed(['cancel my order']);
    expect(dot(v!, v!)).toBeCloseTo(1, 5);
  });

  it('is deterministic across calls and instances', async () => {
    const text = 'Reschedule my 3pm meeting with Dana to Friday';
    const [a] = await model.embed([text]);
    const [b] = await StaticModelEmbedder.load(dir).embed([text]);
    expect([...a!]).toEqual([...b!]);
  });

  it('puts paraphrases closer than unrelated requests, synonyms included', () => {
    const sim = (a: string, b: string) => dot(model.embedOne(a), model.embedOne(b));
    expect(sim('delete the meeting', 'remove the event')).toBeGreaterThan(sim('delete the meeting', 'plot the total visits'));
    expect(sim('I want my money back for this order', 'refund my purchase')).toBeGreaterThan(sim('I want my money back for this order', 'rename the project board'));
    // the hashing embedder sees no shared word in this pair
    const hashing = new HashingEmbedder();
    expect(sim('remove the event', 'delete the meeting')).toBeGreaterThan(dot(hashing.embedOne('remove the event'), hashing.embedOne('delete the meeting')) + 0.2);
  });

  it('reads entity placeholders as their kind, not their spelling', () => {
    expect([...model.embedOne('cancel order A-1001')]).toEqual([...model.embedOne('cancel order B-77')]);
  });
});

describe('safetensors', () => {
  it('reads an F16 matrix and refuses a truncated file', () => {
    const header = Buffer.from(JSON.stringify({ w: { dtype: 'F16', shape: [2, 2], data_offsets: [0, 8] } }));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    const data = Buffer.alloc(8);
    [0x3c00, 0xc000, 0x3800, 0x0000].forEach((h, i) => data.writeUInt16LE(h, 2 * i)); // 1, -2, 0.5, 0
    const m = readSafetensorsMatrix(Buffer.concat([length, header, data]));
    expect(m).toMatchObject({ rows: 2, cols: 2 });
    expect([...m.data]).toEqual([1, -2, 0.5, 0]);
    expect(() => readSafetensorsMatrix(Buffer.concat([length, header, data.subarray(0, 4)]))).toThrow(/shorter/);
  });
});

describe('fused embedder', () => {
  it('gives the weighted sum of the parts cosines', async () => {
    const a = new HashingEmbedder(64);
    const b = new HashingEmbedder(128);
    const fused = new FusedEmbedder([{ embedder: a, weight: 0.25 }, { embedder: b, weight: 0.75 }]);
    const [x, y] = await fused.embed(['cancel my order', 'cancel the subscription']);
    const part = (e: HashingEmbedder) => dot(e.embedOne('cancel my order'), e.embedOne('cancel the subscription'));
    expect(fused.dim).toBe(192);
    expect(dot(x!, y!)).toBeCloseTo(0.25 * part(a) + 0.75 * part(b), 5);
    expect(dot(x!, x!)).toBeCloseTo(1, 5);
  });
});

describe('choosing the local embedder', () => {
  const config = (env: Record<string, string>) => RouterConfigSchema.parse({ ROUTER_API_KEYS: `t:${'a'.repeat(64)}`, ...env });

  it('uses hashing by default, and fuses the model with hashing or uses it alone on request', () => {
    expect(localEmbedderFor(config({ PRAXIS_CACHE_DIR: cacheDir })).id).toBe('hashing-v1-256');
    const fused = localEmbedderFor(config({ PRAXIS_CACHE_DIR: cacheDir, EMBEDDINGS_LOCAL: 'fused' }));
    expect(fused.id).toBe('fused(static:wordllama-l2-supercat-256:256*0.20+hashing-v1-256*0.80)');
    expect(fused.fallback).toBeUndefined();
    expect(localEmbedderFor(config({ PRAXIS_CACHE_DIR: cacheDir, EMBEDDINGS_LOCAL: 'model' })).id).toBe('static:wordllama-l2-supercat-256:256');
  });

  it('falls back to hashing, saying why, when the model files are missing', () => {
    const e = localEmbedderFor(config({ PRAXIS_CACHE_DIR: '/nonexistent/praxis-cache', EMBEDDINGS_LOCAL: 'fused' }));
    expect(e.id).toBe('hashing-v1-256');
    expect(e.fallback).toMatch(/unavailable, using the hashing embedder: no weights.safetensors .* \(run infra\/fetch-model.sh\)/);
  });
});
