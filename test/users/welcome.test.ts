import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, createTestApp, flashes, signUp } from '../helpers.js';

describe('the welcome page after a refusal', () => {
  test('"Not Authorized" is not shown above a cheerful "Welcome": the page says what happened', async () => {
    const app = await createTestApp();
    const alice = new Client(app);
    const aliceId = await signUp(alice, 'alice');
    const bob = new Client(app);
    await signUp(bob, 'bob');
    const refused = await bob.get(`/users/${aliceId}/edit`);
    assert.equal(refused.location, '/users/welcome');
    const page = await bob.follow(refused);
    assert.deepEqual(flashes(page.body), ['Not Authorized']);
    assert.doesNotMatch(page.body, /Welcome/);
    assert.match(page.body, /<h1>That page is not yours<\/h1>/);
    assert.match(page.body, /only change your own/);
    assert.match(page.body, /<title>Not your page · Latchkey<\/title>/);
    const again = await bob.get('/users/welcome');
    assert.match(again.body, /<h1>Welcome, bob!<\/h1>/, 'the next visit is a welcome again');
  });
});

describe('wording', () => {
  test('pages say log in and log out, never sign in (the contract keeps its one "signed out" flash)', async () => {
    const app = await createTestApp();
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    for (const path of ['/', '/users/welcome', '/users/logout', `/users/${id}`, `/users/${id}/edit`, `/users/${id}/sessions`, '/messages', '/users']) {
      const body = (await alice.get(path)).body;
      assert.doesNotMatch(body, /\bsign(ed|ing)?[ -]?in\b/i, path);
    }
  });
});
