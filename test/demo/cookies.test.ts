import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, createTestApp } from '../helpers.js';

test('reads and sets the plain username cookie', async () => {
  const client = new Client(await createTestApp());
  assert.equal((await client.get('/cookies')).body, 'username cookie: (none)');
  const set = await client.get('/cookies/set?username=eschoppik');
  assert.equal(set.body, 'Cookie set!');
  assert.match(String(set.headers['set-cookie']), /^username=eschoppik; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax/);
  assert.equal((await client.get('/cookies')).body, 'username cookie: eschoppik');
});

test('a cookie value with spaces and unicode comes back as it went in', async () => {
  const client = new Client(await createTestApp());
  await client.get(`/cookies/set?username=${encodeURIComponent('Zoë ;x=1')}`);
  assert.equal((await client.get('/cookies')).body, 'username cookie: Zoë ;x=1');
});

test('setting without a username, or with a huge one, is a clear 400', async () => {
  const client = new Client(await createTestApp());
  for (const url of ['/cookies/set', '/cookies/set?username=', `/cookies/set?username=${'x'.repeat(65)}`, '/cookies/set?username=a&username=b']) {
    const response = await client.get(url);
    assert.equal(response.statusCode, 400, url);
    assert.match(response.body, /Give a username of 1 to 64 characters/);
  }
});
