import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, createTestApp, flashes, signUp } from './helpers.js';

/** Every route of the DESIGN.md table that needs a login, with how a browser reaches it. */
const PROTECTED: [method: string, url: string][] = [
  ['GET', '/users/welcome'],
  ['GET', '/users'],
  ['GET', '/users/1'],
  ['GET', '/users/1/edit'],
  ['POST', '/users/1?_method=PATCH'],
  ['POST', '/users/1?_method=DELETE'],
  ['PATCH', '/users/1'],
  ['DELETE', '/users/1'],
  ['GET', '/users/1/messages'],
  ['POST', '/users/1/messages'],
  ['GET', '/users/1/messages/new'],
  ['GET', '/users/1/messages/1'],
  ['GET', '/users/1/messages/1/edit'],
  ['POST', '/users/1/messages/1?_method=PATCH'],
  ['POST', '/users/1/messages/1?_method=DELETE'],
  ['PATCH', '/users/1/messages/1'],
  ['DELETE', '/users/1/messages/1'],
];

test('every protected route sends a visitor to log in first, changing nothing', async () => {
  const app = await createTestApp();
  const owner = new Client(app);
  await signUp(owner, 'alice');
  await owner.get('/users/1/messages/new');
  await owner.post('/users/1/messages', { content: 'still here' });
  const visitor = new Client(app);
  await visitor.get('/users/login');
  for (const [method, url] of PROTECTED) {
    const response = await visitor.request({
      method: method as 'GET',
      url,
      payload: method === 'GET' ? undefined : `csrf_token=${visitor.csrf}&content=x&username=x`,
      headers: method === 'GET' ? {} : { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(response.statusCode, 302, `${method} ${url}`);
    assert.match(response.location!, /^\/users\/login/, `${method} ${url}`);
    assert.deepEqual(flashes((await visitor.follow(response)).body), ['Please log in first'], `${method} ${url}`);
  }
  assert.match((await owner.get('/users/1/messages')).body, /still here/);
  assert.match((await owner.get('/users/1')).body, /<h1>alice<\/h1>/);
});

test('public routes stay public', async () => {
  const client = new Client(await createTestApp());
  for (const url of ['/', '/users/login', '/users/signup', '/users/logout', '/messages', '/start_counter', '/count', '/get_count', '/clear_count', '/cookies']) {
    assert.equal((await client.get(url)).statusCode, 200, url);
  }
});
