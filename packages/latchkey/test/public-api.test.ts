import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { entryExports, jsdocOf, PACKAGE, tableNames } from './public-api.js';

// The package's surface is a promise (STYLE.md): every export documented where editors show it,
// and listed in the README, in both directions.

const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
const entries = [
  { entry: 'src/index.ts', specifier: 'latchkey', heading: '## API reference' },
  { entry: 'src/testing.ts', specifier: 'latchkey/testing', heading: 'And `latchkey/testing`, for people who write stores:' },
];

for (const { entry, specifier, heading } of entries) {
  const exported = entryExports(entry);

  test(`every export of ${entry} has a JSDoc block with an @example`, () => {
    const missing = exported.filter(({ local, module }) => !jsdocOf(module, local)?.includes('@example')).map(({ name, module }) => `${name} (${module})`);
    assert.deepEqual(missing, [], 'add a JSDoc block with an @example above each declaration');
  });

  test(`the README's table lists every export of ${entry}, and nothing it does not export`, () => {
    const listed = tableNames(readme, heading);
    const names = exported.map(({ name }) => name);
    assert.deepEqual(names.filter((name) => !listed.includes(name)), [], 'exported but not in the README');
    assert.deepEqual(listed.filter((name) => !names.includes(name)), [], 'in the README but not exported');
    assert.equal(new Set(listed).size, listed.length, 'each export listed once');
  });

  test(`${entry} is read completely: every value it exports at run time is among the exports found`, async () => {
    // by name: the test runner points it at this entry, compiled or not
    const runtime = Object.keys((await import(specifier)) as object);
    const names = exported.map(({ name }) => name);
    assert.deepEqual(runtime.filter((name) => !names.includes(name)), []);
  });
}

test("every option of LatchkeyOptions has a row in the README's options table", () => {
  const source = readFileSync(join(PACKAGE, 'src/options.ts'), 'utf8');
  const body = /export interface LatchkeyOptions \{([\s\S]*?)\n\}/.exec(source)?.[1] ?? '';
  const options = [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((match) => match[1]!);
  assert.ok(options.includes('secrets') && options.includes('store'), 'the options were found');
  const rows = tableNames(readme, '## Options');
  const undocumented = options.filter((option) => !rows.some((row) => row === option || row.startsWith(`${option}.`)));
  assert.deepEqual(undocumented, [], 'document each option with its default');
});
