import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Client, createTestApp, PASSWORD, signUp } from '../helpers.js';
import { startAppProcess } from '../support/app-process.js';
import { eventually, within } from '../support/bounded.js';
import { SocketClient } from '../support/socket-client.js';
import { startPrivateRedis } from '../support/redis-server.js';

const KEY = 'redis-outage-test-key-0123456789abcdef';

describe('when Redis hangs or dies', async () => {
  const redis = await startPrivateRedis();
  const skip = typeof redis === 'string' ? redis : false;
  after(async () => {
    if (typeof redis !== 'string') await redis.stop();
  });

  test('a stopped Redis gets a 503 within the deadline, writes nothing, and the app recovers when it answers', { skip }, async () => {
    if (typeof redis === 'string') return;
    const app = await createTestApp({ redisUrl: redis.url, redisTimeoutMs: 300, redisKeyPrefix: 'hang' });
    const alice = new Client(app);
    await signUp(alice, 'alice');
    await alice.post('/users/logout');
    const returning = new Client(app);
    await returning.get('/users/login');
    await signUp(new Client(app), 'bob');
    const bob = new Client(app);
    await bob.get('/users/login');
    await bob.post('/users/login', { username: 'bob', password: PASSWORD });

    redis.pause(); // kill -STOP: connections stay open and nothing answers, as on a hung host
    try {
      const page = await within(bob.get('/users/welcome'), 5000, 'a logged-in page');
      assert.equal(page.statusCode, 503);
      assert.match(page.body, /Sessions are unavailable right now/);
      const login = await within(returning.post('/users/login', { username: 'alice', password: PASSWORD }), 5000, 'a login');
      assert.equal(login.statusCode, 503, 'a login fails closed too');
      const newcomer = new Client(app);
      await newcomer.get('/users/signup');
      const signup = await within(newcomer.post('/users/signup', { username: 'carol', password: PASSWORD, first_name: 'C', last_name: 'D' }), 5000, 'a signup');
      assert.equal(signup.statusCode, 503, 'a signup (its quota counted in Redis) too');
      const ready = await within(app.inject({ url: '/readyz' }), 5000, '/readyz');
      assert.equal(ready.statusCode, 503);
      assert.deepEqual(ready.json(), { status: 'unavailable', database: 'ok', redis: 'unavailable' });
    } finally {
      redis.resume();
    }
    assert.ok(await eventually(async () => (await bob.get('/users/welcome')).statusCode === 200, 5000), 'back without a restart');
    assert.equal((await returning.get('/users/welcome')).statusCode, 302, 'the refused login logged nobody in');
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
  });

  test('an outage is two log lines, not one per request, and says how many requests it refused', { skip }, async () => {
    if (typeof redis === 'string') return;
    const server = await startAppProcess({ DATABASE_URL: 'sqlite::memory:', SECRET_KEYS: KEY, REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'flood', LOG_LEVEL: 'info' });
    after(() => server.stop('SIGKILL'));
    const visitor = new SocketClient(server.url);
    await visitor.get('/start_counter');
    assert.equal((await visitor.get('/count')).body, '1');
    const before = server.logs(40).length;

    await redis.kill(); // connection refused, as after a crash: every command fails at once
    for (let i = 0; i < 50; i++) assert.equal((await visitor.get('/count')).status, 503);
    const during = server.logs(40).slice(before);
    assert.ok(during.length <= 2, `at most one line per dependency, not one per request; got ${during.length}:\n${during.map((line) => line.msg).join('\n')}`);
    assert.ok(during.some((line) => /session store unavailable/.test(String(line.msg))));
    assert.ok(!during.some((line) => 'stack' in line || 'err' in line), 'and no stack traces');

    await redis.start();
    assert.ok(await eventually(async () => (await visitor.get('/get_count')).status === 200, 10_000), 'back without a restart');
    const recovery = () => server.logs(40).find((line) => /session store available again/.test(String(line.msg)));
    assert.ok(await eventually(async () => recovery() !== undefined, 5000), 'one line when it ends');
    const ended = recovery()!;
    assert.ok(Number(ended.refused) >= 50, `it counts the refused requests (${String(ended.refused)})`);
    visitor.close();
  });
});
