import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { type LoginThrottleConfig, throttleAddress } from 'latchkey';
import { loadConfig } from '../../src/config.js';
import { PASSWORD, createTestApp, flashes, logIn, signUp, tempSqliteFile } from '../helpers.js';
import { REDIS_URL, redisClient } from '../services.js';
import { ClientAt, retryAfter, sleep } from './support.js';

const WRONG = 'not the password';

/** Small, fast limits: 5 free failures, then 1 s, 2 s, 4 s… (whole seconds, as Redis counts). */
function limits(overrides: Partial<LoginThrottleConfig> = {}): LoginThrottleConfig {
  return { freeFailures: 5, ipFreeFailures: 1000, firstDelayMs: 1000, maxDelayMs: 8000, windowMs: 3_600_000, ipWindowMs: 3_600_000, ...overrides };
}

/** The app's clock, moved by the tests instead of waiting out the delays. */
const clock = { now: Date.now() };
const wait = (ms: number) => {
  clock.now += ms;
};
const onTestClock = { now: () => clock.now };

async function appWithAlice(overrides: Partial<LoginThrottleConfig> = {}) {
  const app = await createTestApp({ loginThrottle: limits(overrides) }, onTestClock);
  await signUp(new ClientAt(app, '192.0.2.1'), 'alice');
  return app;
}

async function failTimes(client: ClientAt, username: string, times: number) {
  const statuses = [];
  for (let i = 0; i < times; i++) statuses.push((await logIn(client, username, WRONG)).statusCode);
  return statuses;
}

describe('login throttling', () => {
  test('five wrong passwords are answered at once; then even the right one waits, told how long', async () => {
    const app = await appWithAlice();
    const user = new ClientAt(app, '198.51.100.7');
    const failures = await failTimes(user, 'alice', 5);
    assert.deepEqual(failures, [401, 401, 401, 401, 401]);

    const refused = await logIn(user, 'alice', PASSWORD);
    assert.equal(refused.statusCode, 429);
    assert.equal(retryAfter(refused), 1);
    assert.match(refused.body, /<h1>Too many attempts<\/h1>/);
    assert.match(refused.body, /please wait 1 second before trying again/);
    assert.equal(refused.location, undefined);
    assert.equal((await user.get('/users/welcome')).statusCode, 302, 'a refused attempt logs nobody in');
  });

  test('twenty wrong passwords in a row slow down, and the right password works after the wait', async () => {
    const app = await appWithAlice({ maxDelayMs: 2000 });
    const user = new ClientAt(app, '198.51.100.7');
    const waits: number[] = [];
    for (let tries = 0; tries < 20; ) {
      const response = await logIn(user, 'alice', WRONG);
      if (response.statusCode === 429) {
        waits.push(retryAfter(response));
        wait(retryAfter(response) * 1000);
        continue;
      }
      assert.equal(response.statusCode, 401);
      tries++;
    }
    assert.deepEqual(waits.slice(0, 2), [1, 2], 'the first delays double');
    assert.ok(waits.every((wait) => wait <= 2), 'no delay passes the configured maximum');
    wait(2000);
    const success = await logIn(user, 'alice', PASSWORD);
    assert.equal(success.statusCode, 302);
    assert.deepEqual(flashes((await user.follow(success)).body), ["You've successfully logged in!"]);
  });

  test('delays grow with each failure past the free ones', async () => {
    const app = await appWithAlice();
    const user = new ClientAt(app, '198.51.100.7');
    await failTimes(user, 'alice', 5);
    assert.equal(retryAfter(await logIn(user, 'alice', WRONG)), 1);
    wait(1000);
    assert.equal((await logIn(user, 'alice', WRONG)).statusCode, 401);
    assert.equal(retryAfter(await logIn(user, 'alice', WRONG)), 2);
  });

  test('a success forgets the account failures: five more typos are answered at once', async () => {
    const app = await appWithAlice();
    const user = new ClientAt(app, '198.51.100.7');
    await failTimes(user, 'alice', 4);
    assert.equal((await logIn(user, 'alice', PASSWORD)).statusCode, 302);
    await user.post('/users/logout');
    assert.deepEqual(await failTimes(user, 'alice', 5), [401, 401, 401, 401, 401]);
  });

  test('the refusal is the same page for an existing and an unknown username', async () => {
    const app = await appWithAlice();
    const client = new ClientAt(app, '198.51.100.7');
    await failTimes(client, 'alice', 5);
    await failTimes(client, 'nobody', 5);
    const forAlice = await logIn(client, 'alice', WRONG);
    const forNobody = await logIn(client, 'nobody', WRONG);
    assert.equal(forAlice.statusCode, 429);
    assert.equal(forNobody.statusCode, 429);
    assert.equal(forAlice.body, forNobody.body);
    assert.equal(retryAfter(forAlice), retryAfter(forNobody));
  });

  test('an attacker elsewhere cannot lock the owner out', async () => {
    const app = await appWithAlice();
    const attacker = new ClientAt(app, '203.0.113.66');
    const statuses = await failTimes(attacker, 'alice', 7);
    assert.ok(statuses.includes(429), 'the attacker is slowed');
    const owner = new ClientAt(app, '198.51.100.7');
    assert.equal((await logIn(owner, 'alice', PASSWORD)).statusCode, 302);
  });

  test('password spraying from one address is slowed across usernames, and a success does not wipe it', async () => {
    const app = await appWithAlice({ ipFreeFailures: 8 });
    const attacker = new ClientAt(app, '203.0.113.66');
    await signUp(attacker, 'mallory');
    await attacker.post('/users/logout');
    for (let i = 0; i < 7; i++) assert.equal((await logIn(attacker, `user${i}`, 'spring2024!')).statusCode, 401);
    assert.equal((await logIn(attacker, 'mallory', PASSWORD)).statusCode, 302, 'the address is not blocked yet');
    await attacker.post('/users/logout');
    assert.equal((await logIn(attacker, 'user7', 'spring2024!')).statusCode, 401);
    const refused = await logIn(attacker, 'alice', 'spring2024!');
    assert.equal(refused.statusCode, 429, 'the ninth sprayed guess waits although it names a new user');
    const elsewhere = new ClientAt(app, '198.51.100.7');
    assert.equal((await logIn(elsewhere, 'alice', PASSWORD)).statusCode, 302, 'other addresses are not affected');
  });

  test('a burst of parallel guesses gets no more than the free attempts and one more', async () => {
    const app = await appWithAlice();
    const attacker = new ClientAt(app, '203.0.113.66');
    await attacker.get('/users/login');
    const burst = await Promise.all(Array.from({ length: 30 }, () => attacker.post('/users/login', { username: 'alice', password: WRONG })));
    const checked = burst.filter((response) => response.statusCode === 401).length;
    assert.ok(checked <= 6, `${checked} guesses were checked`);
    assert.equal(burst.filter((response) => response.statusCode === 429).length, 30 - checked);
  });

  test('rotating through an IPv6 /64 earns no extra attempts', async () => {
    const app = await appWithAlice();
    for (let i = 1; i <= 5; i++) await failTimes(new ClientAt(app, `2001:db8:1:2::${i}`), 'alice', 1);
    assert.equal((await logIn(new ClientAt(app, '2001:db8:1:2:ffff::9'), 'alice', WRONG)).statusCode, 429);
    assert.equal((await logIn(new ClientAt(app, '2001:db8:1:3::1'), 'alice', PASSWORD)).statusCode, 302, 'the next /64 is someone else');
  });

  test('a forged X-Forwarded-For earns no extra attempts when no proxy is trusted', async () => {
    const app = await appWithAlice();
    const attacker = new ClientAt(app, '203.0.113.66');
    await attacker.get('/users/login');
    for (let i = 1; i <= 5; i++) {
      const response = await attacker.post('/users/login', { username: 'alice', password: WRONG }, { 'x-forwarded-for': `192.0.2.${i}` });
      assert.equal(response.statusCode, 401);
    }
    const refused = await attacker.post('/users/login', { username: 'alice', password: WRONG }, { 'x-forwarded-for': '192.0.2.99' });
    assert.equal(refused.statusCode, 429);
  });

  test('behind a trusted proxy, clients are told apart by X-Forwarded-For', async () => {
    const app = await createTestApp({ loginThrottle: limits(), trustProxy: '10.0.0.1' });
    const viaProxy = (client: string) => ({ 'x-forwarded-for': client });
    const attacker = new ClientAt(app, '10.0.0.1');
    const owner = new ClientAt(app, '10.0.0.1');
    await signUp(owner, 'alice');
    await owner.post('/users/logout');
    await attacker.get('/users/login');
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await attacker.post('/users/login', { username: 'alice', password: WRONG }, viaProxy('203.0.113.66'))).statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    await owner.get('/users/login');
    assert.equal((await owner.post('/users/login', { username: 'alice', password: PASSWORD }, viaProxy('198.51.100.7'))).statusCode, 302);
  });

  test('addresses are counted per IPv4 address and per IPv6 /64', () => {
    assert.equal(throttleAddress('192.0.2.1'), '192.0.2.1');
    assert.equal(throttleAddress('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(throttleAddress('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(throttleAddress('2001:0db8:0001:0002::7'), '2001:db8:1:2::/64');
    assert.equal(throttleAddress('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(throttleAddress('::1'), '0:0:0:0::/64');
    assert.equal(throttleAddress('fe80::1%eth0'), 'fe80:0:0:0::/64');
  });
});

describe('signup limits', () => {
  test('an address may create a limited number of accounts, then is told when to come back', async () => {
    const app = await createTestApp({ signupLimit: { perIp: 3, windowMs: 3_600_000 } });
    const office = new ClientAt(app, '198.51.100.20');
    for (const name of ['ann', 'ben', 'cat']) {
      await signUp(office, name);
      await office.post('/users/logout');
    }
    await office.get('/users/signup');
    const refused = await office.post('/users/signup', { username: 'dan', password: PASSWORD });
    assert.equal(refused.statusCode, 429);
    assert.ok(retryAfter(refused) > 3500 && retryAfter(refused) <= 3600);
    assert.match(refused.body, /please wait 60 minutes before trying again/);
    assert.equal((await logIn(office, 'dan', PASSWORD)).statusCode, 401, 'no account was made');
    assert.ok(await signUp(new ClientAt(app, '198.51.100.21'), 'dan'), 'another address may still sign up');
  });
});

describe('defaults', () => {
  test('leave room for a family or an office behind one address', () => {
    const config = loadConfig({ DATA_DIR: '/nonexistent', SECRET_KEYS: 'k'.repeat(32) });
    assert.ok(config.loginThrottle.freeFailures >= 5);
    assert.ok(config.loginThrottle.ipFreeFailures >= 20);
    assert.ok(config.signupLimit.perIp >= 20 && config.signupLimit.windowMs <= 3_600_000);
  });

  test('five typos at a typist\'s pace never meet a refusal', async () => {
    const app = await createTestApp({}, onTestClock);
    const user = new ClientAt(app, '198.51.100.7');
    await signUp(user, 'alice');
    await user.post('/users/logout');
    assert.deepEqual(await failTimes(user, 'alice', 5), [401, 401, 401, 401, 401]);
    wait(1000); // the first delay is one second: less than it takes to type a password again
    assert.equal((await logIn(user, 'alice', PASSWORD)).statusCode, 302);
  });

  test('every limit can be set through the environment', () => {
    const config = loadConfig({
      DATA_DIR: '/nonexistent',
      SECRET_KEYS: 'k'.repeat(32),
      LOGIN_FREE_FAILURES: '7',
      LOGIN_IP_FREE_FAILURES: '300',
      LOGIN_FIRST_DELAY_SECONDS: '2',
      LOGIN_MAX_DELAY_SECONDS: '60',
      LOGIN_FAILURE_WINDOW_HOURS: '12',
      LOGIN_IP_FAILURE_WINDOW_HOURS: '2',
      SIGNUPS_PER_IP: '50',
      SIGNUP_WINDOW_MINUTES: '30',
    });
    assert.deepEqual(config.loginThrottle, {
      freeFailures: 7,
      ipFreeFailures: 300,
      firstDelayMs: 2000,
      maxDelayMs: 60_000,
      windowMs: 12 * 3_600_000,
      ipWindowMs: 2 * 3_600_000,
    });
    assert.deepEqual(config.signupLimit, { perIp: 50, windowMs: 30 * 60_000 });
  });
});

const redis = await redisClient();
after(() => {
  if (typeof redis !== 'string') redis.disconnect();
});

describe('login throttling through Redis', { skip: typeof redis === 'string' ? redis : false }, () => {
  test('every node counts together: failures on one node delay attempts on another', async () => {
    if (typeof redis === 'string') return;
    const prefix = `latchkey-test-${randomUUID()}`;
    after(async () => {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    });
    // two nodes: one database, one Redis
    const config = { databaseUrl: `sqlite:${tempSqliteFile()}`, redisUrl: REDIS_URL, redisKeyPrefix: prefix, loginThrottle: limits() };
    const nodeA = await createTestApp(config);
    const nodeB = await createTestApp(config);
    await signUp(new ClientAt(nodeA, '192.0.2.1'), 'alice');
    assert.deepEqual(await failTimes(new ClientAt(nodeA, '198.51.100.7'), 'alice', 3), [401, 401, 401]);
    assert.deepEqual(await failTimes(new ClientAt(nodeB, '198.51.100.7'), 'alice', 2), [401, 401]);
    const refused = await logIn(new ClientAt(nodeA, '198.51.100.7'), 'alice', PASSWORD);
    assert.equal(refused.statusCode, 429);
    assert.equal(retryAfter(refused), 1);
    assert.ok((await redis.keys(`${prefix}:throttle:*`)).length > 0, 'the counters live in Redis');
    await sleep(1100);
    assert.equal((await logIn(new ClientAt(nodeB, '198.51.100.7'), 'alice', PASSWORD)).statusCode, 302);
  });
});
