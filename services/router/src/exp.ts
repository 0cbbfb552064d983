import { HashingEmbedder } from './embedding/hashing.js';
import { StaticModelEmbedder } from './embedding/static-model.js';
import { FusedEmbedder } from './embedding/fused.js';
import { maskEntities } from './text.js';
import { maskValues } from './index/values.js';
import { loadWorkbenchTasks, paraphraseSplit } from '../../../test/bench/semantic/workbench.js';
const tasks = loadWorkbenchTasks('/work/shared/datasets/workbench');
const split = paraphraseSplit(tasks);
const vocab = new Set<string>();
const esc=(x:string)=>x.replace(/[.*+?^${}()|[\]\\]/g,'\\$&');
for (const t of tasks) { if (!split.learn.get(t.task)?.includes(t.query)) continue; const parts=t.phrasing.split(/\{[a-z_]+\}/); const re=new RegExp('^'+parts.map(esc).join('(.+?)')+'$','i'); const m=t.query.match(re); if(m) for (const v of m.slice(1)) { const w=v.toLowerCase().trim(); if (/^[\p{L}][\p{L}' -]*$/u.test(w) && w.split(' ').length<=3) vocab.add(w);} }
const PERSONA = process.env.PERSONA==='1';
const persona = (t:string)=> PERSONA ? `You are the assistant of Dana Smith, operations manager at Atlas in Austin 78712; answer briefly. ${t}` : t;
const mv=(t:string)=> maskValues(persona(t),(p)=>vocab.has(p));
const dot=(a:Float32Array,b:Float32Array)=>{let s=0;for(let i=0;i<a.length;i++)s+=a[i]!*b[i]!;return s;};
const N=Number(process.env.N??4), F=Number(process.env.F??0.1);
const words=(t:string)=>maskEntities(t).match(/<[a-z]+>|[\p{L}\p{N}']+/gu)??[];
// shingle counts across templates
const counts=new Map<string,number>();
for (const [task, qs] of split.learn) { const s=new Set<string>(); for (const q of qs){const w=words(mv(q)); for(let i=0;i+N<=w.length;i++) s.add(w.slice(i,i+N).join(' '));} for (const x of s) counts.set(x,(counts.get(x)??0)+1); }
const T=Math.max(3, Math.ceil(F*split.learn.size));
const bp=new Set([...counts].filter(([,c])=>c>=T).map(([k])=>k));
console.log('N',N,'T',T,'boilerplate',bp.size,[...bp].slice(0,12));
const reduce=(t:string)=>{const w=words(t); const drop=new Array(w.length).fill(false); for(let i=0;i+N<=w.length;i++) if(bp.has(w.slice(i,i+N).join(' '))) for(let j=i;j<i+N;j++) drop[j]=true; const kept=w.filter((_,i)=>!drop[i]); return kept.length? kept.join(' '): w.join(' ');};
const h=new HashingEmbedder(256); const st=StaticModelEmbedder.load(process.env.HOME+'/.cache/praxis/models/wordllama-l2-supercat-256');
const fu=new FusedEmbedder([{embedder:st,weight:0.2},{embedder:h,weight:0.8}]);
const fu35=new FusedEmbedder([{embedder:st,weight:0.35},{embedder:h,weight:0.65}]);
for (const [name,e] of [['hash',h],['fused.2',fu],['fused.35',fu35],['model',st]] as const) for (const red of [false,true]) {
  const E=async(t:string)=>(await e.embed([red?reduce(mv(t)):mv(t)]))[0]!;
  const rows: {task:string; v:Float32Array}[] = [];
  for (const [task, qs] of split.learn) for (const q of qs) rows.push({task, v:await E(q)});
  let ok=0; const sims:number[]=[];
  for (const p of split.paraphrases) { const q=await E(p.query); let best=-1,bt=''; for (const r of rows){const s=dot(q,r.v); if(s>best){best=s;bt=r.task;}} if(bt===p.task){ok++;} sims.push(best); }
  const un:number[]=[]; for (const p of split.unseen){const q=await E(p.query); let best=-1; for (const r of rows){best=Math.max(best,dot(q,r.v));} un.push(best);}
  const qq=(a:number[],f:number)=>{const s=[...a].sort((x,y)=>x-y);return s[Math.floor(s.length*f)]!.toFixed(3);};
  // separability: best threshold accuracy between paraphrase-correct and unseen
  console.log(name.padEnd(9), red?'reduced':'raw    ', 'top1', (ok/split.paraphrases.length).toFixed(3), 'para p10/p50', qq(sims,0.1), qq(sims,0.5), 'unseen p50/p90', qq(un,0.5), qq(un,0.9));
}
