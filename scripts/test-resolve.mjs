// Preloaded by scripts/test.mjs (`node --import`): `import 'latchkey'` in the compiled tests loads
// the package compiled beside them in build/test/, not packages/latchkey/dist/. The dist folder is
// what the packaging tests pack and rebuild while other tests run; reading it then could catch a
// file half written. The hooks run on Node's loader thread, where this same file is loaded again.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const SOURCES = new URL('../build/test/packages/latchkey/src/', import.meta.url);
const ENTRIES = { latchkey: 'index.js', 'latchkey/testing': 'testing.js' };

if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, nextResolve) {
  const entry = ENTRIES[specifier];
  return entry ? { url: new URL(entry, SOURCES).href, shortCircuit: true } : nextResolve(specifier, context);
}
