import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { Client, countRows, createTestApp, readRow, signUp, tempSqliteFile } from '../helpers.js';
import { apiSession, createToken, PASSWORD, signUpApi } from './api-client.js';

const DAY = 86_400_000;

test('a token is shown once and stored only as its hash', async () => {
  const file = tempSqliteFile();
  const app = await createTestApp({ databaseUrl: `sqlite:${file}` });
  const alice = apiSession(app);
  await signUpApi(alice);
  const created = await createToken(alice, ['read'], 'backup');
  assert.match(created.token, /^lk_[A-Za-z0-9_-]{43}$/);
  const row = readRow<{ token_hash: string; scopes: string }>(file, 'SELECT token_hash, scopes FROM api_tokens')!;
  assert.equal(row.token_hash, createHash('sha256').update(created.token).digest('hex'));
  assert.equal(row.scopes, 'read');
  const listed = await alice.api.GET('/api/v1/tokens');
  assert.doesNotMatch(JSON.stringify(listed.data), /lk_/, 'the list never shows the token again');
});

test('a bearer request needs no CSRF token, creates no session and sets no cookie', async () => {
  const file = tempSqliteFile();
  const app = await createTestApp({ databaseUrl: `sqlite:${file}` });
  const alice = apiSession(app);
  const { id } = await signUpApi(alice);
  const { token } = await createToken(alice);
  const sessionsBefore = countRows(file, 'latchkey_sessions');
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/users/${id}/messages`,
    headers: { authorization: `Bearer ${token}` },
    payload: { content: 'from a script' },
  });
  assert.equal(response.statusCode, 201, response.body);
  assert.equal(response.headers['set-cookie'], undefined);
  assert.equal(countRows(file, 'latchkey_sessions'), sessionsBefore);
  assert.ok(readRow<{ last_used_at: string }>(file, 'SELECT last_used_at FROM api_tokens')!.last_used_at, 'the use is recorded');
});

test('a read token can look but not change: 403 insufficient_scope', async () => {
  const app = await createTestApp();
  const alice = apiSession(app);
  const { id } = await signUpApi(alice);
  const reader = apiSession(app, { authorization: `Bearer ${(await createToken(alice, ['read'])).token}` });
  assert.equal((await reader.api.GET('/api/v1/users/{id}/messages', { params: { path: { id } } })).response.status, 200);
  const refused = await reader.api.POST('/api/v1/users/{id}/messages', { params: { path: { id } }, body: { content: 'no' } });
  assert.equal(refused.response.status, 403);
  assert.equal(refused.error?.code, 'INSUFFICIENT_SCOPE');
  assert.match(refused.response.headers.get('www-authenticate') ?? '', /error="insufficient_scope", scope="write"/);
  const writer = apiSession(app, { authorization: `Bearer ${(await createToken(alice, ['write'])).token}` });
  assert.equal((await writer.api.GET('/api/v1/me')).response.status, 403, 'write alone does not read');
});

test('unknown, malformed, revoked and expired tokens are 401 with a Bearer challenge', async () => {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const app = await createTestApp({}, { now: () => now });
  const alice = apiSession(app);
  await signUpApi(alice);
  const kept = await createToken(alice);
  const revoked = await createToken(alice, ['read'], 'old');
  await alice.api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: revoked.id } } });
  const asking = (authorization: string) => app.inject({ url: '/api/v1/me', headers: { authorization } });
  for (const [authorization, why] of [
    [`Bearer lk_${'A'.repeat(43)}`, 'unknown'],
    ['Bearer not-a-token', 'malformed'],
    [`Bearer ${revoked.token}`, 'unknown or revoked'],
    [`Basic ${Buffer.from('alice:x').toString('base64')}`, 'missing'],
  ]) {
    const response = await asking(authorization!);
    assert.equal(response.statusCode, 401, authorization);
    assert.equal(response.json().code, 'INVALID_TOKEN');
    assert.match(String(response.headers['www-authenticate']), /^Bearer realm="latchkey", error="invalid_token"/);
    assert.match(response.json().detail, new RegExp(why!));
  }
  assert.equal((await asking(`Bearer ${kept.token}`)).statusCode, 200);
  now += 31 * DAY;
  const expired = await asking(`Bearer ${kept.token}`);
  assert.equal(expired.statusCode, 401);
  assert.match(expired.json().detail, /expired/);
});

test('a password change revokes every token', async () => {
  const app = await createTestApp();
  const alice = apiSession(app);
  const { id } = await signUpApi(alice);
  const { token } = await createToken(alice);
  const changed = await alice.api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: { password: 'a brand new passphrase', current_password: PASSWORD } });
  assert.equal(changed.response.status, 200);
  assert.equal((await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401);
  assert.deepEqual((await alice.api.GET('/api/v1/tokens')).data?.items, []);
});

test('a token cannot mint tokens or log in: those take the session cookie', async () => {
  const app = await createTestApp();
  const alice = apiSession(app);
  await signUpApi(alice);
  const script = apiSession(app, { authorization: `Bearer ${(await createToken(alice)).token}` });
  const minted = await script.api.POST('/api/v1/tokens', { body: { name: 'longer', scopes: ['read', 'write'], expires_in_days: 365 } });
  assert.equal(minted.response.status, 403);
  assert.equal(minted.error?.code, 'SESSION_REQUIRED');
});

test('a cookie session needs the X-CSRF-Token header on unsafe requests, and a same-site origin', async () => {
  const app = await createTestApp();
  const alice = apiSession(app);
  const { id } = await signUpApi(alice);
  const token = alice.headers['x-csrf-token']!;
  delete alice.headers['x-csrf-token'];
  const without = await alice.api.POST('/api/v1/users/{id}/messages', { params: { path: { id } }, body: { content: 'hi' } });
  assert.equal(without.response.status, 403);
  assert.equal(without.error?.code, 'CSRF_REFUSED');
  alice.headers['x-csrf-token'] = token;
  alice.headers['sec-fetch-site'] = 'cross-site';
  assert.equal((await alice.api.POST('/api/v1/users/{id}/messages', { params: { path: { id } }, body: { content: 'hi' } })).response.status, 403);
  const stranger = apiSession(app, { 'sec-fetch-site': 'cross-site' });
  const login = await stranger.api.POST('/api/v1/session', { body: { username: 'alice', password: PASSWORD } });
  assert.equal(login.response.status, 403, 'a login from another site is refused');
  delete alice.headers['sec-fetch-site'];
  assert.equal((await alice.api.POST('/api/v1/users/{id}/messages', { params: { path: { id } }, body: { content: 'hi' } })).response.status, 201);
});

test('the devices page creates a token, shows it once, lists it and revokes it', async () => {
  const app = await createTestApp();
  const browser = new Client(app);
  const id = await signUp(browser, 'alice');
  await browser.get(`/users/${id}/sessions`);
  const created = await browser.post(`/users/${id}/tokens`, { name: 'laptop script', scope_read: 'on', expires_in_days: '7' });
  assert.equal(created.statusCode, 200);
  const token = /<code class="token">(lk_[^<]+)<\/code>/.exec(created.body)?.[1];
  assert.ok(token, 'the page shows the token');
  assert.equal(created.headers['cache-control'], 'no-store');
  assert.equal((await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
  const page = await browser.get(`/users/${id}/sessions`);
  assert.match(page.body, /laptop script/);
  assert.doesNotMatch(page.body, /lk_/, 'never shown again');
  const invalid = await browser.post(`/users/${id}/tokens`, { name: '', expires_in_days: '999' });
  assert.equal(invalid.statusCode, 422);
  assert.match(invalid.body, /Choose read, write or both/);
  const tokenId = /action="\/users\/\d+\/tokens\/(\d+)\?_method=DELETE"/.exec(page.body)?.[1];
  const revoked = await browser.post(`/users/${id}/tokens/${tokenId}?_method=DELETE`);
  assert.equal(revoked.statusCode, 302);
  assert.match((await browser.follow(revoked)).body, /That token has been revoked/);
  assert.equal((await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401);
});

test("nobody revokes another user's token", async () => {
  const app = await createTestApp();
  const alice = apiSession(app);
  await signUpApi(alice, 'alice');
  const { id } = await createToken(alice);
  const mallory = apiSession(app);
  await signUpApi(mallory, 'mallory');
  assert.equal((await mallory.api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } })).response.status, 404);
  assert.equal((await alice.api.GET('/api/v1/tokens')).data?.items.length, 1);
});

test('a password reset by mail revokes every token too', async () => {
  const { createMailTestApp, signUpVerified, askForReset, pathOf, PUBLIC_URL } = await import('../recovery/support.js');
  const { linkIn } = await import('../mail/smtp-inbox.js');
  const { app, inbox } = await createMailTestApp();
  const browser = new Client(app);
  const id = await signUpVerified(browser, inbox, 'alice', 'alice@example.com');
  await browser.get(`/users/${id}/sessions`);
  const page = await browser.post(`/users/${id}/tokens`, { name: 'script', scope_read: 'on', expires_in_days: '7' });
  const token = /<code class="token">(lk_[^<]+)</.exec(page.body)![1]!;
  assert.equal((await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
  const visitor = new Client(app);
  await askForReset(app, visitor, 'alice');
  const resetPath = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset your password/), `${PUBLIC_URL}/users/password/reset/`));
  await visitor.get(resetPath);
  assert.equal((await visitor.post(resetPath, { password: 'a whole new passphrase' })).statusCode, 302);
  assert.equal((await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401);
});
