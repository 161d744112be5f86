import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SessionMode } from 'latchkey';
import { Client, createTestApp } from '../helpers.js';

const SESSION = 'latchkey_session';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * What the cookie modes check from the times inside the cookie itself. The sessions here are a
 * visitor's counter, with no login record in the store, so only the cookie's own checks can
 * refuse them: each test fails when its check is removed.
 */
for (const mode of ['signed', 'encrypted'] as SessionMode[]) {
  describe(`the times inside a ${mode} cookie`, () => {
    test('a cookie stamped by a server whose clock runs ahead is refused beyond a minute of skew', async () => {
      const now = Date.now();
      const reader = new Client(await createTestApp({ sessionMode: mode }, { now: () => now }));
      for (const [ahead, expected] of [
        [30_000, '0'],
        [10 * MINUTE, 'No counter set!'],
      ] as const) {
        const writer = new Client(await createTestApp({ sessionMode: mode }, { now: () => now + ahead }));
        await writer.get('/start_counter');
        reader.cookies.set(SESSION, writer.cookies.get(SESSION)!);
        assert.equal((await reader.get('/get_count')).body, expected, `${ahead / 1000} s ahead`);
      }
    });

    test("an idle visitor's cookie expires on the server, whatever the browser keeps", async () => {
      let now = Date.now();
      const visitor = new Client(await createTestApp({ sessionMode: mode }, { now: () => now }));
      await visitor.get('/start_counter');
      const kept = visitor.cookies.get(SESSION)!;
      now += 29 * MINUTE;
      assert.equal((await visitor.get('/get_count')).body, '0');
      now += 31 * MINUTE;
      assert.equal((await visitor.get('/get_count')).body, 'No counter set!', '31 minutes after the last visit');
      visitor.cookies.set(SESSION, kept);
      assert.equal((await visitor.get('/get_count')).body, 'No counter set!', 'the first cookie too');
    });

    test("a busy visitor's cookie still ends at the absolute limit", async () => {
      let now = Date.now();
      const visitor = new Client(await createTestApp({ sessionMode: mode }, { now: () => now }));
      await visitor.get('/start_counter');
      for (let elapsed = 20 * MINUTE; elapsed < 12 * HOUR; elapsed += 20 * MINUTE) {
        now += 20 * MINUTE;
        assert.equal((await visitor.get('/get_count')).body, '0', `after ${elapsed / HOUR} h`);
      }
      now += 20 * MINUTE;
      assert.equal((await visitor.get('/get_count')).body, 'No counter set!', 'past 12 hours');
    });
  });
}
