import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createKeyring } from 'latchkey';
import { Client, countRows, createTestApp, readRow, signUp, TEST_KEY, tempSqliteFile } from '../helpers.js';

const SESSION = 'latchkey_session';
const ring = createKeyring([TEST_KEY], 'session');

/** The JSON inside a real signed cookie (`base64url(json).signature`). */
const payloadOf = (cookie: string) => JSON.parse(Buffer.from(cookie.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const encode = (payload: unknown) => Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64url');

/** A cookie the app really set, for forgeries that start from the genuine article. */
async function counterCookie() {
  const app = await createTestApp({ sessionMode: 'signed' });
  const client = new Client(app);
  await client.get('/start_counter');
  const cookie = client.cookies.get(SESSION)!;
  const getCount = async (value: string) => (await app.inject({ url: '/get_count', headers: { cookie: `${SESSION}=${value}` } })).body;
  return { cookie, getCount };
}

describe('signed-mode sessions', () => {
  test('keeps the session in a readable, signed cookie; the server keeps only a record of each login, without the data', async () => {
    const file = tempSqliteFile();
    const client = new Client(await createTestApp({ sessionMode: 'signed', databaseUrl: `sqlite:${file}` }));
    await client.get('/start_counter');
    await client.get('/count');
    assert.equal((await client.get('/get_count')).body, '1');
    assert.equal(countRows(file, 'latchkey_sessions'), 0, 'a visitor keeps nothing on the server');
    assert.deepEqual(payloadOf(client.cookies.get(SESSION)!).d, { count: 1 });
    await signUp(client, 'alice');
    assert.equal((await client.get('/users/welcome')).statusCode, 200);
    assert.equal(countRows(file, 'latchkey_sessions'), 1);
    assert.equal(readRow<{ data: string }>(file, 'SELECT data FROM latchkey_sessions')?.data, '{}', 'the login record holds no data');
  });

  test('a real cookie whose data was edited is an empty session, though the same edit signed with the key opens', async () => {
    const { cookie, getCount } = await counterCookie();
    const [, signature] = cookie.split('.');
    const edited = encode({ ...payloadOf(cookie), d: { count: 999 } });
    assert.equal(await getCount(`${edited}.${signature}`), 'No counter set!', 'the old signature does not cover the new data');
    assert.equal(await getCount(createKeyring(['another-key-0123456789abcdef0123456789ab'], 'session').sign(edited)), 'No counter set!', 'signed with another key');
    assert.equal(await getCount(ring.sign(edited)), '999', 'the forgery is well formed: only its signature is wrong');
  });

  test('a real cookie with its signature spelled another way is an empty session', async () => {
    const { cookie, getCount } = await counterCookie();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // a 32-byte signature is 43 characters whose last carries two spare bits: these decode to the same bytes
    const sameBytes = cookie.slice(0, -1) + alphabet[alphabet.indexOf(cookie.at(-1)!) ^ 1];
    for (const variant of [sameBytes, `${cookie}=`, `${cookie.split('.')[0]}.${Buffer.from(cookie.split('.')[1]!, 'base64url').toString('base64')}`]) {
      assert.equal(await getCount(variant), 'No counter set!', variant);
    }
    assert.equal(await getCount(cookie), '0');
  });

  test('validly signed data that is not a session is an empty session', async () => {
    const { cookie, getCount } = await counterCookie();
    const genuine = payloadOf(cookie);
    const payloads: unknown[] = [
      'not json',
      '[1,2]',
      'null',
      { ...genuine, d: [1] },
      { ...genuine, d: null },
      { ...genuine, u: '' },
      { ...genuine, u: 1.5 },
      { ...genuine, h: 7 },
      { ...genuine, c: 'yesterday' },
      { ...genuine, s: undefined },
    ];
    for (const payload of payloads) assert.equal(await getCount(ring.sign(encode(payload))), 'No counter set!', JSON.stringify(payload));
    assert.equal(await getCount(ring.sign(encode(genuine))), '0', 'the genuine payload, signed again, still opens');
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
