import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { testConfig } from '../helpers.js';

/** Debian's Chromium; CHROMIUM_PATH points elsewhere. Never a browser downloaded by Playwright. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const INSTALL_HINT = `Chromium not installed at ${CHROMIUM_PATH}: apt-get install -y chromium`;

/**
 * Passed as `skip` to every browser suite: false when Chromium is there, else the reason, which the
 * test runner prints. In CI (`CI` set) a missing browser is a failure, never a quiet skip.
 */
export const skipWithoutChromium: string | false = existsSync(CHROMIUM_PATH) || process.env.CI ? false : INSTALL_HINT;

export const PHONE = { width: 375, height: 812 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;
export const RESULTS_DIR = 'test-results';
export const SCREENSHOT_DIR = join(RESULTS_DIR, 'screenshots');

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'];

export interface BrowserHarness {
  baseUrl: string;
  /** The app itself, for what a test waits on (the mail queue). */
  app: FastifyInstance;
  browser: Browser;
  /** Closes the browser, then the app. */
  close(): Promise<void>;
  /** A fresh browser profile: its own cookies, like another person on another machine. */
  newVisitor(options?: { viewport?: { width: number; height: number }; javaScriptEnabled?: boolean }): Promise<Page>;
}

/** The app (with `overrides` to the test config) listening on a free port, and a headless Chromium pointed at it. */
export async function startBrowser(overrides: Partial<Config> = {}): Promise<BrowserHarness> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(INSTALL_HINT);
  const config = testConfig(overrides);
  const app = await buildApp(config);
  // port 0 (a free one) unless the test chose one: links in mail need the address in advance
  await app.listen({ port: config.port, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  // Playwright turns the back/forward cache off by default; real browsers have it on, and the
  // back button after logout must be tested against it
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS, ignoreDefaultArgs: ['--disable-back-forward-cache'] });
  return {
    baseUrl,
    app,
    browser,
    async close() {
      await browser.close();
      await app.close();
    },
    async newVisitor({ viewport = DESKTOP, javaScriptEnabled = true } = {}) {
      const context = await browser.newContext({ baseURL: baseUrl, viewport, javaScriptEnabled, reducedMotion: 'reduce' });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (message.text().includes('Content Security Policy')) violations.push(message.text());
      });
      cspViolations.set(page, violations);
      return page;
    },
  };
}

const cspViolations = new WeakMap<Page, string[]>();

/**
 * Fails when the page has inline scripts, `<style>` blocks or `style` attributes (the CSP forbids
 * them, so they would silently do nothing) or when the browser reported a CSP violation. Empty
 * `style=""` attributes are Playwright's: hiding the caret for a screenshot leaves them behind.
 */
export async function expectNoInlineCode(page: Page, label: string): Promise<void> {
  const inline = await page.locator('script:not([src]), style, [style]:not([style=""])').evaluateAll((elements) => elements.map((e) => e.outerHTML.slice(0, 120)));
  assert.deepEqual(inline, [], `${label} has inline scripts or styles, which the CSP blocks`);
  const csp = cspViolations.get(page) ?? [];
  assert.deepEqual(csp, [], `${label} broke the CSP`);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const axeLog: Record<string, AxeViolation[]> = {};

/**
 * Runs axe-core on the page and fails on serious or critical violations. Every finding, minor
 * ones included, goes to test-results/axe/. axe is evaluated through the DevTools protocol, which
 * the page's CSP (no inline scripts) does not govern, so the app's own policy stays untouched.
 */
export async function expectAccessible(page: Page, label = new URL(page.url()).pathname): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const results = await axe.run(document);
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  axeLog[label] = violations;
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    const details = blocking.map((v) => `  ${v.impact} ${v.id}: ${v.help}\n    ${v.targets.join('\n    ')}`).join('\n');
    throw new Error(`axe found ${blocking.length} serious or critical violation(s) on ${label}:\n${details}`);
  }
  return violations;
}

/** Writes the axe findings of one test file to test-results/axe/<name>.json. */
export function saveAxeReport(name: string): void {
  after(async () => {
    await mkdir(join(RESULTS_DIR, 'axe'), { recursive: true });
    await writeFile(join(RESULTS_DIR, 'axe', `${name}.json`), `${JSON.stringify(axeLog, null, 2)}\n`);
  });
}

/**
 * Checks the page with axe and saves a full-page screenshot at phone width, at desktop width and
 * in dark mode, then leaves it light at desktop width. Neither resizing nor the colour scheme
 * reloads the page, so a flash stays in view.
 */
export async function captureBothWidths(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await expectNoInlineCode(page, name);
  const views = [['phone', PHONE, 'light'], ['desktop', DESKTOP, 'light'], ['dark', DESKTOP, 'dark']] as const;
  for (const [view, size, colorScheme] of views) {
    await page.setViewportSize(size);
    await page.emulateMedia({ colorScheme });
    await expectAccessible(page, `${name} (${view})`);
    const png = await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${view}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
    warnWhenDocsDiffer(`${name}-${view}.png`, png);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The width and height of a PNG, from its IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** A committed README screenshot whose size no longer matches the page is probably out of date. */
function warnWhenDocsDiffer(name: string, png: Buffer): void {
  const committed = join('docs', 'screenshots', name);
  if (!existsSync(committed)) return;
  const [now, then] = [pngSize(png), pngSize(readFileSync(committed))];
  if (now.width !== then.width || now.height !== then.height) {
    console.warn(`${committed} is ${then.width}x${then.height} but the page now renders ${now.width}x${now.height}: run node scripts/docs-screenshots.mjs`);
  }
}

/** The text of the flash messages on the page, in order. */
export async function flashTexts(page: Page): Promise<string[]> {
  return page.locator('.flash').allTextContents();
}

/**
 * Presses Tab until the focused element has the given accessible text (its label, value or
 * text), as a keyboard user would; fails when it is not reachable within `limit` presses or
 * when the focused element shows no focus outline.
 */
export async function tabTo(page: Page, name: string | RegExp, limit = 40): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text.trim() === name : name.test(text));
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const labels = (element as HTMLInputElement).labels;
      const label = labels && labels.length > 0 ? labels[0]!.textContent ?? '' : '';
      const style = getComputedStyle(element);
      return { text: label || element.textContent || (element as HTMLInputElement).value || '', outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
    });
    if (focused && matches(focused.text)) {
      if (!focused.outline) throw new Error(`"${focused.text.trim()}" has keyboard focus but no visible focus outline`);
      return;
    }
  }
  throw new Error(`could not reach "${String(name)}" with ${limit} presses of Tab`);
}
