import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DESKTOP, PHONE, pngSize } from './browser.js';

const DIR = 'docs/screenshots';
const MAX_BYTES = 150 * 1024;

test('the screenshots page shows every committed screenshot, each a small PNG at phone or desktop width', () => {
  const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
  const shown = new Set([...readme.matchAll(/!\[[^\]]*\]\(([^)]+\.png)\)/g)].map((match) => match[1]!));
  const files = readdirSync(DIR).filter((name) => name.endsWith('.png'));
  assert.deepEqual([...shown].sort(), files.sort(), 'every PNG is shown, and every image shown is there');
  for (const name of files) {
    const png = readFileSync(join(DIR, name));
    assert.ok(png.length < MAX_BYTES, `${name} is ${png.length} bytes; keep it under ${MAX_BYTES}`);
    const expectedWidth = name.endsWith('-phone.png') ? PHONE.width : DESKTOP.width;
    assert.equal(pngSize(png).width, expectedWidth, `${name} should be ${expectedWidth} pixels wide: regenerate it with node scripts/docs-screenshots.mjs`);
  }
});
