// Runs the tests through node:test on JavaScript compiled once, in a few shared processes,
// instead of loading TypeScript through tsx in one process per test file.
//
//   node scripts/test.mjs                 every test, the browser suite included (npm test)
//   node scripts/test.mjs --fast          every test but the browser suite (npm run test:fast)
//   node scripts/test.mjs <files.ts>      some test files
//
// Steps: tsc compiles src/, test/ and packages/latchkey/ into build/test/ (a type error fails the
// run, so this is also the type check); node --test runs the .js files, with `import 'latchkey'`
// pointed at the package compiled beside them (scripts/test-resolve.mjs).
// Loading the app costs each process most of a second of CPU, so the files outside test/browser/
// share two processes (one per core): each file's tests run inside a describe() named after it,
// its after() hooks with them. The browser suites keep a process each.
// --allow-type-errors runs even when tsc complains (scripts/defence-check.mjs removes defences
// in ways the types do not always like).
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = resolve(import.meta.dirname, '..');
const BUILD = join(ROOT, 'build', 'test');
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');
const TEST_DIRS = ['packages/latchkey/test', 'test'];

const args = process.argv.slice(2);
const flags = new Set(args.filter((arg) => arg.startsWith('--')));
const only = args.filter((arg) => !arg.startsWith('--'));

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function run(command, commandArgs) {
  return spawnSync(command, commandArgs, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } }).status ?? 1;
}

function timed(label, step) {
  const started = Date.now();
  const status = step();
  console.log(`# ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return status;
}

rmSync(BUILD, { recursive: true, force: true });
const compiled = timed('tsc', () => run(TSC, ['-p', 'tsconfig.json', '--outDir', BUILD, '--sourceMap']));
if (compiled !== 0 && !flags.has('--allow-type-errors')) {
  console.error('Type errors: fix them first (or pass --allow-type-errors).');
  process.exit(compiled);
}

// files the compiled code finds relative to itself: the app's public/ folder, docs a test compares
// with, the Flask oracle script; build/test/ then looks like the repository from inside
for (const dir of ['public', 'docs', 'examples']) {
  if (existsSync(join(ROOT, dir))) symlinkSync(join(ROOT, dir), join(BUILD, dir));
}
for (const dir of TEST_DIRS) {
  cpSync(join(ROOT, dir), join(BUILD, dir), { recursive: true, filter: (source) => !source.endsWith('.ts') });
}
mkdirSync(join(BUILD, 'data'), { recursive: true });

const sources = only.length > 0 ? only : TEST_DIRS.flatMap((dir) => findTests(join(ROOT, dir))).sort();
const files = sources
  .map((source) => relative(ROOT, resolve(ROOT, source)))
  .filter((source) => !(flags.has('--fast') && source.startsWith('test/browser/')))
  .map((source) => source.replace(/\.ts$/, '.js'));
const browser = files.filter((file) => file.startsWith('test/browser/'));
const shared = files.filter((file) => !file.startsWith('test/browser/'));

const SHARDS = Math.min(2, shared.length);
const shards = Array.from({ length: SHARDS }, (_, index) => {
  const mine = shared.filter((_, position) => position % SHARDS === index);
  const path = join(BUILD, `shard-${index + 1}.test.js`);
  const lines = mine.map((file) => `describe(${JSON.stringify(file)}, async () => { await import(${JSON.stringify(`./${file}`)}); });`);
  writeFileSync(path, [`import { describe } from 'node:test';`, ...lines, ''].join('\n'));
  return path;
});

const resolveHook = join(ROOT, 'scripts', 'test-resolve.mjs');
const status = run(process.execPath, ['--enable-source-maps', '--import', resolveHook, '--test', '--test-concurrency=2', ...shards, ...browser.map((file) => join(BUILD, file))]);
process.exit(status);
