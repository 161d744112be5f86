import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, countRows, createTestApp, flashes, logIn, PASSWORD, signUp, tempSqliteFile } from '../helpers.js';

async function twoUsers(databaseUrl?: string) {
  const app = await createTestApp(databaseUrl ? { databaseUrl } : {});
  const alice = new Client(app);
  const bob = new Client(app);
  const aliceId = await signUp(alice, 'alice');
  const bobId = await signUp(bob, 'bob');
  return { app, alice, bob, aliceId, bobId };
}

describe('users', () => {
  test('the index links every user as <a href="/users/<id>">username</a>', async () => {
    const { alice, aliceId, bobId } = await twoUsers();
    const page = await alice.get('/users');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<a href="/users/${aliceId}">alice</a>`));
    assert.match(page.body, new RegExp(`<a href="/users/${bobId}">bob</a>`));
  });

  test('any logged-in user may view any profile', async () => {
    const { alice, bobId } = await twoUsers();
    const page = await alice.get(`/users/${bobId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>bob<\/h1>/);
    assert.doesNotMatch(page.body, /Edit your profile/);
  });

  test('an unknown or malformed user id is a 404 page', async () => {
    const { alice } = await twoUsers();
    for (const url of ['/users/999', '/users/abc', '/users/1.5', '/users/0', '/users/-1', '/users/99999999999999999999', '/users/1e3']) {
      const page = await alice.get(url);
      assert.equal(page.statusCode, 404, url);
      assert.match(page.body, /That (page|user) does not exist/);
    }
  });

  test('you can edit your own profile; a blank password keeps the old one', async () => {
    const { alice, aliceId } = await twoUsers();
    const form = await alice.get(`/users/${aliceId}/edit`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`action="/users/${aliceId}\\?_method=PATCH"`));
    const response = await alice.post(`/users/${aliceId}?_method=PATCH`, { username: 'alicia', password: '', first_name: 'Alicia', last_name: 'L' });
    assert.equal(response.location, `/users/${aliceId}`);
    const profile = await alice.follow(response);
    assert.deepEqual(flashes(profile.body), ['User Updated!']);
    assert.match(profile.body, /<h1>alicia<\/h1>/);
    await alice.post('/users/logout');
    assert.equal((await logIn(alice, 'alicia', PASSWORD)).statusCode, 302);
  });

  test('a new password replaces the old one', async () => {
    const { alice, aliceId } = await twoUsers();
    await alice.get(`/users/${aliceId}/edit`);
    await alice.post(`/users/${aliceId}?_method=PATCH`, { username: 'alice', password: 'a brand new secret', current_password: PASSWORD });
    await alice.post('/users/logout');
    assert.equal((await logIn(alice, 'alice', PASSWORD)).statusCode, 401);
    assert.equal((await logIn(alice, 'alice', 'a brand new secret')).statusCode, 302);
  });

  test('an update to a taken username is refused and changes nothing', async () => {
    const { alice, aliceId } = await twoUsers();
    await alice.get(`/users/${aliceId}/edit`);
    const response = await alice.post(`/users/${aliceId}?_method=PATCH`, { username: 'bob', first_name: 'Changed' });
    assert.equal(response.statusCode, 409);
    assert.deepEqual(flashes(response.body), ['Invalid submission. Please try again.']);
    assert.match((await alice.get(`/users/${aliceId}`)).body, /<h1>alice<\/h1>/);
    assert.doesNotMatch((await alice.get(`/users/${aliceId}`)).body, /Changed/);
  });

  test('a PATCH also arrives as a `_method` form field', async () => {
    const { alice, aliceId } = await twoUsers();
    await alice.get(`/users/${aliceId}/edit`);
    const response = await alice.post(`/users/${aliceId}`, { _method: 'PATCH', username: 'alice', first_name: 'Field' });
    assert.equal(response.location, `/users/${aliceId}`);
    assert.match((await alice.get(`/users/${aliceId}`)).body, /Field/);
  });

  test('a plain POST to a profile is refused with a 405 and changes nothing', async () => {
    const { alice, aliceId } = await twoUsers();
    const response = await alice.post(`/users/${aliceId}`, { username: 'changed' });
    assert.equal(response.statusCode, 405);
    assert.match((await alice.get(`/users/${aliceId}`)).body, /<h1>alice<\/h1>/);
  });

  test('another user may not edit, update or delete your profile', async () => {
    const { alice, bob, aliceId } = await twoUsers();
    await bob.get('/users/welcome');
    const attempts = [
      () => bob.get(`/users/${aliceId}/edit`),
      () => bob.post(`/users/${aliceId}?_method=PATCH`, { username: 'hacked' }),
      () => bob.post(`/users/${aliceId}?_method=DELETE`),
      () => bob.request({ method: 'PATCH', url: `/users/${aliceId}`, payload: `csrf_token=${bob.csrf}&username=hacked`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      assert.equal(response.statusCode, 302);
      assert.equal(response.location, '/users/welcome');
      assert.deepEqual(flashes((await bob.follow(response)).body), ['Not Authorized']);
    }
    assert.match((await alice.get(`/users/${aliceId}`)).body, /<h1>alice<\/h1>/);
  });

  test('deleting your account deletes your messages, logs you out everywhere and says so', async () => {
    const file = tempSqliteFile();
    const { app, alice, aliceId } = await twoUsers(`sqlite:${file}`);
    const otherDevice = new Client(app);
    await logIn(otherDevice, 'alice');
    await alice.get(`/users/${aliceId}/messages/new`);
    await alice.follow(await alice.post(`/users/${aliceId}/messages`, { content: 'soon gone' }));
    assert.equal(countRows(file, 'messages'), 1);
    const response = await alice.post(`/users/${aliceId}?_method=DELETE`);
    assert.equal(response.statusCode, 302);
    assert.deepEqual(flashes((await alice.follow(response)).body), ['User Deleted!']);
    assert.equal(countRows(file, 'messages'), 0);
    assert.equal(countRows(file, 'users'), 1);
    assert.equal((await alice.get('/users/welcome')).statusCode, 302);
    assert.equal((await otherDevice.get('/users/welcome')).statusCode, 302);
    assert.equal((await logIn(alice, 'alice')).statusCode, 401);
  });
});
