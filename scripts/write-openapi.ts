// Writes the API's OpenAPI document, as the app builds it from its route schemas, to docs/openapi.json.
import { writeFileSync } from 'node:fs';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const config = loadConfig({
  NODE_ENV: 'test',
  DATABASE_URL: 'sqlite::memory:',
  SECRET_KEYS: 'openapi-writer-key-0123456789abcdef0123',
  LOG_LEVEL: 'silent',
});
const app = await buildApp(config);
await app.ready();
const response = await app.inject({ url: '/api/openapi.json' });
await app.close();
if (response.statusCode !== 200) throw new Error(`GET /api/openapi.json answered ${response.statusCode}`);
writeFileSync('docs/openapi.json', `${JSON.stringify(JSON.parse(response.body), null, 2)}\n`);
console.log('wrote docs/openapi.json');
