import { evaluateTemplates, generateTraffic } from '@praxis/fleet';
import { AgentStepSchema, TemplateSchema } from '@praxis/schemas';
import { segmentSteps, DEFAULT_POLICY } from '@praxis/segmenter';
import { induceTemplates, DEFAULT_INDUCER_POLICY } from '@praxis/inducer';
const seed = process.argv[2] ?? 'seed-1';
const t = generateTraffic(seed);
const steps = t.events.map((e) => AgentStepSchema.parse(e));
const r = segmentSteps(steps, { policyFor: () => DEFAULT_POLICY, idleMs: 300000, maxPendingPerSession: 2000 });
const t0 = performance.now();
const templates = induceTemplates(r.trajectories, () => DEFAULT_INDUCER_POLICY);
console.log('induce ms', (performance.now() - t0).toFixed(0), 'templates', templates.length);
for (const x of templates) { const v = TemplateSchema.safeParse(x); if (!v.success) console.log('INVALID', x.templateId, v.error.issues.slice(0,2)); }
const ev = evaluateTemplates(templates);
console.log(JSON.stringify({ p: ev.precision, r: ev.recall, considered: ev.considered, missing: ev.missing, extra: ev.extra, hints: ev.hints }, null, 1));
console.log(ev.mismatches);
console.log(templates.map((x) => `${x.status} ${x.confidence.toFixed(2)} ${x.stats.support}/${x.stats.successes} ${x.signature.join('>')} ${x.statusReason}`).join('\n'));
if (process.argv[3]) { const x = templates.find((y) => y.signature.join('>') === process.argv[3]); console.log(JSON.stringify(x, null, 1)); }
