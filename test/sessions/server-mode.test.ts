import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createKeyring } from 'latchkey';
import { Client, countRows, readRow, createTestApp, flashes, logIn, signUp, TEST_KEY, tempSqliteFile } from '../helpers.js';

const SESSION = 'latchkey_session';

describe('server-mode sessions', () => {
  test('an anonymous visitor who never writes the session creates no row and gets no session cookie', async () => {
    const file = tempSqliteFile();
    const client = new Client(await createTestApp({ databaseUrl: `sqlite:${file}` }));
    for (const url of ['/', '/users/login', '/users/signup', '/messages', '/get_count', '/cookies']) await client.get(url);
    assert.equal(countRows(file, 'latchkey_sessions'), 0);
    assert.equal(client.cookies.has(SESSION), false);
  });

  test('the cookie holds an opaque random id and the store keeps only its hash', async () => {
    const file = tempSqliteFile();
    const client = new Client(await createTestApp({ databaseUrl: `sqlite:${file}` }));
    await client.get('/start_counter');
    const [id] = client.cookies.get(SESSION)!.split('.');
    assert.match(id!, /^[A-Za-z0-9_-]{43}$/, 'at least 128 bits, base64url');
    assert.equal(countRows(file, 'latchkey_sessions'), 1);
    const row = readRow<{ key: string; data: string }>(file, 'SELECT key_hash AS key, data FROM latchkey_sessions')!;
    assert.notEqual(row.key, id);
    assert.match(row.key, /^[0-9a-f]{64}$/);
    assert.deepEqual(JSON.parse(row.data), { count: 0 });
  });

  test('a tampered, truncated or garbage cookie is an empty session, not an error, and creates no row', async () => {
    const file = tempSqliteFile();
    const app = await createTestApp({ databaseUrl: `sqlite:${file}` });
    const client = new Client(app);
    await client.get('/start_counter');
    const good = client.cookies.get(SESSION)!;
    const bad = [
      good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A'),
      good.slice(0, 20),
      'garbage',
      '',
      '.',
      '%00%ff',
      'x'.repeat(4000),
      `${'A'.repeat(43)}.${'B'.repeat(43)}`,
    ];
    for (const cookie of bad) {
      const response = await app.inject({ url: '/get_count', headers: { cookie: `${SESSION}=${cookie}` } });
      assert.equal(response.statusCode, 200);
      assert.equal(response.body, 'No counter set!');
    }
    assert.equal(countRows(file, 'latchkey_sessions'), 1);
  });

  test('a valid signature on an unknown id is an empty session', async () => {
    const app = await createTestApp();
    const forged = createKeyring([TEST_KEY], 'session').sign('A'.repeat(43));
    const response = await app.inject({ url: '/get_count', headers: { cookie: `${SESSION}=${forged}` } });
    assert.equal(response.body, 'No counter set!');
  });

  test('the session id changes at login and the old id stops working', async () => {
    const app = await createTestApp();
    const client = new Client(app);
    await signUp(client, 'alice');
    await client.post('/users/logout');
    await client.get('/start_counter');
    const before = client.cookies.get(SESSION)!;
    await logIn(client, 'alice');
    const after = client.cookies.get(SESSION)!;
    assert.notEqual(after, before);
    const replay = await app.inject({ url: '/get_count', headers: { cookie: `${SESSION}=${before}` } });
    assert.equal(replay.body, 'No counter set!');
  });

  test('a session cookie replayed after logout is refused', async () => {
    const app = await createTestApp();
    const client = new Client(app);
    await signUp(client, 'alice');
    const stolen = client.cookieHeader;
    const logout = await client.post('/users/logout');
    assert.equal(logout.location, '/users/login');
    const replay = await app.inject({ url: '/users/welcome', headers: { cookie: stolen } });
    assert.equal(replay.statusCode, 302);
    assert.match(replay.headers.location as string, /^\/users\/login/);
  });

  test('logout deletes the server-side row', async () => {
    const file = tempSqliteFile();
    const client = new Client(await createTestApp({ databaseUrl: `sqlite:${file}` }));
    await signUp(client, 'alice');
    assert.equal(countRows(file, 'latchkey_sessions'), 1);
    await client.post('/users/logout');
    assert.equal(countRows(file, 'latchkey_sessions'), 0);
  });

  test('a restart loses nothing: the session lives in the database', async () => {
    const file = tempSqliteFile();
    const first = new Client(await createTestApp({ databaseUrl: `sqlite:${file}` }));
    await signUp(first, 'alice');
    const second = new Client(await createTestApp({ databaseUrl: `sqlite:${file}` }));
    for (const [name, value] of first.cookies) second.cookies.set(name, value);
    const welcome = await second.get('/users/welcome');
    assert.equal(welcome.statusCode, 200);
    assert.match(welcome.body, /Welcome, alice!/);
  });

  test('a key rotation keeps everyone logged in and re-signs their cookie with the new key', async () => {
    const OLD = TEST_KEY;
    const NEW = 'new-key-0123456789abcdef0123456789abcdef';
    const file = tempSqliteFile();
    const before = new Client(await createTestApp({ databaseUrl: `sqlite:${file}`, secretKeys: [OLD] }));
    await signUp(before, 'alice');
    const rotated = new Client(await createTestApp({ databaseUrl: `sqlite:${file}`, secretKeys: [NEW, OLD] }));
    rotated.cookies.set(SESSION, before.cookies.get(SESSION)!);
    const welcome = await rotated.get('/users/welcome');
    assert.equal(welcome.statusCode, 200);
    const resigned = rotated.cookies.get(SESSION)!;
    assert.notEqual(resigned, before.cookies.get(SESSION));
    assert.ok(createKeyring([NEW], 'session').unsign(resigned), 'the new cookie verifies with the new key alone');
    const retired = new Client(await createTestApp({ databaseUrl: `sqlite:${file}`, secretKeys: [NEW] }));
    retired.cookies.set(SESSION, resigned);
    assert.equal((await retired.get('/users/welcome')).statusCode, 200);
  });

  test('cookies are HttpOnly, SameSite=Lax, Path=/ and last for the browser session', async () => {
    const app = await createTestApp();
    const response = await app.inject({ url: '/start_counter' });
    const header = String(response.headers['set-cookie']);
    assert.match(header, /latchkey_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    assert.doesNotMatch(header, /Expires|Max-Age|Secure/);
  });

  test('in production cookies are Secure and take the __Host- prefix', async () => {
    const app = await createTestApp({ secureCookies: true });
    const response = await app.inject({ url: '/start_counter' });
    assert.match(String(response.headers['set-cookie']), /^__Host-latchkey_session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax/);
  });

  test('responses that read the session say Vary: Cookie', async () => {
    const app = await createTestApp();
    for (const url of ['/', '/get_count', '/users/login']) {
      const response = await app.inject({ url });
      assert.match(String(response.headers.vary), /Cookie/i, url);
    }
  });

  test('an idle session ends after the idle timeout', async () => {
    let now = Date.now();
    const app = await createTestApp({ sessionIdleMs: 60_000 }, { now: () => now });
    const client = new Client(app);
    await signUp(client, 'alice');
    now += 59_000;
    assert.equal((await client.get('/users/welcome')).statusCode, 200);
    now += 61_000;
    const expired = await client.get('/users/welcome');
    assert.equal(expired.statusCode, 302);
    assert.deepEqual(flashes((await client.follow(expired)).body), ['Please log in first']);
  });
});
