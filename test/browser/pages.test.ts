import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../helpers.js';
import { type BrowserHarness, captureBothWidths, flashTexts, saveAxeReport, skipWithoutChromium, startBrowser } from './browser.js';

const TIMEOUT = 120_000;

async function submit(page: Page, fields: Record<string, string>, button: string): Promise<void> {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: button }).click();
  await page.waitForLoadState();
}

/**
 * Visits every page of the app, as a visitor, as its owner and as someone else, checks each with
 * axe at phone and desktop width, and saves the screenshots to test-results/screenshots/.
 */
describe('every page', { skip: skipWithoutChromium }, () => {
  let harness: BrowserHarness;
  before(async () => {
    // every deletion asks for the password again, so that form is on the pages too
    harness = await startBrowser({ freshLoginMs: 1 });
  });
  after(() => harness?.close());
  saveAxeReport('pages');

  test('passes axe and is captured at phone and desktop width', { timeout: TIMEOUT }, async () => {
    const visitor = await harness.newVisitor();
    await visitor.goto('/messages');
    await captureBothWidths(visitor, 'messages-empty');
    await visitor.goto('/users/logout');
    await captureBothWidths(visitor, 'logout-logged-out');
    await visitor.goto('/no/such/page');
    await captureBothWidths(visitor, 'not-found');
    await visitor.goto('/users/welcome');
    assert.deepEqual(await flashTexts(visitor), ['Please log in first']);
    await captureBothWidths(visitor, 'login-required');

    const other = await harness.newVisitor();
    await other.goto('/users/signup');
    await submit(other, { Username: 'bob', Password: PASSWORD }, 'Create account');
    await other.goto('/users/1/messages');
    await other.goto('/');
    await other.goto('/users/logout');
    await captureBothWidths(other, 'logout');

    const page = await harness.newVisitor();
    await page.goto('/');
    await captureBothWidths(page, 'home');
    await page.goto('/users/signup');
    await captureBothWidths(page, 'signup');
    await submit(page, { Username: 'bob', Password: PASSWORD, 'First name (optional)': 'Alice' }, 'Create account');
    await captureBothWidths(page, 'signup-error');
    await submit(page, { Username: 'alice', Password: PASSWORD, 'Last name (optional)': 'Liddell' }, 'Create account');
    assert.deepEqual(await flashTexts(page), ['User Created!']);
    await captureBothWidths(page, 'welcome');
    const id = Number((await page.locator('#who').getAttribute('href'))!.split('/').pop());

    await page.goto('/');
    await captureBothWidths(page, 'home-logged-in');
    await page.goto(`/users/${id}/messages`);
    await captureBothWidths(page, 'messages-own-empty');
    await page.goto(`/users/${id}/messages/new`);
    await captureBothWidths(page, 'message-new');
    await submit(page, { Message: '   ' }, 'Save');
    await captureBothWidths(page, 'message-new-error');
    for (const content of ['Hello, world! This is my first message.', 'Sessions are just a small bag of data per visitor.', 'A rather longer message, to see how the list wraps: '.repeat(4).trim()]) {
      await page.goto(`/users/${id}/messages/new`);
      await submit(page, { Message: content }, 'Save');
    }
    await captureBothWidths(page, 'messages-own');
    await page.getByRole('link', { name: /^Hello, world/ }).click();
    await captureBothWidths(page, 'message');
    const messageUrl = page.url();
    await page.getByRole('link', { name: 'Edit' }).click();
    await captureBothWidths(page, 'message-edit');
    await page.goto(messageUrl);
    await page.getByRole('link', { name: 'Delete message' }).click();
    await captureBothWidths(page, 'message-delete');
    await page.goto('/messages');
    await captureBothWidths(page, 'messages');
    await page.goto('/users');
    await captureBothWidths(page, 'users');
    await page.goto(`/users/${id}`);
    await captureBothWidths(page, 'profile-own');
    await page.goto('/users/1');
    await captureBothWidths(page, 'profile-other');
    await page.goto('/users/1/messages');
    await captureBothWidths(page, 'messages-other');
    await page.goto(`/users/${id}/edit`);
    await captureBothWidths(page, 'profile-edit');
    await submit(page, { Username: 'bob', 'New password (optional)': 'short' }, 'Save changes');
    await captureBothWidths(page, 'profile-edit-short-password-blocked');
    await page.goto('/users/1/edit');
    assert.deepEqual(await flashTexts(page), ['Not Authorized']);
    await captureBothWidths(page, 'not-authorized');

    const laptop = await harness.newVisitor();
    await laptop.goto('/users/login');
    await laptop.getByLabel('Keep me logged in on this device').check();
    await submit(laptop, { Username: 'alice', Password: PASSWORD }, 'Log in');
    await page.goto(`/users/${id}/sessions`);
    await captureBothWidths(page, 'sessions');
    await page.getByRole('button', { name: 'End this session' }).click();
    assert.deepEqual(await flashTexts(page), ['That session has been ended.']);
    await captureBothWidths(page, 'sessions-ended');

    await page.goto(`/users/${id}/edit`);
    await page.getByRole('link', { name: 'Delete your account' }).click();
    await captureBothWidths(page, 'profile-delete');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await captureBothWidths(page, 'profile-delete-needs-password');

    const guesser = await harness.newVisitor();
    for (let attempt = 0; attempt < 12 && !(await guesser.title()).startsWith('Too many'); attempt++) {
      await guesser.goto('/users/login');
      await submit(guesser, { Username: 'bob', Password: 'wrong password' }, 'Log in');
    }
    assert.match(await guesser.title(), /^Too many attempts/);
    await captureBothWidths(guesser, 'too-many-attempts');
  });
});
