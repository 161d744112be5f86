// Refreshes docs/screenshots/ from the browser suite: runs test/browser/pages.test.ts, which saves
// every page at phone and desktop width to test-results/screenshots/, then copies the few that
// docs/screenshots/README.md shows. Run it after changing how a page looks, and commit the PNGs.
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const PAGES = ['home', 'signup-error', 'welcome', 'messages'];
const WIDTHS = ['phone', 'desktop'];
const MAX_BYTES = 150 * 1024;
const FROM = 'test-results/screenshots';
const TO = 'docs/screenshots';

const run = spawnSync(process.execPath, ['scripts/test.mjs', 'test/browser/pages.test.ts'], { stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);

mkdirSync(TO, { recursive: true });
for (const page of PAGES) {
  for (const width of WIDTHS) {
    const name = `${page}-${width}.png`;
    const bytes = statSync(join(FROM, name)).size;
    if (bytes > MAX_BYTES) throw new Error(`${name} is ${bytes} bytes; keep README screenshots under ${MAX_BYTES}`);
    copyFileSync(join(FROM, name), join(TO, name));
    console.log(`${join(TO, name)} (${Math.round(bytes / 1024)} KB)`);
  }
}
