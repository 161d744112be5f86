import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../helpers.js';
import { type BrowserHarness, DESKTOP, saveAxeReport, skipWithoutChromium, startBrowser } from './browser.js';

const TIMEOUT = 120_000;
const NARROW_PHONE = { width: 390, height: 844 } as const;
/** The longest username allowed, in the widest letter. */
const LONG_USERNAME = 'W'.repeat(64);
const UNBROKEN = `${'Supercalifragilistic'.repeat(60)}!`;

/** How far the page is wider than the window, in CSS pixels (0 when nothing sticks out). */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe('long names and words on narrow and wide screens', { skip: skipWithoutChromium }, () => {
  let harness: BrowserHarness;
  before(async () => {
    harness = await startBrowser({ freshLoginMs: 1 });
  });
  after(() => harness?.close());
  saveAxeReport('layout');

  test('no page is wider than the window, at 390 px and at 1280 px', { timeout: TIMEOUT }, async () => {
    const page = await harness.newVisitor({ viewport: NARROW_PHONE });
    await page.goto('/users/signup');
    await page.getByLabel('Username').fill(LONG_USERNAME);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel(/First name/).fill('F'.repeat(100));
    await page.getByLabel(/Last name/).fill('L'.repeat(100));
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/users/welcome');
    const id = Number((await page.locator('#who').getAttribute('href'))!.split('/').pop());
    await page.goto(`/users/${id}/messages/new`);
    await page.getByLabel('Message').fill(UNBROKEN);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`**/users/${id}/messages`);
    const messagePath = (await page.locator('ul.messages a').first().getAttribute('href'))!;

    const paths = [
      '/',
      '/users/welcome',
      '/users',
      `/users/${id}`,
      `/users/${id}/edit`,
      `/users/${id}/delete`,
      `/users/${id}/sessions`,
      `/users/${id}/messages`,
      messagePath,
      `${messagePath}/edit`,
      `${messagePath}/delete`,
      '/messages',
      '/users/logout',
    ];
    const visitor = await harness.newVisitor();
    const wide: string[] = [];
    for (const viewport of [NARROW_PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      await visitor.setViewportSize(viewport);
      for (const path of paths) {
        await page.goto(path);
        const extra = await overflow(page);
        if (extra > 0) wide.push(`${path} at ${viewport.width} px: ${extra} px too wide`);
      }
      await visitor.goto('/messages');
      const extra = await overflow(visitor);
      if (extra > 0) wide.push(`/messages for a visitor at ${viewport.width} px: ${extra} px too wide`);
    }
    assert.deepEqual(wide, []);
  });

  test('on /messages, no link a visitor sees leads to the login page unless it says Log in', { timeout: TIMEOUT }, async () => {
    const author = await harness.newVisitor();
    await author.goto('/users/signup');
    await author.getByLabel('Username').fill('author');
    await author.getByLabel('Password').fill(PASSWORD);
    await author.getByRole('button', { name: 'Create account' }).click();
    await author.waitForURL('**/users/welcome');
    await author.locator('.cards a').first().click();
    await author.getByRole('link', { name: 'New message' }).click();
    await author.getByLabel('Message').fill('Hello, visitors');
    await author.getByRole('button', { name: 'Save' }).click();

    const visitor = await harness.newVisitor();
    await visitor.goto('/messages');
    assert.match((await visitor.locator('main').textContent())!, /Hello, visitors/);
    const links = await visitor.locator('a[href]').evaluateAll((anchors) => anchors.map((a) => ({ href: a.getAttribute('href')!, text: a.textContent!.trim() })));
    const dead: string[] = [];
    for (const { href, text } of links) {
      if (/^\/users\/(login|signup)/.test(href)) {
        assert.match(text, /log in|sign up/i, `${href} goes to the login or signup page without saying so`);
        continue;
      }
      await visitor.goto(href);
      if (new URL(visitor.url()).pathname === '/users/login') dead.push(`${text} (${href})`);
    }
    assert.deepEqual(dead, [], 'links that only lead a visitor to the login page');
  });
});
