import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, createTestApp, signUp } from './helpers.js';

test('a JSON body on a form route is a 415 with a clear message', async () => {
  const client = new Client(await createTestApp());
  await client.get('/users/signup');
  const response = await client.request({
    method: 'POST',
    url: '/users/signup',
    payload: JSON.stringify({ username: 'alice', password: 'correct horse battery', csrf_token: client.csrf }),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(response.statusCode, 415);
  assert.match(response.body, /accepts only form submissions/);
});

test('an oversized body is a 413, and nothing is stored', async () => {
  const app = await createTestApp();
  const alice = new Client(app);
  const id = await signUp(alice, 'alice');
  await alice.get(`/users/${id}/messages/new`);
  const response = await alice.post(`/users/${id}/messages`, { content: 'z'.repeat(100_000) });
  assert.equal(response.statusCode, 413);
  assert.match(response.body, /too large/);
  assert.doesNotMatch((await alice.get(`/users/${id}/messages`)).body, /zzzz/);
});

test('repeated and missing fields fail validation instead of crashing', async () => {
  const client = new Client(await createTestApp());
  await client.get('/users/signup');
  const repeated = await client.request({
    method: 'POST',
    url: '/users/signup',
    payload: `csrf_token=${client.csrf}&username=a&username=b&password=correct+horse+battery`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(repeated.statusCode, 422);
  const empty = await client.post('/users/signup', {});
  assert.equal(empty.statusCode, 422);
});

test('unknown pages and wrong methods get a page in the layout, not a stack trace', async () => {
  const app = await createTestApp();
  const client = new Client(app);
  await signUp(client, 'alice');
  const missing = await client.get('/no/such/page');
  assert.equal(missing.statusCode, 404);
  assert.match(missing.body, /<title>Not found · Latchkey<\/title>/);
  assert.match(missing.body, /id="who"/, 'the 404 page still knows who is logged in');
  const wrongMethod = await client.request({ method: 'PUT', url: '/users/1' });
  assert.equal(wrongMethod.statusCode, 404);
  const override = await client.post('/users/1?_method=EXPLODE');
  assert.equal(override.statusCode, 405);
  assert.doesNotMatch(override.body, /at .*\.ts:\d+/);
});

test('a malformed percent-encoding in the URL is a 400, not a 500', async () => {
  const app = await createTestApp();
  const response = await app.inject({ url: '/users/login?next=%E0%A4%A' });
  assert.ok(response.statusCode < 500, String(response.statusCode));
});
