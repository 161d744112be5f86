import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, createTestApp, signUp } from '../helpers.js';

const links = (body: string) => [...body.matchAll(/<a [^>]*href="([^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));
const isLoginOrSignup = (href: string) => /^\/users\/(login|signup)(\?|$)/.test(href);

describe('/messages for a visitor who is not logged in', () => {
  async function withMessages() {
    const app = await createTestApp();
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    await alice.get(`/users/${id}/messages/new`);
    for (let i = 1; i <= 55; i++) await alice.post(`/users/${id}/messages`, { content: `note ${i}` });
    return { app, alice, id };
  }

  test('shows the messages, with no link that only leads to the login page', async () => {
    const { app } = await withMessages();
    const visitor = new Client(app);
    const page = await visitor.get('/messages');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /note 55/);
    assert.match(page.body, /alice/);
    const others = links(page.body).filter((href) => !isLoginOrSignup(href));
    assert.ok(others.length > 0);
    for (const href of others) {
      const response = await visitor.get(href);
      assert.ok(!response.location?.startsWith('/users/login'), `${href} sends a visitor to the login page`);
      assert.ok(response.statusCode < 400, `${href} answers ${response.statusCode}`);
    }
  });

  test('says that logging in shows more, with a link to log in and come back', async () => {
    const { app } = await withMessages();
    const page = await new Client(app).get('/messages');
    assert.match(page.body, /<a href="\/users\/login\?next=%2Fmessages">Log in<\/a> to open each message/);
  });

  test('a logged-in reader still gets each message and author linked', async () => {
    const { alice, id } = await withMessages();
    const page = await alice.get('/messages');
    assert.match(page.body, new RegExp(`<a href="/users/${id}/messages/55">note 55</a>`));
    assert.match(page.body, new RegExp(`by <a href="/users/${id}">alice</a>`));
    assert.doesNotMatch(page.body, /to open each message/);
  });
});
