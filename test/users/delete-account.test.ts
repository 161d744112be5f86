import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { Client, countRows, createTestApp, flashes, PASSWORD, signUp, tempSqliteFile } from '../helpers.js';

async function aliceWithMessages(config = {}, options = {}) {
  const file = tempSqliteFile();
  const app = await createTestApp({ databaseUrl: `sqlite:${file}`, ...config }, options);
  const alice = new Client(app);
  const id = await signUp(alice, 'alice');
  await alice.get(`/users/${id}/messages/new`);
  for (const content of ['one', 'two']) await alice.post(`/users/${id}/messages`, { content });
  return { app, file, alice, id };
}

describe('deleting your account asks first', () => {
  test('the edit page links to a confirmation page instead of deleting with one click', async () => {
    const { alice, id } = await aliceWithMessages();
    const edit = await alice.get(`/users/${id}/edit`);
    assert.match(edit.body, new RegExp(`<a class="button danger" href="/users/${id}/delete">`));
    assert.doesNotMatch(edit.body, /_method=DELETE/, 'no form on the edit page deletes anything');
  });

  test('the confirmation page says what goes and carries the form that deletes; opening it changes nothing', async () => {
    const { file, alice, id } = await aliceWithMessages();
    const page = await alice.get(`/users/${id}/delete`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Delete your account\?<\/h1>/);
    assert.match(page.body, /<strong>alice<\/strong>/);
    assert.match(page.body, /your 2 messages/);
    assert.match(page.body, /logs you out everywhere/);
    assert.match(page.body, new RegExp(`<form method="post" action="/users/${id}\\?_method=DELETE"[^>]*>\\s*<input type="hidden" name="csrf_token" value="[^"]+">`));
    assert.match(page.body, /<button type="submit" class="danger">Delete my account<\/button>/);
    assert.match(page.body, new RegExp(`<a [^>]*href="/users/${id}/edit">Keep my account</a>`));
    assert.equal(countRows(file, 'users'), 1);
    assert.equal(countRows(file, 'messages'), 2);

    const deleted = await alice.post(`/users/${id}?_method=DELETE`);
    assert.deepEqual(flashes((await alice.follow(deleted)).body), ['User Deleted!']);
    assert.equal(countRows(file, 'users'), 0);
  });

  test('it is only for the account owner, with the guards of DELETE', async () => {
    const { app, id } = await aliceWithMessages();
    const bob = new Client(app);
    await signUp(bob, 'bob');
    const refused = await bob.get(`/users/${id}/delete`);
    assert.equal(refused.location, '/users/welcome');
    assert.deepEqual(flashes((await bob.follow(refused)).body), ['Not Authorized']);
    const visitor = await new Client(app).get(`/users/${id}/delete`);
    assert.match(visitor.location!, /^\/users\/login/);
  });

  test('after a while it asks for the password, and a wrong one shows the page again with the error', async () => {
    let clock = Date.parse('2030-01-01T12:00:00Z');
    const { alice, id } = await aliceWithMessages({ freshLoginMs: 60_000 }, { now: () => clock });
    clock += 120_000;
    const page = await alice.get(`/users/${id}/delete`);
    assert.match(page.body, /id="delete-current-password" name="current_password"/);
    const refused = await alice.post(`/users/${id}?_method=DELETE`, { current_password: 'a guess' });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /<h1>Delete your account\?<\/h1>/);
    assert.match(refused.body, /That is not your password\./);
    const deleted = await alice.post(`/users/${id}?_method=DELETE`, { current_password: PASSWORD });
    assert.equal(deleted.statusCode, 302);
  });
});

describe('a user deleted behind the app’s back', () => {
  test('their session ends at its next request, in the store too', async () => {
    const { file, alice } = await aliceWithMessages();
    const writer = new SQLite(file);
    writer.prepare('DELETE FROM messages').run();
    writer.prepare('DELETE FROM users').run();
    writer.close();
    assert.equal(countRows(file, 'latchkey_sessions'), 1);
    const response = await alice.get('/users/welcome');
    assert.equal(response.statusCode, 302);
    assert.equal(alice.cookies.has('latchkey_session'), false, 'the cookie is cleared');
    assert.equal(countRows(file, 'latchkey_sessions'), 0, 'and the session row is gone');
  });
});
