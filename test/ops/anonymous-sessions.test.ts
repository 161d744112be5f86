import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, countRows, createTestApp, PASSWORD, signUp, tempSqliteFile } from '../helpers.js';

const MINUTE = 60_000;

describe('sessions of visitors who are not logged in', () => {
  test('a flood of cookieless requests from one address stops at the limit with a 429 and Retry-After', async () => {
    const file = tempSqliteFile();
    const app = await createTestApp({ databaseUrl: `sqlite:${file}` });
    const flood = await Promise.all(
      Array.from({ length: 100 }, () => app.inject({ url: '/start_counter', remoteAddress: '203.0.113.9' })),
    );
    const started = flood.filter((response) => response.statusCode === 200);
    const refused = flood.filter((response) => response.statusCode === 429);
    assert.equal(started.length, 60, 'the first 60 in a minute get their session');
    assert.equal(refused.length, 40, 'the rest are refused');
    for (const response of refused) {
      assert.match(String(response.headers['retry-after']), /^[1-9]\d*$/, 'saying when to come back');
      assert.equal(response.headers['set-cookie'], undefined, 'with no session');
      assert.match(response.body, /Too many new sessions from your address/);
    }
    assert.equal(countRows(file, 'latchkey_sessions'), 60, 'the store holds only what was allowed');
    const elsewhere = await app.inject({ url: '/start_counter', remoteAddress: '198.51.100.4' });
    assert.equal(elsewhere.statusCode, 200, 'other addresses are not affected');
  });

  test('the limit never stops anyone from signing up or logging in from that address', async () => {
    const app = await createTestApp({ anonymousSessions: { perMinute: 1, idleMs: 5 * MINUTE } });
    await app.inject({ url: '/start_counter', remoteAddress: '127.0.0.1' });
    assert.equal((await app.inject({ url: '/start_counter', remoteAddress: '127.0.0.1' })).statusCode, 429);
    const alice = new Client(app); // inject's default address, 127.0.0.1: the same one
    await signUp(alice, 'alice');
    await alice.post('/users/logout');
    await alice.get('/users/login');
    assert.equal((await alice.post('/users/login', { username: 'alice', password: PASSWORD })).statusCode, 302);
    assert.equal((await alice.get('/users/welcome')).statusCode, 200);
  });

  test('an anonymous session ends after a short idle time; a logged-in one keeps its own', async () => {
    let now = Date.UTC(2030, 0, 1);
    const app = await createTestApp({}, { now: () => now });
    const visitor = new Client(app);
    await visitor.get('/start_counter');
    assert.equal((await visitor.get('/get_count')).body, '0');
    const alice = new Client(app);
    await signUp(alice, 'alice');
    now += 6 * MINUTE;
    assert.equal((await visitor.get('/get_count')).body, 'No counter set!', 'gone after 6 idle minutes (the limit is 5)');
    assert.equal((await alice.get('/users/welcome')).statusCode, 200, 'a logged-in session is still there');
  });
});
