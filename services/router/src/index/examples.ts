import type { Template } from '@praxis/schemas';
import { searchTexts } from '../catalog/catalog.js';
import type { Embedder } from '../embedding/embedder.js';
import { contentTokens, maskEntities } from '../text.js';
import { maskValues, slotValues } from './values.js';
import type { IndexedExample } from './vector-index.js';

/** A template's search texts with its own slot values masked: what is embedded and indexed. */
function maskedTexts(t: Template): { text: string; masked: string }[] {
  const own = new Set(slotValues(t));
  return searchTexts(t).map((text) => ({ text, masked: maskValues(text, (p) => own.has(p)) }));
}

/** Vectors and tokens for the search texts of many templates, in one embedding call. */
export async function embedTemplates(embedder: Embedder, templates: Template[]): Promise<Map<string, IndexedExample[]>> {
  const perTemplate = templates.map(maskedTexts);
  const texts = perTemplate.flat().map((x) => x.masked);
  const vectors = texts.length > 0 ? await embedder.embed(texts) : [];
  const out = new Map<string, IndexedExample[]>();
  let i = 0;
  templates.forEach((t, k) => {
    out.set(
      t.templateId,
      perTemplate[k]!.map(({ text, masked }) => ({ text, tokens: contentTokens(maskEntities(masked)), vector: vectors[i++]! })),
    );
  });
  return out;
}
