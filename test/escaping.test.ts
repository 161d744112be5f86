import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, createTestApp, signUp } from './helpers.js';

const SCRIPT = '<script>alert("x")</script>';

test('markup in messages is shown as text on every page that shows it', async () => {
  const app = await createTestApp();
  const alice = new Client(app);
  const id = await signUp(alice, 'alice');
  await alice.get(`/users/${id}/messages/new`);
  await alice.post(`/users/${id}/messages`, { content: SCRIPT });
  const list = await alice.get(`/users/${id}/messages`);
  const mid = /messages\/(\d+)"/.exec(list.body)![1];
  for (const url of [`/users/${id}/messages`, `/users/${id}/messages/${mid}`, `/users/${id}/messages/${mid}/edit`, '/messages']) {
    const body = (await alice.get(url)).body;
    assert.ok(!body.includes(SCRIPT), url);
    assert.ok(body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'), url);
  }
});

test('markup in names and in re-filled form values is escaped', async () => {
  const app = await createTestApp();
  const alice = new Client(app);
  const id = await signUp(alice, 'alice');
  await alice.get(`/users/${id}/edit`);
  await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', first_name: '"><img src=x onerror=alert(1)>' });
  for (const url of [`/users/${id}`, `/users/${id}/edit`, '/users']) {
    const body = (await alice.get(url)).body;
    assert.ok(!body.includes('<img src=x'), url);
  }
  const visitor = new Client(app);
  await visitor.get('/users/signup');
  const refused = await visitor.post('/users/signup', { username: '<b>bold</b>', password: 'x' });
  assert.ok(!refused.body.includes('<b>bold</b>'));
  assert.ok(refused.body.includes('value="&lt;b&gt;bold&lt;/b&gt;"'));
});

test('a next parameter cannot break out of its attribute', async () => {
  const client = new Client(await createTestApp());
  const page = await client.get('/users/login?next=%2F%22%3E%3Cscript%3E');
  assert.ok(!page.body.includes('"><script>'));
});
