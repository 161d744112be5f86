import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SessionMode } from 'latchkey';
import { Client, createTestApp, modeConfig, PASSWORD, signUp } from '../helpers.js';

async function loggedIn() {
  const app = await createTestApp();
  const alice = new Client(app);
  const id = await signUp(alice, 'alice');
  await alice.get(`/users/${id}/messages/new`);
  return { app, alice, id };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('CSRF', () => {
  test('every form on a page carries a hidden csrf_token', async () => {
    const { alice, id } = await loggedIn();
    for (const url of ['/users/signup', '/users/login', '/users/logout', `/users/${id}/edit`, `/users/${id}/messages/new`]) {
      const body = (await alice.get(url)).body;
      const forms = body.match(/<form /g)!.length;
      const tokens = body.match(/<input type="hidden" name="csrf_token" value="[A-Za-z0-9_-]{43}">/g)?.length ?? 0;
      assert.equal(tokens, forms, url);
    }
  });

  test('a form without a token is refused with a 403 and changes nothing', async () => {
    const { alice, id } = await loggedIn();
    const response = await alice.request({ method: 'POST', url: `/users/${id}/messages`, payload: form({ content: 'no token' }), headers: FORM });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /security token is missing or expired/);
    assert.doesNotMatch((await alice.get(`/users/${id}/messages`)).body, /no token/);
  });

  test('a wrong token is refused', async () => {
    const { alice, id } = await loggedIn();
    const wrong = alice.csrf.slice(0, -1) + (alice.csrf.endsWith('A') ? 'B' : 'A');
    for (const token of [wrong, 'x', '', alice.csrf + alice.csrf]) {
      const response = await alice.request({ method: 'POST', url: `/users/${id}/messages`, payload: form({ content: 'bad', csrf_token: token }), headers: FORM });
      assert.equal(response.statusCode, 403, token);
    }
  });

  test("another visitor's token is worthless in my browser", async () => {
    const { app, alice, id } = await loggedIn();
    const attacker = new Client(app);
    await attacker.get('/users/login');
    const response = await alice.request({ method: 'POST', url: `/users/${id}/messages`, payload: form({ content: 'x', csrf_token: attacker.csrf }), headers: FORM });
    assert.equal(response.statusCode, 403);
  });

  for (const mode of ['server', 'signed', 'encrypted', 'flask'] as SessionMode[]) {
    test(`a victim's session cookie with an attacker's own CSRF cookie and token is refused (${mode} mode)`, async () => {
      const app = await createTestApp(modeConfig(mode));
      const sessionCookie = mode === 'flask' ? 'session' : 'latchkey_session';
      const alice = new Client(app);
      const id = await signUp(alice, 'alice');
      await alice.get(`/users/${id}/messages/new`);
      const visitor = new Client(app);
      await visitor.get('/users/login');
      const mallory = new Client(app);
      const malloryId = await signUp(mallory, 'mallory');
      await mallory.get(`/users/${malloryId}/messages/new`);
      // a cookie planted beside the victim's (a sibling subdomain can do it where __Host- is not in force)
      const post = (csrfCookie: string, token: string) =>
        app.inject({
          method: 'POST',
          url: `/users/${id}/messages`,
          payload: form({ content: 'planted', csrf_token: token }),
          headers: { ...FORM, cookie: `${sessionCookie}=${alice.cookies.get(sessionCookie)}; latchkey_csrf=${csrfCookie}` },
        });
      for (const attacker of [visitor, mallory]) {
        const response = await post(attacker.cookies.get('latchkey_csrf')!, attacker.csrf);
        assert.equal(response.statusCode, 403, attacker === visitor ? 'a visitor token' : "another user's token");
      }
      assert.doesNotMatch((await alice.get(`/users/${id}/messages`)).body, /planted/);
      const own = await post(alice.cookies.get('latchkey_csrf')!, alice.csrf);
      assert.equal(own.statusCode, 302, "the same request with the victim's own CSRF cookie and token goes through");
    });
  }

  test('a cross-site request is refused even with a valid token', async () => {
    const { alice, id } = await loggedIn();
    const crossSite = await alice.post(`/users/${id}/messages`, { content: 'x' }, { 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.statusCode, 403);
    const otherOrigin = await alice.post(`/users/${id}/messages`, { content: 'x' }, { origin: 'https://evil.example' });
    assert.equal(otherOrigin.statusCode, 403);
    const nullOrigin = await alice.post(`/users/${id}/messages`, { content: 'x' }, { origin: 'null' });
    assert.equal(nullOrigin.statusCode, 403);
    const sameOrigin = await alice.post(`/users/${id}/messages`, { content: 'ok' }, { origin: 'http://localhost:80' });
    assert.equal(sameOrigin.statusCode, 302);
    const fetchMetadataWins = await alice.post(`/users/${id}/messages`, { content: 'ok' }, { origin: 'null', 'sec-fetch-site': 'same-origin' });
    assert.equal(fetchMetadataWins.statusCode, 302, 'a same-origin form under a no-referrer policy sends Origin: null');
    const crossSiteWins = await alice.post(`/users/${id}/messages`, { content: 'x' }, { origin: 'http://localhost:80', 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSiteWins.statusCode, 403);
  });

  test('anonymous forms are protected without creating a session', async () => {
    const app = await createTestApp();
    const visitor = new Client(app);
    await visitor.get('/users/login');
    assert.ok(visitor.cookies.has('latchkey_csrf'));
    assert.equal(visitor.cookies.has('latchkey_session'), false);
    const forged = await visitor.request({ method: 'POST', url: '/users/login', payload: form({ username: 'a', password: PASSWORD }), headers: FORM });
    assert.equal(forged.statusCode, 403);
  });

  test('the token rotates at login: one from before login no longer works', async () => {
    const app = await createTestApp();
    const alice = new Client(app);
    await signUp(alice, 'alice');
    await alice.post('/users/logout');
    await alice.get('/users/login');
    const before = alice.csrf;
    const cookieBefore = alice.cookies.get('latchkey_csrf');
    await alice.post('/users/login', { username: 'alice', password: PASSWORD });
    assert.notEqual(alice.cookies.get('latchkey_csrf'), cookieBefore);
    const stale = await alice.request({ method: 'POST', url: '/users/1/messages', payload: form({ content: 'x', csrf_token: before }), headers: FORM });
    assert.equal(stale.statusCode, 403);
  });
});
