import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Client, createTestApp, logIn, readRow, signUp, tempSqliteFile } from './helpers.js';
import { postgresSchema, REDIS_URL, redisClient } from './services.js';

/** The whole app on the machine's real services: what running many instances relies on. */
describe('on PostgreSQL', async () => {
  const schema = await postgresSchema();
  after(async () => {
    if (typeof schema !== 'string') await schema.drop();
  });
  const skip = typeof schema === 'string' ? schema : false;

  test('accounts, messages and server-side sessions work end to end', { skip }, async () => {
    const url = (schema as { url: string }).url;
    const app = await createTestApp({ databaseUrl: url });
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    await alice.get(`/users/${id}/messages/new`);
    await alice.follow(await alice.post(`/users/${id}/messages`, { content: 'from postgres' }));
    assert.match((await new Client(app).get('/messages')).body, /from postgres/);
    const stolen = alice.cookieHeader;
    await alice.post('/users/logout');
    assert.equal((await app.inject({ url: '/users/welcome', headers: { cookie: stolen } })).statusCode, 302);
    const twins = Array.from({ length: 4 }, () => new Client(app));
    await Promise.all(twins.map((client) => client.get('/users/signup')));
    const statuses = await Promise.all(twins.map(async (client) => (await client.post('/users/signup', { username: 'twin', password: 'correct horse battery' })).statusCode));
    assert.deepEqual(statuses.sort(), [302, 409, 409, 409], 'the unique constraint decides concurrent signups');
  });

  test('two instances share sessions through the database', { skip }, async () => {
    const url = (schema as { url: string }).url;
    const one = await createTestApp({ databaseUrl: url });
    const two = await createTestApp({ databaseUrl: url });
    const alice = new Client(one);
    await signUp(alice, 'shared');
    const sameBrowser = new Client(two);
    for (const [name, value] of alice.cookies) sameBrowser.cookies.set(name, value);
    assert.equal((await sameBrowser.get('/users/welcome')).statusCode, 200);
    await sameBrowser.post('/users/logout');
    assert.equal((await alice.get('/users/welcome')).statusCode, 302, 'a logout on one instance ends it on the other');
  });
});

describe('with REDIS_URL', async () => {
  const probe = await redisClient();
  if (typeof probe !== 'string') probe.disconnect();
  const skip = typeof probe === 'string' ? probe : false;

  test('sessions live in Redis and two instances share them', { skip }, async (t) => {
    const prefix = `latchkey-test-${process.pid}-${Date.now()}`;
    const databaseUrl = `sqlite:${tempSqliteFile()}`;
    const one = await createTestApp({ databaseUrl, redisUrl: REDIS_URL, redisKeyPrefix: prefix });
    const two = await createTestApp({ databaseUrl, redisUrl: REDIS_URL, redisKeyPrefix: prefix });
    const alice = new Client(one);
    await signUp(alice, 'alice');
    const client = await redisClient();
    if (typeof client === 'string') throw new Error(client);
    t.after(() => client.disconnect());
    const keys = await client.keys(`${prefix}:session:*`);
    assert.equal(keys.length, 1, 'the session is a Redis key');
    const tables = readRow<{ n: number }>(databaseUrl.slice('sqlite:'.length), "SELECT count(*) AS n FROM sqlite_master WHERE name LIKE '%sessions%'");
    assert.equal(tables?.n, 0, 'and the database has no sessions table at all');
    const phone = new Client(two);
    for (const [name, value] of alice.cookies) phone.cookies.set(name, value);
    assert.equal((await phone.get('/users/welcome')).statusCode, 200);
    await alice.post('/users/logout');
    assert.equal((await phone.get('/users/welcome')).statusCode, 302);
    assert.equal((await client.keys(`${prefix}:session:*`)).length, 0);
    await logIn(alice, 'alice');
    const leftovers = await client.keys(`${prefix}*`);
    if (leftovers.length > 0) await client.del(...leftovers);
  });
});
