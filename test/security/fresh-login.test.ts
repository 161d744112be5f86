import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PASSWORD, createTestApp, flashes, logIn, signUp } from '../helpers.js';
import { ClientAt, NO_THROTTLE } from './support.js';

const MINUTE = 60_000;

/** Alice, logged in, on an app whose clock the test moves; fresh logins last 10 minutes. */
async function aliceWithClock() {
  let clock = Date.parse('2030-01-01T12:00:00Z');
  const app = await createTestApp({ freshLoginMs: 10 * MINUTE, loginThrottle: NO_THROTTLE }, { now: () => clock });
  const alice = new ClientAt(app, '198.51.100.7');
  const id = await signUp(alice, 'alice');
  return { app, alice, id, advance: (ms: number) => (clock += ms) };
}

async function deleteAccount(alice: ClientAt, id: number, form: Record<string, string> = {}) {
  await alice.get(`/users/${id}/delete`);
  return alice.post(`/users/${id}?_method=DELETE`, form);
}

describe('fresh login for dangerous acts', () => {
  test('right after login the account can be deleted with one click', async () => {
    const { alice, id } = await aliceWithClock();
    const response = await deleteAccount(alice, id);
    assert.equal(response.statusCode, 302);
    assert.deepEqual(flashes((await alice.follow(response)).body), ['User Deleted!']);
  });

  test('a session left open for a while cannot delete the account without the password', async () => {
    const { alice, id, advance } = await aliceWithClock();
    advance(11 * MINUTE);
    const confirm = await alice.get(`/users/${id}/delete`);
    assert.match(confirm.body, /id="delete-current-password" name="current_password"/, 'the delete form asks for the password');
    const refused = await alice.post(`/users/${id}?_method=DELETE`);
    assert.equal(refused.statusCode, 403);
    assert.deepEqual(flashes(refused.body), ['Please confirm your password to delete your account.']);
    assert.match(refused.body, /Enter your password to delete your account\./);
    assert.equal((await alice.get(`/users/${id}`)).statusCode, 200, 'the account is still there');
  });

  test('a wrong password does not delete it either', async () => {
    const { alice, id, advance } = await aliceWithClock();
    advance(11 * MINUTE);
    const refused = await deleteAccount(alice, id, { current_password: 'a guess' });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /That is not your password\./);
    assert.equal((await alice.get(`/users/${id}`)).statusCode, 200);
  });

  test('the password typed again deletes it', async () => {
    const { alice, id, advance } = await aliceWithClock();
    advance(11 * MINUTE);
    const response = await deleteAccount(alice, id, { current_password: PASSWORD });
    assert.equal(response.statusCode, 302);
    assert.deepEqual(flashes((await alice.follow(response)).body), ['User Deleted!']);
    assert.equal((await logIn(alice, 'alice', PASSWORD)).statusCode, 401);
  });

  test('logging in again makes the session fresh', async () => {
    const { alice, id, advance } = await aliceWithClock();
    advance(11 * MINUTE);
    await alice.post('/users/logout');
    assert.equal((await logIn(alice, 'alice', PASSWORD)).statusCode, 302);
    assert.doesNotMatch((await alice.get(`/users/${id}/delete`)).body, /delete-current-password/);
    assert.equal((await deleteAccount(alice, id)).statusCode, 302);
  });

  test('a stale session cannot change the password without the current one, but can with it', async () => {
    const { alice, id, advance } = await aliceWithClock();
    advance(11 * MINUTE);
    await alice.get(`/users/${id}/edit`);
    const refused = await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', password: 'a brand new secret' });
    assert.equal(refused.statusCode, 403);
    const changed = await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', password: 'a brand new secret', current_password: PASSWORD });
    assert.equal(changed.statusCode, 302);
    // typing the password made the session fresh: deleting needs no second prompt now
    assert.equal((await deleteAccount(alice, id)).statusCode, 302);
  });

  test('guessing the password through the delete form is throttled like a login', async () => {
    let clock = Date.parse('2030-01-01T12:00:00Z');
    const app = await createTestApp(
      { freshLoginMs: 10 * MINUTE, loginThrottle: { ...NO_THROTTLE, freeFailures: 3 } },
      { now: () => clock },
    );
    const thief = new ClientAt(app, '203.0.113.66');
    const id = await signUp(thief, 'alice');
    clock += 11 * MINUTE;
    const statuses = [];
    for (const guess of ['guess one', 'guess two', 'guess three', PASSWORD]) statuses.push((await deleteAccount(thief, id, { current_password: guess })).statusCode);
    assert.deepEqual(statuses, [403, 403, 403, 429]);
    assert.equal((await thief.get(`/users/${id}`)).statusCode, 200);
  });
});
