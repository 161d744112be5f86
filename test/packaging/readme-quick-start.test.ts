import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from './outsider.js';

test("the package README's quick start is the example's code (each line, elisions aside, is in examples/minimal/server.js)", () => {
  const readme = readFileSync(join(REPO, 'packages', 'latchkey', 'README.md'), 'utf8');
  const example = readFileSync(join(REPO, 'examples', 'minimal', 'server.js'), 'utf8').split('\n').map((line) => line.trim());
  const quickStart = /## Quick start\n[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(quickStart, 'the README has a Quick start with a js code block');
  const lines = quickStart.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('// …'));
  assert.ok(lines.length >= 15, 'the quick start shows the code, not only elisions');
  assert.deepEqual(lines.filter((line) => !example.includes(line)), [], 'lines of the quick start that are not in the example');
});
