import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PASSWORD } from '../helpers.js';
import { type BrowserHarness, expectAccessible, flashTexts, saveAxeReport, skipWithoutChromium, startBrowser } from './browser.js';

const TIMEOUT = 60_000;

async function signUpAs(page: Page, username: string): Promise<number> {
  await page.goto('/users/signup');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/users/welcome');
  const href = await page.locator('#who').getAttribute('href');
  return Number(href!.split('/').pop());
}

async function writeMessage(page: Page, userId: number, content: string): Promise<string> {
  await page.goto(`/users/${userId}/messages/new`);
  await page.getByLabel('Message').fill(content);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(`**/users/${userId}/messages`);
  const href = await page.getByRole('link', { name: content }).getAttribute('href');
  return href!;
}

describe('in a real browser', { skip: skipWithoutChromium }, () => {
  let harness: BrowserHarness;
  before(async () => {
    harness = await startBrowser();
  });
  after(() => harness?.close());
  saveAxeReport('flows');

  test("the app accepts a form posted by the browser from its own page", { timeout: TIMEOUT }, async () => {
    const page = await harness.newVisitor();
    const signupPage = await page.goto('/users/signup');
    await page.getByLabel('Username').fill('first_poster');
    await page.getByLabel('Password').fill(PASSWORD);
    const [post] = await Promise.all([
      page.waitForRequest((request) => request.method() === 'POST'),
      page.getByRole('button', { name: 'Create account' }).click(),
    ]);
    const response = await post.response();
    const origin = (await post.allHeaders()).origin;
    const referrerPolicy = signupPage!.headers()['referrer-policy'];
    assert.notEqual(
      response!.status(),
      403,
      `the app refused its own form (Origin: ${origin}, the page's Referrer-Policy: ${referrerPolicy}): ${await page.locator('main').textContent()}`,
    );
    assert.equal(response!.status(), 302);
  });

  test('a visitor signs up, sees the flash, and writes, edits and deletes a message', { timeout: TIMEOUT }, async () => {
    const page = await harness.newVisitor();
    await page.goto('/');
    await expectAccessible(page, 'home');
    await page.getByRole('main').getByRole('link', { name: 'Create an account' }).click();
    await expectAccessible(page, 'signup');
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel(/First name/).fill('Alice');
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.waitForURL('**/users/welcome');
    assert.deepEqual(await flashTexts(page), ['User Created!']);
    assert.equal(await page.getByRole('status').textContent(), 'User Created!');
    assert.match((await page.getByRole('navigation', { name: 'Main' }).textContent())!, /Logged in as\s+alice/);
    await expectAccessible(page, 'welcome');

    await page.getByRole('link', { name: /Your messages/ }).click();
    await page.getByRole('link', { name: 'New message' }).click();
    await expectAccessible(page, 'new message');
    await page.getByLabel('Message').fill('Hello from the browser');
    await page.getByRole('button', { name: 'Save' }).click();
    assert.deepEqual(await flashTexts(page), ['Message Created!']);
    await expectAccessible(page, 'messages');

    await page.getByRole('link', { name: 'Hello from the browser' }).click();
    await expectAccessible(page, 'message');
    await page.getByRole('link', { name: 'Edit' }).click();
    await expectAccessible(page, 'edit message');
    assert.equal(await page.getByLabel('Message').inputValue(), 'Hello from the browser');
    await page.getByLabel('Message').fill('Hello, edited');
    await page.getByRole('button', { name: 'Save' }).click();
    assert.deepEqual(await flashTexts(page), ['Message Updated!']);
    assert.equal(await page.getByRole('link', { name: 'Hello, edited' }).count(), 1);
    assert.equal(await page.getByRole('link', { name: 'Hello from the browser' }).count(), 0);

    await page.getByRole('link', { name: 'Hello, edited' }).click();
    await page.getByRole('link', { name: 'Delete message' }).click();
    await expectAccessible(page, 'delete message');
    assert.equal(await page.locator('blockquote.message').textContent(), 'Hello, edited', 'the page shows what would go');
    await page.getByRole('button', { name: 'Delete message' }).click();
    assert.deepEqual(await flashTexts(page), ['Message Deleted!']);
    assert.equal(await page.getByRole('link', { name: 'Hello, edited' }).count(), 0);
    assert.match((await page.getByRole('main').textContent())!, /No messages yet\./);
  });

  test("a second user can read but not change the first user's profile or messages", { timeout: TIMEOUT }, async () => {
    const owner = await harness.newVisitor();
    const ownerId = await signUpAs(owner, 'carol');
    const messagePath = await writeMessage(owner, ownerId, 'Only Carol may change this');

    const other = await harness.newVisitor();
    await signUpAs(other, 'dave');
    await other.goto(`/users/${ownerId}`);
    await expectAccessible(other, "someone else's profile");
    assert.equal(await other.getByRole('heading', { level: 1 }).textContent(), 'carol');
    assert.equal(await other.getByRole('link', { name: /Edit/ }).count(), 0);

    await other.goto(messagePath);
    assert.equal(await other.locator('blockquote.message').textContent(), 'Only Carol may change this');
    assert.equal(await other.getByRole('link', { name: 'Edit' }).count(), 0);
    assert.equal(await other.getByRole('link', { name: 'Delete message' }).count(), 0);
    assert.equal(await other.getByRole('button', { name: 'Delete message' }).count(), 0);

    for (const path of [`/users/${ownerId}/edit`, `${messagePath}/edit`, `/users/${ownerId}/messages/new`, `${messagePath}/delete`, `/users/${ownerId}/delete`]) {
      await other.goto(path);
      assert.equal(new URL(other.url()).pathname, '/users/welcome', `${path} should send dave to his welcome page`);
      assert.equal(await other.getByRole('alert').textContent(), 'Not Authorized');
    }

    // a hand-made form with dave's own valid CSRF token: only the server's check stands in the way
    for (const action of [`${messagePath}?_method=DELETE`, `/users/${ownerId}?_method=DELETE`]) {
      await other.goto('/users');
      await other.evaluate((target) => {
        const form = document.querySelector<HTMLFormElement>('form[action="/users/logout"]')!.cloneNode(true) as HTMLFormElement;
        form.action = target;
        document.body.append(form);
        form.submit();
      }, action);
      await other.waitForURL('**/users/welcome');
      assert.deepEqual(await flashTexts(other), ['Not Authorized']);
    }

    await owner.goto(messagePath);
    assert.equal(await owner.locator('blockquote.message').textContent(), 'Only Carol may change this');
    assert.equal(await owner.getByRole('link', { name: 'Edit' }).count(), 1);
  });

  test('after logging out, the back button shows no private page', { timeout: TIMEOUT }, async () => {
    const page = await harness.newVisitor();
    const id = await signUpAs(page, 'erin');
    const messagePath = await writeMessage(page, id, 'A private-ish note');
    const welcome = await page.goto('/users/welcome');
    assert.equal(welcome!.headers()['cache-control'], 'no-store');
    await page.goto(`${messagePath}/edit`);
    assert.equal(await page.getByLabel('Message').inputValue(), 'A private-ish note');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/users/login');
    assert.deepEqual(await flashTexts(page), ['You have been signed out.']);
    await expectAccessible(page, 'login after logout');

    await page.goBack();
    assert.equal(new URL(page.url()).pathname, '/users/login', 'going back must land on the login page');
    assert.deepEqual(await flashTexts(page), ['Please log in first']);
    assert.equal(await page.getByLabel('Message').count(), 0);
    assert.doesNotMatch((await page.content()), /A private-ish note|Logged in as/);

    await page.goBack();
    assert.doesNotMatch((await page.content()), /Welcome, erin|Logged in as/);
  });

  test('the counter demo counts in the session', { timeout: TIMEOUT }, async () => {
    const page = await harness.newVisitor();
    const body = async (path: string) => {
      const response = await page.goto(path);
      assert.equal(response!.status(), 200);
      return (await page.locator('body').textContent())!.trim();
    };
    assert.equal(await body('/get_count'), 'No counter set!');
    assert.equal(await body('/count'), 'No counter set!');
    assert.equal(await body('/start_counter'), 'New counter started!');
    assert.equal(await body('/count'), '1');
    assert.equal(await body('/count'), '2');
    assert.equal(await body('/get_count'), '2');

    const stranger = await harness.newVisitor();
    await stranger.goto('/get_count');
    assert.equal((await stranger.locator('body').textContent())!.trim(), 'No counter set!', "one visitor's counter is not another's");

    assert.equal(await body('/clear_count'), 'Counter cleared!');
    assert.equal(await body('/get_count'), 'No counter set!');
  });

  test('the password field never comes back filled', { timeout: TIMEOUT }, async () => {
    const page = await harness.newVisitor();
    await signUpAs(page, 'frank');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/users/login');

    await page.goto('/users/signup');
    await page.getByLabel('Username').fill('frank');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel(/First name/).fill('Frank');
    await page.getByRole('button', { name: 'Create account' }).click();
    assert.equal(await page.title(), 'Error: Sign up · Latchkey');
    assert.deepEqual(await flashTexts(page), ['Invalid submission. Please try again.']);
    assert.equal(await page.getByRole('alert').textContent(), 'Invalid submission. Please try again.');
    assert.equal(await page.getByLabel('Username').inputValue(), 'frank', 'the username is kept');
    assert.equal(await page.getByLabel(/First name/).inputValue(), 'Frank', 'the first name is kept');
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is not');
    assert.equal(await page.getByLabel('Password').getAttribute('value'), null);
    assert.equal(await page.getByLabel('Username').getAttribute('aria-invalid'), 'true');
    assert.match((await page.getByLabel('Username').getAttribute('aria-describedby'))!, /field-username-error/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-username', 'the field in error has the focus');
    await expectAccessible(page, 'signup with an error');

    await page.goto('/users/login');
    await page.getByLabel('Username').fill('frank');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    assert.deepEqual(await flashTexts(page), ['Invalid credentials. Please try again.']);
    assert.equal(await page.getByLabel('Username').inputValue(), 'frank');
    assert.equal(await page.getByLabel('Password').inputValue(), '');
    assert.equal(await page.getByLabel('Password').getAttribute('value'), null);
    await expectAccessible(page, 'login with an error');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/users/welcome');
    await page.locator('#who').click();
    await page.getByRole('link', { name: 'Edit your profile' }).click();
    assert.equal(await page.getByLabel(/New password/).inputValue(), '');
    await page.getByLabel('Username').fill('frank with spaces');
    await page.getByLabel(/New password/).fill('another long password');
    await page.getByRole('button', { name: 'Save changes' }).click();
    assert.deepEqual(await flashTexts(page), ['Invalid submission. Please try again.']);
    assert.equal(await page.getByLabel('Username').inputValue(), 'frank with spaces');
    assert.equal(await page.getByLabel(/New password/).inputValue(), '');
    assert.equal(await page.getByLabel(/New password/).getAttribute('autocomplete'), 'new-password');
    await expectAccessible(page, 'edit profile with an error');
  });

  test('works with JavaScript turned off', { timeout: TIMEOUT }, async () => {
    const page = await harness.newVisitor({ javaScriptEnabled: false });
    const id = await signUpAs(page, 'grace');
    await writeMessage(page, id, 'Written without JavaScript');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/users/login');
    assert.deepEqual(await flashTexts(page), ['You have been signed out.']);
  });
});
