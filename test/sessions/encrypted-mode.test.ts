import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, countRows, createTestApp, readRow, signUp, TEST_KEY, tempSqliteFile } from '../helpers.js';

const SESSION = 'latchkey_session';

describe('encrypted-mode sessions', () => {
  test('seals the session so the cookie reveals nothing; the server keeps only a record of each login, without the data', async () => {
    const file = tempSqliteFile();
    const client = new Client(await createTestApp({ sessionMode: 'encrypted', databaseUrl: `sqlite:${file}` }));
    await client.get('/start_counter');
    await client.get('/count');
    assert.equal((await client.get('/get_count')).body, '1');
    assert.equal(countRows(file, 'latchkey_sessions'), 0, 'a visitor keeps nothing on the server');
    const cookie = client.cookies.get(SESSION)!;
    assert.equal(cookie.split('.').length, 4, 'keyId.iv.ciphertext.tag');
    for (const part of cookie.split('.')) {
      assert.doesNotMatch(Buffer.from(part, 'base64url').toString('latin1'), /count/);
    }
    await signUp(client, 'alice');
    assert.equal((await client.get('/users/welcome')).statusCode, 200);
    assert.equal(countRows(file, 'latchkey_sessions'), 1);
    assert.equal(readRow<{ data: string }>(file, 'SELECT data FROM latchkey_sessions')?.data, '{}', 'the login record holds no data');
  });

  test('a cookie with any byte changed is an empty session', async () => {
    const app = await createTestApp({ sessionMode: 'encrypted' });
    const client = new Client(app);
    await client.get('/start_counter');
    const cookie = client.cookies.get(SESSION)!;
    const [keyId, iv, body, tag] = cookie.split('.');
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0]! ^= 1;
      return bytes.toString('base64url');
    };
    const forged = [`${keyId}.${flip(iv!)}.${body}.${tag}`, `${keyId}.${iv}.${flip(body!)}.${tag}`, `${keyId}.${iv}.${body}.${flip(tag!)}`, `xxxxxxxx.${iv}.${body}.${tag}`, `${keyId}.${iv}.${body}`, 'garbage'];
    for (const value of forged) {
      const response = await app.inject({ url: '/get_count', headers: { cookie: `${SESSION}=${value}` } });
      assert.equal(response.statusCode, 200);
      assert.equal(response.body, 'No counter set!', value);
    }
  });

  test('only the one canonical spelling of a real cookie opens it', async () => {
    const app = await createTestApp({ sessionMode: 'encrypted' });
    const client = new Client(app);
    await client.get('/start_counter');
    const cookie = client.cookies.get(SESSION)!;
    const [keyId, iv, body, tag] = cookie.split('.') as [string, string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // a 16-byte tag is 22 characters whose last carries four spare bits: these decode to the same bytes
    const tagSameBytes = tag.slice(0, -1) + alphabet[alphabet.indexOf(tag.at(-1)!) ^ 1];
    const variants = {
      'two = appended': `${cookie}==`,
      '= after the IV': `${keyId}.${iv}=.${body}.${tag}`,
      '* inside the ciphertext': `${keyId}.${iv}.${body.slice(0, 3)}*${body.slice(3)}`.concat(`.${tag}`),
      "the tag's spare bits changed": `${keyId}.${iv}.${body}.${tagSameBytes}`,
      'the tag in padded standard base64': `${keyId}.${iv}.${body}.${Buffer.from(tag, 'base64url').toString('base64')}`,
    };
    const getCount = async (value: string) => (await app.inject({ url: '/get_count', headers: { cookie: `${SESSION}=${value}` } })).body;
    for (const [change, value] of Object.entries(variants)) {
      assert.notEqual(value, cookie, change);
      assert.equal(await getCount(value), 'No counter set!', change);
    }
    assert.equal(await getCount(cookie), '0', 'the cookie as it was sealed still opens');
  });

  test('a key rotation keeps the session and reseals it with the newest key', async () => {
    const NEW = 'new-key-0123456789abcdef0123456789abcdef';
    const before = new Client(await createTestApp({ sessionMode: 'encrypted' }));
    await before.get('/start_counter');
    const rotated = new Client(await createTestApp({ sessionMode: 'encrypted', secretKeys: [NEW, TEST_KEY] }));
    rotated.cookies.set(SESSION, before.cookies.get(SESSION)!);
    assert.equal((await rotated.get('/get_count')).body, '0');
    const resealed = rotated.cookies.get(SESSION)!;
    assert.notEqual(resealed, before.cookies.get(SESSION));
    const newOnly = new Client(await createTestApp({ sessionMode: 'encrypted', secretKeys: [NEW] }));
    newOnly.cookies.set(SESSION, resealed);
    assert.equal((await newOnly.get('/get_count')).body, '0', 'opens with the new key alone');
    const oldOnly = new Client(await createTestApp({ sessionMode: 'encrypted' }));
    oldOnly.cookies.set(SESSION, resealed);
    assert.equal((await oldOnly.get('/get_count')).body, 'No counter set!', 'and not with the old one');
  });
});

describe('cache hygiene', () => {
  test('pages for logged-in users and responses that set a session cookie are never cached', async () => {
    const client = new Client(await createTestApp());
    const setting = await client.get('/start_counter');
    assert.equal(setting.headers['cache-control'], 'no-store');
    await signUp(client, 'alice');
    for (const url of ['/', '/users/welcome', '/users', '/messages']) {
      const response = await client.get(url);
      assert.equal(response.headers['cache-control'], 'no-store', url);
      assert.match(String(response.headers.vary), /Cookie/, url);
    }
  });
});
