import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';

/** The repository root: the nearest folder up from here with a package-lock.json (tests also run from build/test/). */
function repositoryRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package-lock.json'))) {
    if (dirname(dir) === dir) throw new Error('no package-lock.json above the tests');
    dir = dirname(dir);
  }
  return dir;
}

const ROOT = repositoryRoot();
/** The environment without what npm puts there for its own scripts, so npm here reads only the files. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

describe('installing', () => {
  test('npm install on this Node prints no EBADENGINE and no unknown-config warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-install-'));
    mkdirSync(join(dir, 'packages', 'latchkey'), { recursive: true });
    for (const file of ['package.json', 'package-lock.json', '.npmrc', '.prebuild-installrc', 'packages/latchkey/package.json']) {
      if (existsSync(join(ROOT, file))) copyFileSync(join(ROOT, file), join(dir, file));
    }
    // the lockfile decides what would be installed; nothing is written or built
    const run = spawnSync('npm', ['install', '--dry-run', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, env: cleanEnv, encoding: 'utf8', timeout: 120_000 });
    const output = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 0, output);
    assert.doesNotMatch(output, /EBADENGINE/, `a dependency does not support Node ${process.version}`);
    assert.doesNotMatch(output, /Unknown (project|env|user|global|cli) config/);
  });

  test("better-sqlite3's installer is told to compile, never to download a prebuilt binary", () => {
    const sqliteDir = dirname(createRequire(join(ROOT, 'package.json')).resolve('better-sqlite3/package.json'));
    const script = 'console.log(require("prebuild-install/rc")(require("./package.json")).buildFromSource)';
    const run = spawnSync(process.execPath, ['-e', script], { cwd: sqliteDir, env: cleanEnv, encoding: 'utf8' });
    assert.equal(run.stdout.trim(), 'true', run.stderr);
  });
});
