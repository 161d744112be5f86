import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SessionMode } from 'latchkey';
import { Client, createTestApp, flashes, logIn, modeConfig, signUp } from '../helpers.js';
import { NO_THROTTLE } from '../security/support.js';

const MODES: SessionMode[] = ['server', 'signed', 'encrypted', 'flask'];

/** Copies a browser's cookies, as a thief with the cookie jar would. */
function steal(client: Client): Client {
  const thief = new Client(client.app);
  for (const [name, value] of client.cookies) thief.cookies.set(name, value);
  return thief;
}

/** One user logged in on a laptop and a phone. */
async function twoDevices(mode: SessionMode) {
  const app = await createTestApp(modeConfig(mode));
  const laptop = new Client(app);
  const id = await signUp(laptop, 'alice');
  const phone = new Client(app);
  await logIn(phone, 'alice');
  return { laptop, phone, id };
}

for (const mode of MODES) {
  describe(`revocation in ${mode} mode`, () => {
    test('a cookie copied before logout is dead after it', async () => {
      const alice = new Client(await createTestApp(modeConfig(mode)));
      await signUp(alice, 'alice');
      const thief = steal(alice);
      await alice.post('/users/logout');
      assert.equal((await thief.get('/users/welcome')).statusCode, 302);
    });

    test('a logout ends only that device: the phone stays logged in', async () => {
      const { laptop, phone } = await twoDevices(mode);
      await laptop.post('/users/logout');
      assert.equal((await laptop.get('/users/welcome')).statusCode, 302);
      assert.equal((await phone.get('/users/welcome')).statusCode, 200);
    });

    test('logging in again with a cookie that was ended works at the first try', async () => {
      const alice = new Client(await createTestApp(modeConfig(mode)));
      await signUp(alice, 'alice');
      const old = steal(alice);
      await alice.post('/users/logout');
      const response = await logIn(old, 'alice');
      assert.equal(response.location, '/users/welcome');
      const welcome = await old.follow(response);
      assert.equal(welcome.statusCode, 200);
      assert.deepEqual(flashes(welcome.body), ["You've successfully logged in!"]);
    });

    test('"log out everywhere else" ends the other devices and keeps this one', async () => {
      const { laptop, phone, id } = await twoDevices(mode);
      await laptop.get(`/users/${id}/sessions`);
      const response = await laptop.post(`/users/${id}/sessions?_method=DELETE`);
      assert.equal(response.location, `/users/${id}/sessions`);
      assert.deepEqual(flashes((await laptop.follow(response)).body), ['You have been logged out everywhere else.']);
      assert.equal((await phone.get('/users/welcome')).statusCode, 302);
      assert.equal((await laptop.get('/users/welcome')).statusCode, 200);
    });

    test('a password change ends the other sessions and keeps this one', async () => {
      const { laptop, phone, id } = await twoDevices(mode);
      await laptop.get(`/users/${id}/edit`);
      const response = await laptop.post(`/users/${id}?_method=PATCH`, {
        username: 'alice',
        password: 'a whole new secret',
        current_password: 'correct horse battery',
      });
      assert.equal(response.location, `/users/${id}`);
      assert.equal((await phone.get('/users/welcome')).statusCode, 302);
      assert.equal((await laptop.get('/users/welcome')).statusCode, 200);
    });

    test('deleting the account ends its sessions everywhere', async () => {
      const { laptop, phone, id } = await twoDevices(mode);
      await laptop.get(`/users/${id}/edit`);
      await laptop.post(`/users/${id}?_method=DELETE`, { current_password: 'correct horse battery' });
      assert.equal((await phone.get('/users/welcome')).statusCode, 302);
      assert.equal((await laptop.get('/users/welcome')).statusCode, 302);
    });
  });
}

for (const mode of MODES) describe(`the devices page (${mode} mode)`, () => {
  test('lists each session with its device, marks this one, and ends another', async () => {
    const app = await createTestApp(modeConfig(mode));
    const laptop = new Client(app);
    const id = await signUp(laptop, 'alice');
    const phone = new Client(app);
    await phone.get('/users/login', { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1' });
    await phone.request({
      method: 'POST',
      url: '/users/login',
      payload: new URLSearchParams({ csrf_token: phone.csrf, username: 'alice', password: 'correct horse battery' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1' },
    });
    const page = await laptop.get(`/users/${id}/sessions`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Safari on iOS/);
    assert.equal(page.body.match(/this device/g)?.length, 1);
    const handles = [...page.body.matchAll(/sessions\/([A-Za-z0-9_-]{16})\?_method=DELETE/g)].map((m) => m[1]!);
    assert.equal(handles.length, 1, 'only the other session has an end button');
    if (mode === 'server') assert.ok(!page.body.includes(laptop.cookies.get('latchkey_session')!.split('.')[0]!), 'the secret id is never shown');
    const ended = await laptop.post(`/users/${id}/sessions/${handles[0]}?_method=DELETE`);
    assert.deepEqual(flashes((await laptop.follow(ended)).body), ['That session has been ended.']);
    assert.equal((await phone.get('/users/welcome')).statusCode, 302, 'the ended one is logged out on its next click');
    const again = await laptop.post(`/users/${id}/sessions/${handles[0]}?_method=DELETE`);
    assert.equal(again.statusCode, 404);
  });

  test("is only for its owner: another user cannot see or end someone's sessions", async () => {
    const app = await createTestApp(modeConfig(mode));
    const alice = new Client(app);
    const aliceId = await signUp(alice, 'alice');
    const bob = new Client(app);
    await signUp(bob, 'bob');
    const peek = await bob.get(`/users/${aliceId}/sessions`);
    assert.equal(peek.location, '/users/welcome');
    const end = await bob.post(`/users/${aliceId}/sessions?_method=DELETE`);
    assert.equal(end.location, '/users/welcome');
    assert.equal((await alice.get('/users/welcome')).statusCode, 200);
  });

  test("a handle of another user's session ends nothing", async () => {
    const app = await createTestApp(modeConfig(mode));
    const alice = new Client(app);
    const aliceId = await signUp(alice, 'alice');
    const aliceLaptop = new Client(app);
    await logIn(aliceLaptop, 'alice');
    const handle = /sessions\/([A-Za-z0-9_-]{16})\?_method=DELETE/.exec((await alice.get(`/users/${aliceId}/sessions`)).body)![1];
    const bob = new Client(app);
    const bobId = await signUp(bob, 'bob');
    await bob.get(`/users/${bobId}/sessions`);
    assert.equal((await bob.post(`/users/${bobId}/sessions/${handle}?_method=DELETE`)).statusCode, 404);
    assert.equal((await aliceLaptop.get('/users/welcome')).statusCode, 200);
  });
});

describe('the devices page of someone logged in on many devices', () => {
  test('comes 50 sessions a page, newest login first, with Newer and Older links', async () => {
    let now = Date.now();
    const app = await createTestApp({ loginThrottle: NO_THROTTLE }, { now: () => now });
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    for (let device = 1; device <= 59; device++) {
      now += 1000;
      await logIn(new Client(app), 'alice');
    }
    const first = await alice.get(`/users/${id}/sessions`);
    const ends = (body: string) => body.match(/End this session/g)?.length ?? 0;
    assert.equal(ends(first.body) + (first.body.includes('this device') ? 1 : 0), 50, 'fifty sessions on the first page');
    assert.doesNotMatch(first.body, /rel="prev"/);
    const older = /<a rel="next" href="([^"]+)">Older/.exec(first.body)?.[1];
    assert.ok(older, 'a link to older logins');
    const second = await alice.get(older!.replace(/&amp;/g, '&'));
    assert.equal(second.statusCode, 200);
    assert.equal(ends(second.body) + (second.body.includes('this device') ? 1 : 0), 10, 'the other ten');
    assert.match(second.body, /this device/, 'the oldest login, this one, comes last');
    assert.match(second.body, /<a rel="prev" href="[^"]+">/);
    assert.doesNotMatch(second.body, /rel="next"/);
    assert.equal((await alice.get(`/users/${id}/sessions?cursor=not-a-cursor`)).statusCode, 400);
  });
});
