import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SessionMode } from 'latchkey';
import { Client, createTestApp, PASSWORD, signUp } from '../helpers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

for (const mode of ['server', 'signed', 'encrypted'] as SessionMode[]) {
  describe(`expiry in ${mode} mode`, () => {
    test('a busy session still ends at the absolute limit: renewal never extends it', async () => {
      let now = Date.now();
      const client = new Client(await createTestApp({ sessionMode: mode }, { now: () => now }));
      await signUp(client, 'alice');
      for (let elapsed = 0; elapsed < 11.5 * HOUR; elapsed += 20 * MINUTE) {
        now += 20 * MINUTE;
        assert.equal((await client.get('/users/welcome')).statusCode, 200, `after ${elapsed / HOUR}h`);
      }
      // the last visit was 20 minutes ago, well inside the idle limit: only the absolute one ends it
      now += 20 * MINUTE;
      assert.equal((await client.get('/users/welcome')).statusCode, 302, 'at 12 hours, 20 minutes after the last visit');
    });

    test('an idle session ends after 30 minutes without a request', async () => {
      let now = Date.now();
      const client = new Client(await createTestApp({ sessionMode: mode }, { now: () => now }));
      await signUp(client, 'alice');
      now += 29 * MINUTE;
      assert.equal((await client.get('/users/welcome')).statusCode, 200);
      now += 29 * MINUTE;
      assert.equal((await client.get('/users/welcome')).statusCode, 200, 'each visit restarts the idle clock');
      now += 31 * MINUTE;
      assert.equal((await client.get('/users/welcome')).statusCode, 302);
    });

    test('"remember me" makes the cookie persistent, within its own limits', async () => {
      let now = Date.now();
      const client = new Client(await createTestApp({ sessionMode: mode }, { now: () => now }));
      await signUp(client, 'alice');
      await client.post('/users/logout');
      await client.get('/users/login');
      const login = await client.post('/users/login', { username: 'alice', password: PASSWORD, remember: 'on' });
      const cookie = String(login.headers['set-cookie']).split(/,(?=\s*\w+=)/).find((c) => c.includes('latchkey_session='))!;
      assert.match(cookie, new RegExp(`Max-Age=${30 * 24 * 3600}`));
      now += 2 * HOUR;
      assert.equal((await client.get('/users/welcome')).statusCode, 200, 'outlives the 30-minute idle limit');
      for (let visit = 1; visit <= 4; visit++) {
        now += 6 * DAY;
        assert.equal((await client.get('/users/welcome')).statusCode, 200, `a visit every 6 days, day ${visit * 6}`);
      }
      now += 6 * DAY;
      assert.equal((await client.get('/users/welcome')).statusCode, 302, 'past 30 days');
    });

    test('without "remember me" the cookie lasts for the browser session only', async () => {
      const client = new Client(await createTestApp({ sessionMode: mode }));
      await signUp(client, 'alice');
      await client.post('/users/logout');
      await client.get('/users/login');
      const login = await client.post('/users/login', { username: 'alice', password: PASSWORD });
      const cookie = String(login.headers['set-cookie']).split(/,(?=\s*\w+=)/).find((c) => c.includes('latchkey_session='))!;
      assert.doesNotMatch(cookie, /Max-Age|Expires/);
    });
  });
}
