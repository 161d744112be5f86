import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestApp } from '../helpers.js';
import { apiSession, assertMatchesSpec, createToken, exercised, PASSWORD, SPEC, signUpApi } from './api-client.js';

test('the published spec is a valid OpenAPI 3.1 document', async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(SPEC) as Parameters<Validator['validate']>[0]);
  assert.equal(validator.version, '3.1');
  assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
});

test('the committed spec is the one the app serves (run `npm run api:types` after changing a route)', async () => {
  const app = await createTestApp();
  const served = await app.inject({ url: '/api/openapi.json' });
  assert.equal(served.statusCode, 200);
  assert.deepEqual(JSON.parse(served.body), SPEC);
});

test('every documented operation answers as documented, through a session cookie and a token', async () => {
  const app = await createTestApp();
  const alice = apiSession(app);
  const bob = apiSession(app);
  const { id: aliceId } = await signUpApi(alice, 'alice');
  const { id: bobId } = await signUpApi(bob, 'bob');

  const me = await alice.api.GET('/api/v1/me');
  assert.equal(me.data?.user.username, 'alice');
  assert.deepEqual(me.data?.scopes, ['read', 'write']);

  const created = await alice.api.POST('/api/v1/users/{id}/messages', { params: { path: { id: aliceId } }, body: { content: 'Hello' } });
  assert.equal(created.response.status, 201);
  const mid = created.data!.id;
  assert.equal((await alice.api.GET('/api/v1/users/{id}/messages/{mid}', { params: { path: { id: aliceId, mid } } })).data?.content, 'Hello');
  const changed = await alice.api.PATCH('/api/v1/users/{id}/messages/{mid}', { params: { path: { id: aliceId, mid } }, body: { content: 'Hello again' } });
  assert.equal(changed.data?.content, 'Hello again');
  assert.equal((await alice.api.GET('/api/v1/users/{id}/messages', { params: { path: { id: aliceId } } })).data?.items.length, 1);
  assert.equal((await alice.api.GET('/api/v1/messages')).data?.items[0]?.username, 'alice');
  assert.equal((await alice.api.GET('/api/v1/users')).data?.items.length, 2);
  assert.equal((await alice.api.GET('/api/v1/users/{id}', { params: { path: { id: bobId } } })).data?.username, 'bob');
  const renamed = await alice.api.PATCH('/api/v1/users/{id}', { params: { path: { id: aliceId } }, body: { first_name: 'Alice' } });
  assert.equal(renamed.data?.first_name, 'Alice');

  // someone else's things: refused, as documented
  const notHers = await bob.api.PATCH('/api/v1/users/{id}/messages/{mid}', { params: { path: { id: aliceId, mid } }, body: { content: 'mine now' } });
  assert.equal(notHers.response.status, 403);
  assert.equal(notHers.error?.code, 'NOT_AUTHORIZED');

  const token = await createToken(alice, ['read']);
  const script = apiSession(app, { authorization: `Bearer ${token.token}` });
  assert.deepEqual((await script.api.GET('/api/v1/me')).data?.scopes, ['read']);
  assert.equal((await alice.api.GET('/api/v1/tokens')).data?.items[0]?.name, 'script');

  const second = apiSession(app);
  const login = await second.api.POST('/api/v1/session', { body: { username: 'alice', password: PASSWORD } });
  assert.equal(login.response.status, 200);
  const sessions = await alice.api.GET('/api/v1/sessions');
  assert.equal(sessions.data?.items.length, 2);
  const other = sessions.data!.items.find((session) => !session.current)!;
  assert.equal((await alice.api.DELETE('/api/v1/sessions/{handle}', { params: { path: { handle: other.handle } } })).response.status, 204);
  assert.equal((await second.api.GET('/api/v1/me')).response.status, 401);
  await second.api.POST('/api/v1/session', { body: { username: 'alice', password: PASSWORD } });
  assert.equal((await alice.api.DELETE('/api/v1/sessions')).response.status, 204);
  assert.equal((await second.api.GET('/api/v1/me')).response.status, 401);

  // account recovery (its mails are in test/api/password-reset.test.ts and email.test.ts)
  assert.equal((await second.api.POST('/api/v1/password/forgot', { body: { login: 'alice' } })).response.status, 202);
  assert.equal((await second.api.POST('/api/v1/password/reset', { body: { token: 'A'.repeat(43), password: 'a whole new passphrase' } })).error?.code, 'INVALID_MAIL_TOKEN');
  assert.equal((await second.api.POST('/api/v1/email/confirm', { body: { token: 'A'.repeat(43) } })).error?.code, 'INVALID_MAIL_TOKEN');
  assert.equal((await alice.api.POST('/api/v1/email/verification')).error?.code, 'NO_EMAIL');

  assert.equal((await alice.api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: token.id } } })).response.status, 204);
  assert.equal((await alice.api.DELETE('/api/v1/users/{id}/messages/{mid}', { params: { path: { id: aliceId, mid } } })).response.status, 204);
  assert.equal((await bob.api.DELETE('/api/v1/session')).response.status, 204);
  assert.equal((await bob.api.GET('/api/v1/me')).response.status, 401);
  assert.equal((await alice.api.DELETE('/api/v1/users/{id}', { params: { path: { id: aliceId } } })).response.status, 204);
  assert.equal((await alice.api.GET('/api/v1/me')).response.status, 401);
});

test('refusals outside the routes are problems too: 404, 405, 413, 415, 503', async () => {
  const app = await createTestApp();
  const check = async (options: InjectOptions & { url: string }, status: number, code: string) => {
    const response = await app.inject(options);
    assert.equal(response.statusCode, status, `${options.url}: ${response.body}`);
    assert.equal(response.json().code, code);
    assertMatchesSpec(options.method ?? 'GET', options.url.split('?')[0]!, response.statusCode, String(response.headers['content-type']), response.body);
    return response;
  };
  await check({ url: '/api/v1/nothing-here' }, 404, 'NOT_FOUND');
  await check({ url: '/api/nothing' }, 404, 'NOT_FOUND');
  const wrongMethod = await check({ method: 'PUT', url: '/api/v1/users' }, 405, 'METHOD_NOT_ALLOWED');
  assert.equal(wrongMethod.headers.allow, 'GET, HEAD, POST');
  const big = JSON.stringify({ username: 'x'.repeat(70_000), password: PASSWORD });
  await check({ method: 'POST', url: '/api/v1/users', payload: big, headers: { 'content-type': 'application/json' } }, 413, 'BODY_TOO_LARGE');
  await check({ method: 'POST', url: '/api/v1/session', payload: 'username=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'UNSUPPORTED_MEDIA_TYPE');
  await check({ method: 'POST', url: '/api/v1/session', payload: '{"username":', headers: { 'content-type': 'application/json' } }, 400, 'INVALID_JSON');
  await check({ method: 'POST', url: '/api/v1/session', payload: { username: 'a' } }, 400, 'VALIDATION_FAILED');
});

test('a failing session store is a 503 problem, not a page or a stack trace', async () => {
  const { createMemorySessionStore } = await import('latchkey');
  const memory = createMemorySessionStore();
  let down = false;
  const store = { ...memory, get: (key: string, now: number) => (down ? Promise.reject(new Error('store down')) : memory.get(key, now)) };
  const app = await createTestApp({}, { sessionStore: store });
  const alice = apiSession(app);
  await signUpApi(alice, 'alice');
  down = true;
  const { response, error } = await alice.api.GET('/api/v1/me');
  assert.equal(response.status, 503);
  assert.equal(error?.code, 'SESSION_STORE_UNAVAILABLE');
});

after(() => {
  // the walk-through above must have touched every operation the spec documents
  const documented = Object.values(SPEC.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
  const missed = documented.filter((id) => !exercised.has(id));
  assert.deepEqual(missed, [], `operations never exercised: ${missed.join(', ')}`);
});
