import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PASSWORD, createTestApp, flashes, logIn, signUp } from '../helpers.js';
import { ClientAt, NO_THROTTLE } from './support.js';

/** Fields an attacker adds to a form, hoping the server copies them onto a record. */
const smuggled = (victimId: number) => ({ id: String(victimId), user_id: String(victimId), userId: String(victimId), role: 'admin', is_admin: '1' });

async function aliceAndBob() {
  const app = await createTestApp({ loginThrottle: NO_THROTTLE });
  const bob = new ClientAt(app, '198.51.100.8');
  const bobId = await signUp(bob, 'bob');
  const alice = new ClientAt(app, '198.51.100.7');
  const aliceId = await signUp(alice, 'alice');
  return { app, alice, aliceId, bob, bobId };
}

describe('identity comes only from the session', () => {
  test('signing up with a smuggled id makes a new account and leaves the existing one alone', async () => {
    const { app, bobId } = await aliceAndBob();
    const mallory = new ClientAt(app, '203.0.113.66');
    await mallory.get('/users/signup');
    const response = await mallory.post('/users/signup', { username: 'mallory', password: PASSWORD, first_name: 'Mal', ...smuggled(bobId) });
    assert.equal(response.statusCode, 302);
    const welcome = await mallory.get('/users/welcome');
    assert.match(welcome.body, /Welcome, mallory!/);
    assert.doesNotMatch(welcome.body, new RegExp(`href="/users/${bobId}"`), 'mallory did not become bob');
    assert.equal((await logIn(new ClientAt(app, '198.51.100.8'), 'bob', PASSWORD)).statusCode, 302, 'bob still logs in with his password');
  });

  test('a profile update with a smuggled id changes only your own profile', async () => {
    const { alice, aliceId, bob, bobId } = await aliceAndBob();
    await alice.get(`/users/${aliceId}/edit`);
    const response = await alice.post(`/users/${aliceId}?_method=PATCH`, { username: 'alice', first_name: 'Changed', ...smuggled(bobId) });
    assert.equal(response.location, `/users/${aliceId}`);
    assert.match((await alice.get(`/users/${aliceId}`)).body, /Changed/);
    assert.doesNotMatch((await bob.get(`/users/${bobId}`)).body, /Changed/);
  });

  test("posting to someone else's profile with your own id in the body is still refused", async () => {
    const { alice, aliceId, bob, bobId } = await aliceAndBob();
    await alice.get(`/users/${aliceId}/edit`);
    const response = await alice.post(`/users/${bobId}?_method=PATCH`, { username: 'bob', first_name: 'Pwned', ...smuggled(aliceId) });
    assert.equal(response.location, '/users/welcome');
    assert.deepEqual(flashes((await alice.follow(response)).body), ['Not Authorized']);
    assert.doesNotMatch((await bob.get(`/users/${bobId}`)).body, /Pwned/);
  });

  test("a message with a smuggled user_id is yours, not the victim's", async () => {
    const { alice, aliceId, bob, bobId } = await aliceAndBob();
    await alice.get(`/users/${aliceId}/messages/new`);
    await alice.post(`/users/${aliceId}/messages?user_id=${bobId}`, { content: 'who wrote this?', ...smuggled(bobId) });
    assert.match((await alice.get(`/users/${aliceId}/messages`)).body, /who wrote this\?/);
    assert.doesNotMatch((await bob.get(`/users/${bobId}/messages`)).body, /who wrote this\?/);
  });

  test("editing your message with a smuggled user_id does not hand it to someone else", async () => {
    const { alice, aliceId, bob, bobId } = await aliceAndBob();
    await alice.get(`/users/${aliceId}/messages/new`);
    await alice.post(`/users/${aliceId}/messages`, { content: 'first draft' });
    const mid = /href="\/users\/\d+\/messages\/(\d+)"/.exec((await alice.get(`/users/${aliceId}/messages`)).body)?.[1];
    assert.ok(mid);
    await alice.get(`/users/${aliceId}/messages/${mid}/edit`);
    await alice.post(`/users/${aliceId}/messages/${mid}?_method=PATCH`, { content: 'second draft', ...smuggled(bobId) });
    assert.match((await alice.get(`/users/${aliceId}/messages`)).body, /second draft/);
    assert.doesNotMatch((await bob.get(`/users/${bobId}/messages`)).body, /draft/);
  });

  test("writing into someone else's message list is refused whatever the body says", async () => {
    const { alice, aliceId, bob, bobId } = await aliceAndBob();
    await alice.get(`/users/${aliceId}/messages/new`);
    const response = await alice.post(`/users/${bobId}/messages`, { content: 'in your name', ...smuggled(aliceId) });
    assert.deepEqual(flashes((await alice.follow(response)).body), ['Not Authorized']);
    assert.doesNotMatch((await bob.get(`/users/${bobId}/messages`)).body, /in your name/);
  });
});
