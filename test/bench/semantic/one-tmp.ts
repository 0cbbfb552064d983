import { fileURLToPath } from 'node:url';
import { calibrationFor, DEFAULT_RANKING, HashingEmbedder, Policies, RouterCore, type RouterSink } from '@praxis/router';
import { learnedTemplates } from './quality.ts';
import { findWorkbench, loadWorkbenchTasks, paraphraseSplit } from './workbench.ts';
const discard: RouterSink = { writeTemplates: async () => {}, writeFeedback: async () => {} };
const root = findWorkbench(process.env, '/work/main/')!;
const tasks = loadWorkbenchTasks(root);
const split = paraphraseSplit(tasks);
const embedder = new HashingEmbedder(256);
const core = new RouterCore({ embedder, policies: new Policies({ '*': { rateLimitPerSecond: 1e9, rateLimitBurst: 1e9, rewriteSimilarity: 0 } }, calibrationFor(embedder.id)), sink: discard });
const templates = learnedTemplates(tasks, split.learn, null);
await core.applyRecords(templates.map((t, i) => ({ key: t.templateId, value: t, partition: 0, offset: String(i) })));
const nameOf = new Map([...split.learn.keys()].map((task, i) => [`wb-${i}`, task]));
for (const t of templates) if (/Cancel (all )?future|Cancel the next/.test(nameOf.get(t.templateId) ?? '')) console.log(nameOf.get(t.templateId), JSON.stringify(t.triggerExamples), t.slots.map((s) => `${s.name}:${s.source}:${s.schemaJson.slice(0, 200)}`));
for (const q of process.argv.slice(2)) {
  const r = await core.lookup('wb', { query: q, agentId: 'wb-agent' });
  console.log(q, '->', nameOf.get(r.templateId ?? ''), r.similarity.toFixed(2), JSON.stringify(r.workflow?.steps?.[0]?.params ?? r.toGenerate), r.reason.slice(0, 200));
}
