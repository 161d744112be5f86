#!/usr/bin/env node
// The `latchkey` command. From a source checkout it runs src/cli/main.ts through tsx (no build
// needed); from a built install (`npm run build`, no tsx) it runs dist/cli/main.js.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}src/cli/main.ts`;
const built = `${root}dist/cli/main.js`;

/** tsx's loader as a URL, resolved from here: the command may run from any directory. */
function tsxLoader() {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return null;
  }
}

const loader = existsSync(source) ? tsxLoader() : null;
if (loader) {
  const result = spawnSync(process.execPath, ['--conditions=latchkey-source', '--import', loader, source, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.status ?? 1);
} else if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  console.error('latchkey: run `npm install` (source checkout) or `npm run build` first');
  process.exit(1);
}
