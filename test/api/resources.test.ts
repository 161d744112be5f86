import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestApp } from '../helpers.js';
import { apiSession, createToken, PASSWORD, signUpApi } from './api-client.js';

test('lists come a page at a time with an opaque cursor, null at the end', async () => {
  const app = await createTestApp();
  const alice = apiSession(app);
  const { id } = await signUpApi(alice);
  for (let i = 1; i <= 5; i++) await alice.api.POST('/api/v1/users/{id}/messages', { params: { path: { id } }, body: { content: `message ${i}` } });
  const first = await alice.api.GET('/api/v1/messages', { params: { query: { limit: 2 } } });
  assert.deepEqual(first.data?.items.map((message) => message.content), ['message 5', 'message 4']);
  assert.equal(first.data?.prev_cursor, null);
  const second = await alice.api.GET('/api/v1/users/{id}/messages', { params: { path: { id }, query: { limit: 2, cursor: first.data!.next_cursor! } } });
  assert.deepEqual(second.data?.items.map((message) => message.content), ['message 3', 'message 2']);
  const last = await alice.api.GET('/api/v1/messages', { params: { query: { limit: 2, cursor: second.data!.next_cursor! } } });
  assert.deepEqual(last.data?.items.map((message) => message.content), ['message 1']);
  assert.equal(last.data?.next_cursor, null);
  assert.equal((await alice.api.GET('/api/v1/messages')).data?.items.length, 5, 'the default page holds them all');
  const badCursor = await alice.api.GET('/api/v1/messages', { params: { query: { cursor: 'bm90LWEtY3Vyc29y' } } });
  assert.equal(badCursor.response.status, 400);
  assert.equal(badCursor.error?.code, 'BAD_CURSOR');
  const tooMany = await alice.api.GET('/api/v1/messages', { params: { query: { limit: 201 } } });
  assert.equal(tooMany.response.status, 400);
  assert.equal(tooMany.error?.errors?.limit, 'must be <= 200');
});

test('signup applies the same rules as the form: per-field errors, taken and lookalike names', async () => {
  const app = await createTestApp();
  const visitor = apiSession(app);
  const weak = await visitor.api.POST('/api/v1/users', { body: { username: 'bad name!', password: 'password' } });
  assert.equal(weak.response.status, 422);
  assert.equal(weak.error?.code, 'VALIDATION_FAILED');
  assert.match(weak.error?.errors?.username ?? '', /letters, digits/);
  assert.ok(weak.error?.errors?.password);
  await signUpApi(apiSession(app), 'alice');
  const taken = await visitor.api.POST('/api/v1/users', { body: { username: 'ALICE', password: PASSWORD } });
  assert.equal(taken.response.status, 409);
  assert.equal(taken.error?.code, 'USERNAME_TAKEN');
  const wrongType = await visitor.api.POST('/api/v1/users', { body: { username: 42, password: PASSWORD } as never });
  assert.equal(wrongType.response.status, 400, 'a number is not coerced into a username');
  assert.equal(wrongType.error?.errors?.username, 'must be string');
});

test('a wrong password is a 401 whether or not the user exists, and repeated failures a 429 with Retry-After', async () => {
  const app = await createTestApp({ loginThrottle: { freeFailures: 2, ipFreeFailures: 100, firstDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 3_600_000, ipWindowMs: 3_600_000 } });
  await signUpApi(apiSession(app), 'alice');
  const visitor = apiSession(app);
  const unknown = await visitor.api.POST('/api/v1/session', { body: { username: 'nobody', password: PASSWORD } });
  const wrong = await visitor.api.POST('/api/v1/session', { body: { username: 'alice', password: 'not the password' } });
  assert.equal(unknown.response.status, 401);
  assert.equal(wrong.response.status, 401);
  assert.equal(unknown.error?.detail, wrong.error?.detail);
  await visitor.api.POST('/api/v1/session', { body: { username: 'alice', password: 'still not it' } });
  const throttled = await visitor.api.POST('/api/v1/session', { body: { username: 'alice', password: PASSWORD } });
  assert.equal(throttled.response.status, 429);
  assert.equal(throttled.response.headers.get('retry-after'), '60');
  assert.equal(throttled.error?.retry_after, 60);
});

test('changing and deleting are for the owner only, and deleting needs the password once the login is old', async () => {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const app = await createTestApp({}, { now: () => now });
  const alice = apiSession(app);
  const bob = apiSession(app);
  const { id: aliceId } = await signUpApi(alice, 'alice');
  await signUpApi(bob, 'bob');
  const hijack = await bob.api.PATCH('/api/v1/users/{id}', { params: { path: { id: aliceId } }, body: { first_name: 'Mallory' } });
  assert.equal(hijack.response.status, 403);
  assert.equal((await bob.api.DELETE('/api/v1/users/{id}', { params: { path: { id: aliceId } } })).response.status, 403);
  const noCurrent = await alice.api.PATCH('/api/v1/users/{id}', { params: { path: { id: aliceId } }, body: { password: 'a brand new passphrase' } });
  assert.equal(noCurrent.response.status, 403);
  assert.equal(noCurrent.error?.code, 'PASSWORD_CONFIRMATION_FAILED');
  now += 15 * 60_000; // past FRESH_LOGIN_MINUTES (10), within the idle limit (30)
  const stale = await alice.api.DELETE('/api/v1/users/{id}', { params: { path: { id: aliceId } } });
  assert.equal(stale.response.status, 403);
  assert.ok(stale.error?.errors?.current_password);
  const script = apiSession(app, { authorization: `Bearer ${(await createToken(alice)).token}` });
  assert.equal((await script.api.DELETE('/api/v1/users/{id}', { params: { path: { id: aliceId } } })).response.status, 403, 'a token never counts as a fresh login');
  const confirmed = await alice.api.DELETE('/api/v1/users/{id}', { params: { path: { id: aliceId } }, body: { current_password: PASSWORD } });
  assert.equal(confirmed.response.status, 204);
  assert.equal((await bob.api.GET('/api/v1/users/{id}', { params: { path: { id: aliceId } } })).response.status, 404);
});

test('visitors may read all messages; everything else needs a login (401 with a challenge)', async () => {
  const app = await createTestApp();
  const visitor = apiSession(app);
  assert.equal((await visitor.api.GET('/api/v1/messages')).response.status, 200);
  const users = await visitor.api.GET('/api/v1/users');
  assert.equal(users.response.status, 401);
  assert.equal(users.error?.code, 'LOGIN_REQUIRED');
  assert.equal(users.response.headers.get('www-authenticate'), 'Bearer realm="latchkey"');
});

test('the reference page is served by the app under the strict CSP', async () => {
  const app = await createTestApp();
  const page = await app.inject({ url: '/api/docs' });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  assert.doesNotMatch(page.body, /<script|style=/);
  for (const operation of ['POST /api/v1/session', 'GET /api/v1/users/{id}/messages', 'DELETE /api/v1/tokens/{id}']) {
    assert.ok(page.body.includes(operation.replace('{', '{').replace('}', '}')), operation);
  }
});

test('the HTML routes still take only forms: JSON there is a 415 page', async () => {
  const app = await createTestApp();
  const response = await app.inject({ method: 'POST', url: '/users/login', payload: { username: 'a', password: 'b' } });
  assert.equal(response.statusCode, 415);
  assert.match(String(response.headers['content-type']), /text\/html/);
});
