import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../helpers.js';
import { type BrowserHarness, captureBothWidths, flashTexts, saveAxeReport, skipWithoutChromium, startBrowser } from './browser.js';

const TIMEOUT = 60_000;
const NEW_PASSWORD = 'a fresh start at last';

/** A free loopback port: the app must know its address before it listens, for the links in its mail. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('recovering an account in a real browser', { skip: skipWithoutChromium }, () => {
  let harness: BrowserHarness;
  before(async () => {
    const port = await freePort();
    // no SMTP_URL: mail goes to the outbox, as with `npm start`
    harness = await startBrowser({ port, publicUrl: `http://127.0.0.1:${port}`, smtpUrl: undefined, outboxDir: join(mkdtempSync(join(tmpdir(), 'latchkey-outbox-')), 'outbox') });
  });
  after(() => harness?.close());
  saveAxeReport('recovery');

  /** Waits for the mail the last request started (it is sent apart from the request), then opens the outbox. */
  async function openOutbox(page: Page) {
    await harness.app.recovery.background.settled();
    await harness.app.mailer.deliverDue();
    await page.goto('/dev/outbox');
  }

  test('a new user forgets their password, follows the link from the outbox, sets a new one and logs in', { timeout: TIMEOUT }, async () => {
    const page = await harness.newVisitor();
    await page.goto('/users/signup');
    await page.getByLabel('Username').fill('forgetful');
    await page.getByLabel('Email address').fill('forgetful@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/users/welcome');
    assert.deepEqual(await flashTexts(page), ['User Created!', 'We sent a link to forgetful@example.com: follow it to confirm your address.']);

    await openOutbox(page);
    await captureBothWidths(page, 'outbox');
    await page.getByRole('link', { name: 'Confirm your email address' }).click();
    await captureBothWidths(page, 'outbox-mail');
    await page.getByRole('link', { name: /\/users\/email\/confirm\// }).click();
    await captureBothWidths(page, 'confirm-email');
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    assert.deepEqual(await flashTexts(page), ['Your email address has been confirmed.']);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/users/login');

    // a week later: the password is gone from memory
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await captureBothWidths(page, 'forgot-password');
    await page.getByLabel('Username or email address').fill('forgetful@example.com');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await captureBothWidths(page, 'check-your-email');

    await openOutbox(page);
    await page.getByRole('link', { name: 'Reset your password' }).first().click();
    const resetLink = page.getByRole('link', { name: /\/users\/password\/reset\// });
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/users/password/reset/')), resetLink.click()]);
    assert.equal(response.headers()['referrer-policy'], 'no-referrer');
    await captureBothWidths(page, 'choose-a-new-password');
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set new password' }).click();
    // the browser itself refuses a password under the minimum length before sending it
    assert.equal(await page.getByLabel('New password').evaluate((input: HTMLInputElement) => input.validity.tooShort), true);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForURL('**/users/login');
    assert.deepEqual(await flashTexts(page), ['Your password has been reset. Log in with your new password.']);

    await page.getByLabel('Username').fill('forgetful');
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/users/welcome');
    assert.deepEqual(await flashTexts(page), ["You've successfully logged in!"]);
    assert.equal(await page.locator('#who').textContent(), 'forgetful');
  });
});
