import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Client, createTestApp, logIn, PASSWORD, signUp, tempSqliteFile } from '../helpers.js';
import { REDIS_URL, redisClient } from '../services.js';
import { runCli } from './run-cli.js';

/** With REDIS_URL, sessions and login counters live in Redis: the CLI must reach them there. */
describe('latchkey with Redis', async () => {
  const client = await redisClient();
  const skip = typeof client === 'string' && !process.env.CI ? client : false;
  const prefix = `latchkey_cli_test_${process.pid}_${Date.now()}`;
  after(async () => {
    if (typeof client === 'string') return;
    const keys = await client.keys(`${prefix}:*`);
    if (keys.length > 0) await client.del(...keys);
    client.disconnect();
  });

  test('sessions end and users unlock work on a running server whose sessions and counters are in Redis', { skip }, async () => {
    if (typeof client === 'string') throw new Error(client);
    const databaseUrl = `sqlite:${tempSqliteFile()}`;
    const throttle = { freeFailures: 1, ipFreeFailures: 100, firstDelayMs: 600_000, maxDelayMs: 600_000, windowMs: 3_600_000, ipWindowMs: 3_600_000 };
    const app = await createTestApp({ databaseUrl, redisUrl: REDIS_URL, redisKeyPrefix: prefix, loginThrottle: throttle });
    const env = { DATABASE_URL: databaseUrl, REDIS_URL, REDIS_KEY_PREFIX: prefix };
    const browser = new Client(app);
    await signUp(browser, 'alice');
    const listed = await runCli(['sessions', 'list', '--json'], { env });
    assert.equal(JSON.parse(listed.stdout).length, 1, listed.stderr);
    assert.equal((await runCli(['sessions', 'end', 'alice'], { env })).code, 0);
    assert.equal((await browser.get('/users/welcome')).statusCode, 302, 'logged out at the next click');

    const guesser = new Client(app);
    await logIn(guesser, 'alice', 'wrong guess one');
    await logIn(guesser, 'alice', 'wrong guess two');
    assert.equal((await logIn(guesser, 'alice', PASSWORD)).statusCode, 429);
    const unlocked = await runCli(['users', 'unlock', 'alice'], { env });
    assert.match(unlocked.stdout, /Cleared the failed logins of alice/, unlocked.stderr);
    assert.equal((await logIn(guesser, 'alice', PASSWORD)).statusCode, 302);
    const swept = await runCli(['sessions', 'sweep'], { env });
    assert.match(swept.stdout, /Redis, which expires them by itself/);
  });
});
