import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encryptingSealer } from '../../src/sessions/sealer.js';
import { Client, countRows, createTestApp, signUp, TEST_KEY, tempSqliteFile } from '../helpers.js';

const SESSION = 'latchkey_session';

describe('encrypted-mode sessions', () => {
  test('seals the session so the cookie reveals nothing, and keeps nothing on the server', async () => {
    const file = tempSqliteFile();
    const client = new Client(await createTestApp({ sessionMode: 'encrypted', databaseUrl: `sqlite:${file}` }));
    await client.get('/start_counter');
    await client.get('/count');
    assert.equal((await client.get('/get_count')).body, '1');
    const cookie = client.cookies.get(SESSION)!;
    assert.equal(cookie.split('.').length, 4, 'keyId.iv.ciphertext.tag');
    for (const part of cookie.split('.')) {
      assert.doesNotMatch(Buffer.from(part, 'base64url').toString('latin1'), /count/);
    }
    await signUp(client, 'alice');
    assert.equal((await client.get('/users/welcome')).statusCode, 200);
    assert.equal(countRows(file, 'sessions'), 0);
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

  test('a key rotation keeps the session and reseals it with the newest key', async () => {
    const NEW = 'new-key-0123456789abcdef0123456789abcdef';
    const before = new Client(await createTestApp({ sessionMode: 'encrypted' }));
    await before.get('/start_counter');
    const rotated = new Client(await createTestApp({ sessionMode: 'encrypted', secretKeys: [NEW, TEST_KEY] }));
    rotated.cookies.set(SESSION, before.cookies.get(SESSION)!);
    assert.equal((await rotated.get('/get_count')).body, '0');
    const resealed = rotated.cookies.get(SESSION)!;
    assert.notEqual(resealed, before.cookies.get(SESSION));
    assert.ok(encryptingSealer([NEW]).open(resealed), 'opens with the new key alone');
    assert.equal(encryptingSealer([TEST_KEY]).open(resealed), null);
  });

  test('a session too large for a cookie is a clear error when written, not a cookie the browser drops', async () => {
    const { createCookieCodec, SessionTooLargeError } = await import('../../src/sessions/cookie-codec.js');
    const { Session } = await import('../../src/sessions/session.js');
    const timeouts = { idleMs: 60_000, absoluteMs: 3_600_000, rememberIdleMs: 60_000, rememberAbsoluteMs: 3_600_000, touchEveryMs: 1000 };
    const codec = createCookieCodec(encryptingSealer([TEST_KEY]), timeouts, SESSION);
    const session = new Session();
    session.set('notes', 'x'.repeat(2000));
    await codec.save(session, { payload: null, renew: false }, Date.now(), { userAgent: '', ip: '' });
    session.set('notes', 'x'.repeat(4000));
    await assert.rejects(codec.save(session, { payload: null, renew: false }, Date.now(), { userAgent: '', ip: '' }), (error: Error) => {
      assert.ok(error instanceof SessionTooLargeError);
      assert.match(error.message, /too large for a cookie .* use SESSION_MODE=server/);
      return true;
    });
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
