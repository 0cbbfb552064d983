import type { Template } from '@praxis/schemas';
import { searchTexts } from '../catalog/catalog.js';
import type { Embedder } from '../embedding/embedder.js';
import { contentTokens } from '../text.js';
import type { BoilerplateModel } from './request.js';
import { maskValues, slotValues } from './values.js';
import type { IndexedExample } from './vector-index.js';

/** A template's search texts with its own slot values masked. */
export function valueMaskedTexts(t: Template): { text: string; masked: string }[] {
  const own = new Set(slotValues(t));
  return searchTexts(t).map((text) => ({ text, masked: maskValues(text, (p) => own.has(p)) }));
}

/**
 * Vectors and tokens for the search texts of many templates, in one embedding call: each text
 * with its own slot values masked, then reduced to its request by its tenant's boilerplate
 * model (what is embedded and indexed).
 */
export async function embedTemplates(embedder: Embedder, templates: Template[], boilerplate: (tenantId: string) => BoilerplateModel | undefined = () => undefined): Promise<Map<string, IndexedExample[]>> {
  const perTemplate = templates.map((t) => {
    const model = boilerplate(t.tenantId);
    return valueMaskedTexts(t).map(({ text, masked }) => ({ text, request: model ? model.reduce(masked) : masked }));
  });
  const texts = perTemplate.flat().map((x) => x.request);
  const vectors = texts.length > 0 ? await embedder.embed(texts) : [];
  const out = new Map<string, IndexedExample[]>();
  let i = 0;
  templates.forEach((t, k) => {
    out.set(
      t.templateId,
      perTemplate[k]!.map(({ text, request }) => ({ text, tokens: contentTokens(request), vector: vectors[i++]! })),
    );
  });
  return out;
}
