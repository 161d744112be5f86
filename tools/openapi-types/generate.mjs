// Writes TypeScript types for an OpenAPI document: node generate.mjs <openapi.json> <out.ts>
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node generate.mjs <openapi.json> <out.ts>');
  process.exit(2);
}
const document = JSON.parse(readFileSync(resolve(input), 'utf8'));
const ast = await openapiTS(document, { alphabetize: false });
const banner = `// Generated from ${input} by \`npm run api:types\` (openapi-typescript). Do not edit.\n\n`;
writeFileSync(resolve(output), banner + astToString(ast));
console.log(`wrote ${output}`);
