import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD } from '../helpers.js';
import { type BrowserHarness, expectAccessible, flashTexts, saveAxeReport, skipWithoutChromium, startBrowser, tabTo } from './browser.js';

const TIMEOUT = 60_000;

describe('with the keyboard alone', { skip: skipWithoutChromium }, () => {
  let harness: BrowserHarness;
  before(async () => {
    harness = await startBrowser();
  });
  after(() => harness?.close());
  saveAxeReport('keyboard');

  test('the first Tab reaches a skip link that moves focus to the content', { timeout: TIMEOUT }, async () => {
    const page = await harness.newVisitor();
    await page.goto('/');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    assert.ok(await page.locator('.skip-link').isVisible());
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  });

  test('a visitor signs up, writes a message, logs out and logs back in without a mouse', { timeout: TIMEOUT }, async () => {
    const page = await harness.newVisitor();
    await page.goto('/');

    await tabTo(page, 'Create an account');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/users/signup');
    await tabTo(page, 'Username');
    await page.keyboard.type('keyboard_kim');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Kim');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/users/welcome');
    assert.deepEqual(await flashTexts(page), ['User Created!']);
    await expectAccessible(page, 'welcome');

    await tabTo(page, /^Your messages/);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/messages');
    await tabTo(page, 'New message');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/messages/new');
    await tabTo(page, 'Message');
    await page.keyboard.type('Typed, not clicked');
    await tabTo(page, 'Save');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/messages$/);
    assert.deepEqual(await flashTexts(page), ['Message Created!']);

    await tabTo(page, 'Log out');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/users/login');
    assert.deepEqual(await flashTexts(page), ['You have been signed out.']);

    await tabTo(page, 'Username');
    await page.keyboard.type('keyboard_kim');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/users/welcome');
    assert.deepEqual(await flashTexts(page), ["You've successfully logged in!"]);

    await tabTo(page, 'keyboard_kim');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/users\/\d+$/);
    await tabTo(page, 'Edit your profile');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/edit');
    await tabTo(page, 'Delete your account');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/delete');
    await tabTo(page, 'Delete my account');
    await page.keyboard.press('Space');
    await page.waitForURL('**/users/signup');
    assert.deepEqual(await flashTexts(page), ['User Deleted!']);
  });
});
