import { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
const which = process.argv[2];
const db = 'probe_a1';
const client = which === 'chdb' ? createClient({ connection: createChdbConnection({ path: ':memory:' }) }) : createClient({ url: 'http://127.0.0.1:8123', database: db });
if (which === 'chdb') { await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` }); await client.command({ query: `USE ${db}` }); }
else { const c0 = createClient({ url: 'http://127.0.0.1:8123' }); await c0.command({ query: `DROP DATABASE IF EXISTS ${db}` }); await c0.command({ query: `CREATE DATABASE ${db}` }); await c0.close(); }
const stmts = (await import('node:fs')).readFileSync(process.argv[3], 'utf8').split('\n---\n').map(s => s.trim()).filter(Boolean);
for (const s of stmts) {
  try {
    if (/^(SELECT|WITH)/i.test(s)) { const r = await client.query({ query: s, format: 'JSONEachRow' }); console.log('OK ', s.slice(0, 90).replace(/\n/g,' '), '=>', JSON.stringify(await r.json()).slice(0, 300)); }
    else if (/^INSERT JSON /.test(s)) { const [, table, json] = /^INSERT JSON (\S+) (.*)$/s.exec(s); await client.insert({ table, values: JSON.parse(json), format: 'JSONEachRow' }); console.log('OK ', s.slice(0, 90)); }
    else { await client.command({ query: s }); console.log('OK ', s.slice(0, 90).replace(/\n/g,' ')); }
  } catch (e) { console.log('ERR', s.slice(0, 90).replace(/\n/g,' '), '=>', e.code, e.type, e.message.slice(0, 200).replace(/\n/g,' ')); }
}
if (which !== 'chdb') { await client.command({ query: `DROP DATABASE IF EXISTS ${db}` }); }
await client.close();
