import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { REPO, run } from './outsider.js';

// DESIGN.md's boundaries, read by dependency-cruiser (scripts/check-imports.mjs) on every `npm test`.

interface Report {
  cruised: string[];
  unresolved: string[];
  folderCycles: string[];
  packageImportsApp: string[];
  reachingIntoPackage: string[];
}

let report: Report;

before(async () => {
  // plain node, not tsx: under tsx, dependency-cruiser's swc visitor does not load;
  // exit code 1 means breaches: the report is on its standard output all the same
  const output = await run(process.execPath, [join(REPO, 'scripts', 'check-imports.mjs'), '--json'], { cwd: REPO, timeoutMs: 120_000 }).catch(
    (error: Error & { stdout?: string }) => {
      if (!error.stdout?.startsWith('{')) throw error;
      return error.stdout;
    },
  );
  report = JSON.parse(output) as Report;
});

test('reads the whole repository, and every import in it resolves', () => {
  for (const file of ['src/app.ts', 'packages/latchkey/src/index.ts', 'packages/latchkey/src/sessions/session-hooks.ts', 'examples/minimal/server.js', 'test/helpers.ts']) {
    assert.ok(report.cruised.includes(file), `${file} was read`);
  }
  assert.deepEqual(report.unresolved, [], 'an unresolved import would hide its edges');
});

test('has no import cycles between folders', () => {
  assert.deepEqual(report.folderCycles, []);
});

test('the package never imports the application', () => {
  assert.deepEqual(report.packageImportsApp, []);
});

test("nothing outside the package imports its files: only 'latchkey' and 'latchkey/testing', by name", () => {
  assert.deepEqual(report.reachingIntoPackage, []);
});
