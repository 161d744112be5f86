import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createKeyring } from 'latchkey';
import { Client, countRows, createTestApp, readRow, signUp, TEST_KEY, tempSqliteFile } from '../helpers.js';

const SESSION = 'latchkey_session';
const decodePayload = (cookie: string) => JSON.parse(Buffer.from(cookie.split('.')[0]!, 'base64url').toString('utf8'));

describe('signed-mode sessions', () => {
  test('keeps the session in a readable, signed cookie; the server keeps only a record of each login, without the data', async () => {
    const file = tempSqliteFile();
    const client = new Client(await createTestApp({ sessionMode: 'signed', databaseUrl: `sqlite:${file}` }));
    await client.get('/start_counter');
    await client.get('/count');
    assert.equal((await client.get('/get_count')).body, '1');
    assert.equal(countRows(file, 'latchkey_sessions'), 0, 'a visitor keeps nothing on the server');
    assert.deepEqual(decodePayload(client.cookies.get(SESSION)!).d, { count: 1 });
    await signUp(client, 'alice');
    assert.equal((await client.get('/users/welcome')).statusCode, 200);
    assert.equal(countRows(file, 'latchkey_sessions'), 1);
    assert.equal(readRow<{ data: string }>(file, 'SELECT data FROM latchkey_sessions')?.data, '{}', 'the login record holds no data');
  });

  test('a cookie whose data was edited is an empty session', async () => {
    const app = await createTestApp({ sessionMode: 'signed' });
    const client = new Client(app);
    await client.get('/start_counter');
    const [, stamp, signature] = client.cookies.get(SESSION)!.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ u: 1, d: { count: 999 }, c: Date.now() })).toString('base64url');
    const response = await app.inject({ url: '/get_count', headers: { cookie: `${SESSION}=${forgedBody}.${stamp}.${signature}` } });
    assert.equal(response.body, 'No counter set!');
  });

  test('garbage that is validly signed but not a session payload is an empty session', async () => {
    const app = await createTestApp({ sessionMode: 'signed' });
    const ring = createKeyring([TEST_KEY], 'session');
    const now = Date.now().toString(36);
    const payloads = ['not-base64!', Buffer.from('[1,2]').toString('base64url'), Buffer.from('{"u":"1","d":{},"c":1}').toString('base64url'), Buffer.from('{').toString('base64url')];
    for (const payload of payloads) {
      const response = await app.inject({ url: '/users/welcome', headers: { cookie: `${SESSION}=${ring.sign(`${payload}.${now}`)}` } });
      assert.equal(response.statusCode, 302, payload);
    }
  });

  test('a cookie stamped in the future is refused (clock skew)', async () => {
    const app = await createTestApp({ sessionMode: 'signed' });
    const ring = createKeyring([TEST_KEY], 'session');
    const future = Date.now() + 10 * 60_000;
    const body = Buffer.from(JSON.stringify({ u: null, d: { count: 5 }, c: future })).toString('base64url');
    const response = await app.inject({ url: '/get_count', headers: { cookie: `${SESSION}=${ring.sign(`${body}.${future.toString(36)}`)}` } });
    assert.equal(response.body, 'No counter set!');
  });

  test('an idle cookie expires on the server, whatever the browser keeps', async () => {
    let now = Date.now();
    const client = new Client(await createTestApp({ sessionMode: 'signed', sessionIdleMs: 60_000 }, { now: () => now }));
    await signUp(client, 'alice');
    now += 61_000;
    assert.equal((await client.get('/users/welcome')).statusCode, 302);
  });

  test('a key rotation keeps the session and re-signs the cookie with the newest key', async () => {
    const NEW = 'new-key-0123456789abcdef0123456789abcdef';
    const before = new Client(await createTestApp({ sessionMode: 'signed' }));
    await before.get('/start_counter');
    const rotated = new Client(await createTestApp({ sessionMode: 'signed', secretKeys: [NEW, TEST_KEY] }));
    rotated.cookies.set(SESSION, before.cookies.get(SESSION)!);
    assert.equal((await rotated.get('/get_count')).body, '0');
    assert.ok(createKeyring([NEW], 'session').unsign(rotated.cookies.get(SESSION)!));
  });

  test('logout clears the cookie', async () => {
    const client = new Client(await createTestApp({ sessionMode: 'signed' }));
    await signUp(client, 'alice');
    await client.post('/users/logout');
    assert.equal(client.cookies.has(SESSION), false);
    assert.equal((await client.get('/users/welcome')).statusCode, 302);
  });
});
