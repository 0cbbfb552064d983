// Writes services/router/openapi.json from the route table: `pnpm --filter @praxis/router openapi`.
import { writeFileSync } from 'node:fs';
import { openApiDocument } from './http/openapi.js';

const target = new URL('../openapi.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
