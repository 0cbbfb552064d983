import type { Template } from '@praxis/schemas';
import { searchTexts } from '../catalog/catalog.js';
import type { Embedder } from '../embedding/embedder.js';
import { contentTokens, maskEntities } from '../text.js';
import type { IndexedExample } from './vector-index.js';

/** Vectors and tokens for the search texts of many templates, in one embedding call. */
export async function embedTemplates(embedder: Embedder, templates: Template[]): Promise<Map<string, IndexedExample[]>> {
  const texts = templates.flatMap(searchTexts);
  const vectors = texts.length > 0 ? await embedder.embed(texts) : [];
  const out = new Map<string, IndexedExample[]>();
  let i = 0;
  for (const t of templates) {
    out.set(
      t.templateId,
      searchTexts(t).map((text) => ({ text, tokens: contentTokens(maskEntities(text)), vector: vectors[i++]! })),
    );
  }
  return out;
}
