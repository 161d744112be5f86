import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, createTestApp } from '../helpers.js';

test('the counter demo starts, counts, reads and clears in plain text', async () => {
  const client = new Client(await createTestApp());
  const text = async (url: string) => {
    const response = await client.get(url);
    assert.match(String(response.headers['content-type']), /^text\/plain/);
    return response.body;
  };
  assert.equal(await text('/count'), 'No counter set!');
  assert.equal(await text('/get_count'), 'No counter set!');
  assert.equal(await text('/start_counter'), 'New counter started!');
  assert.equal(await text('/get_count'), '0');
  assert.equal(await text('/count'), '1');
  assert.equal(await text('/count'), '2');
  assert.equal(await text('/get_count'), '2');
  assert.equal(await text('/clear_count'), 'Counter cleared!');
  assert.equal(await text('/get_count'), 'No counter set!');
  assert.equal(await text('/count'), 'No counter set!');
});

test('each visitor has a counter of their own', async () => {
  const app = await createTestApp();
  const one = new Client(app);
  const two = new Client(app);
  await one.get('/start_counter');
  await one.get('/count');
  assert.equal((await two.get('/get_count')).body, 'No counter set!');
  assert.equal((await one.get('/get_count')).body, '1');
});

test('the counter survives login as a fresh session does not: login starts clean', async () => {
  const client = new Client(await createTestApp());
  await client.get('/start_counter');
  await client.get('/users/signup');
  await client.post('/users/signup', { username: 'alice', password: 'correct horse battery' });
  assert.equal((await client.get('/get_count')).body, 'No counter set!');
});
