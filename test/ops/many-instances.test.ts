import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type AppProcess, startAppProcess } from '../support/app-process.js';
import { eventually, within } from '../support/bounded.js';
import { absent } from '../support/ci.js';
import { SocketClient } from '../support/socket-client.js';
import { type Nginx, needsNginx, startNginx } from '../support/nginx.js';
import { freshDatabase } from '../support/postgres.js';
import { freePort } from '../support/ports.js';
import { type PrivateRedis, startPrivateRedis } from '../support/redis-server.js';
import { type SmtpInbox, startSmtpInbox } from '../mail/smtp-inbox.js';

const GUIDE = new URL('../../docs/deploying.md', import.meta.url);
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase';
const SECRET_KEY = 'many-instances-secret-0123456789abcdef0123456789';
const METRICS_TOKEN = 'many-instances-metrics-token';

/** The fenced block that follows `<!-- deploy-test: <name> -->` in docs/deploying.md. */
function guideBlock(name: string): string {
  const guide = readFileSync(GUIDE, 'utf8');
  const block = new RegExp(`<!-- deploy-test: ${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(guide)?.[1];
  assert.ok(block, `docs/deploying.md has a ${name} block marked <!-- deploy-test: ${name} -->`);
  return block;
}

/** The guide's environment file, with its placeholders (secrets, the hosts of the services) filled by the test's own. */
function environmentFromGuide(services: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of guideBlock('env').split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, name, value] = match as unknown as [string, string, string];
    env[name] = services[name] ?? value;
    assert.doesNotMatch(env[name], /CHANGE-ME|\.internal/, `the test must supply ${name} (the guide has a placeholder)`);
  }
  return env;
}

/** The guide's nginx configuration on loopback ports: the instances', nginx's own, and a test certificate. */
function nginxFromGuide(ports: { https: number; http: number; instances: number[] }, certificate: { cert: string; key: string }): string {
  let config = guideBlock('nginx');
  const upstreams = [...config.matchAll(/server 127\.0\.0\.1:\d+;/g)];
  assert.equal(upstreams.length, ports.instances.length, 'the guide lists three instances');
  let next = 0;
  config = config.replace(/server 127\.0\.0\.1:\d+;/g, () => `server 127.0.0.1:${ports.instances[next++]};`);
  const replace = (pattern: RegExp, by: string) => {
    assert.match(config, pattern, `the guide's nginx block has ${pattern}`);
    config = config.replace(pattern, by);
  };
  replace(/listen 443 ssl/, `listen 127.0.0.1:${ports.https} ssl`);
  replace(/listen 80;/, `listen 127.0.0.1:${ports.http};`);
  replace(/ssl_certificate +\S+;/, `ssl_certificate ${certificate.cert};`);
  replace(/ssl_certificate_key +\S+;/, `ssl_certificate_key ${certificate.key};`);
  return config;
}

function selfSignedCertificate(folder: string): { cert: string; key: string } | string {
  const cert = join(folder, 'cert.pem');
  const key = join(folder, 'key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'pipe' });
  if (made.error || made.status !== 0) return absent(`openssl could not make a test certificate (${made.error?.message ?? made.stderr.toString().trim()}); apt-get install openssl`);
  return { cert, key };
}

/** A counter's value in an instance's Prometheus text (0 when absent). */
async function metric(instance: AppProcess, series: string): Promise<number> {
  const text = (await new SocketClient(instance.url).get('/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).body;
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const userIdOn = (body: string) => Number(/href="\/users\/(\d+)"/.exec(body)?.[1]);

describe('three instances on PostgreSQL and Redis behind nginx, as docs/deploying.md sets them up', async () => {
  const reasons: string[] = needsNginx.skip ? [needsNginx.skip] : [];
  const folder = mkdtempSync(join(tmpdir(), 'latchkey-many-'));
  const database = await freshDatabase();
  if (typeof database === 'string') reasons.push(database);
  const redis = await startPrivateRedis();
  if (typeof redis === 'string') reasons.push(redis);
  const certificate = selfSignedCertificate(folder);
  if (typeof certificate === 'string') reasons.push(certificate);
  const skip = reasons.length > 0 ? reasons.join('; ') : false;

  let instances: AppProcess[] = [];
  let mail: SmtpInbox | null = null;
  let nginx: Nginx | null = null;
  let site = '';
  after(async () => {
    await Promise.all(instances.map((instance) => instance.stop('SIGKILL')));
    await nginx?.stop();
    await mail?.close();
    if (typeof redis !== 'string') await redis.stop();
    if (typeof database !== 'string') await database.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  before(async () => {
    if (skip) return;
    mail = await startSmtpInbox();
    const env = environmentFromGuide({
      SMTP_URL: mail.url,
      DATABASE_URL: (database as { url: string }).url,
      REDIS_URL: (redis as PrivateRedis).url,
      SECRET_KEYS: SECRET_KEY,
      METRICS_TOKEN,
    });
    assert.deepEqual([env.NODE_ENV, env.TRUST_PROXY], ['production', '127.0.0.1']);
    // three starting at once on an empty database: the migrations must run once
    const starts = await Promise.allSettled([1, 2, 3].map(() => startAppProcess({ ...env, BCRYPT_ROUNDS: '10', LOG_LEVEL: 'warn' })));
    instances = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : [])); // stopped after, even if one failed
    for (const start of starts) if (start.status === 'rejected') throw start.reason;
    const ports = { https: 0, http: await freePort(), instances: instances.map((instance) => instance.port) };
    nginx = await startNginx((port) => nginxFromGuide({ ...ports, https: port }, certificate as { cert: string; key: string }));
    site = `https://127.0.0.1:${nginx.port}`;
    const plain = await new SocketClient(`http://127.0.0.1:${ports.http}`).get('/users/login');
    assert.equal(plain.status, 301, 'plain HTTP is sent to HTTPS');
  });

  /** The same browser, talking to one instance directly instead of through nginx. */
  const on = (index: number, browser: SocketClient) => new SocketClient(instances[index]!.url).sameBrowserAs(browser);

  let aliceId = 0;
  const alice = () => new SocketClient(site, { localAddress: '127.0.0.2' });
  const browser = { alice: null as unknown as SocketClient };

  test('a login through one instance is valid on every instance, and the app sees the real client address', { skip }, async () => {
    browser.alice = alice();
    await browser.alice.get('/users/signup');
    const signup = await browser.alice.post('/users/signup', { username: 'alice', password: PASSWORD, first_name: 'Alice', last_name: 'Liddell' });
    assert.equal(signup.status, 302, nginx?.errorLog());
    assert.ok([...browser.alice.cookies.keys()].includes('__Host-latchkey_session'), 'production cookies');
    for (const index of [0, 1, 2]) {
      const welcome = await on(index, browser.alice).get('/users/welcome');
      assert.equal(welcome.status, 200, `instance ${index + 1}`);
      aliceId = userIdOn(welcome.body);
    }
    const devices = await browser.alice.get(`/users/${aliceId}/sessions`);
    assert.match(devices.body, /127\.0\.0\.2/, 'the session was recorded with the client address nginx saw, from X-Forwarded-For');
  });

  test('a logout, "end other sessions" or a password change on one instance is seen at once by all', { skip }, async () => {
    const logIn = async (index: number) => {
      const device = new SocketClient(instances[index]!.url);
      await device.get('/users/login');
      assert.equal((await device.post('/users/login', { username: 'alice', password: PASSWORD })).status, 302);
      await device.get('/users/welcome'); // the form token of the logged-in session
      return device;
    };
    const laptop = await logIn(0);
    assert.equal((await on(1, laptop).post('/users/logout')).status, 302);
    for (const index of [0, 2]) assert.equal((await on(index, laptop).get('/users/welcome')).status, 302, `logged out on instance ${index + 1} too`);

    const phone = await logIn(1);
    assert.equal((await on(2, browser.alice).post(`/users/${aliceId}/sessions?_method=DELETE`)).status, 302);
    for (const index of [0, 1]) assert.equal((await on(index, phone).get('/users/welcome')).status, 302, `phone ended on instance ${index + 1}`);
    assert.equal((await on(0, browser.alice).get('/users/welcome')).status, 200, 'the session that asked stays');

    const tablet = await logIn(0);
    const editor = on(1, browser.alice);
    await editor.get(`/users/${aliceId}/edit`);
    const changed = await editor.post(`/users/${aliceId}?_method=PATCH`, { username: 'alice', first_name: 'Alice', last_name: 'Liddell', password: NEW_PASSWORD, current_password: PASSWORD });
    assert.equal(changed.status, 302);
    for (const index of [0, 2]) assert.equal((await on(index, tablet).get('/users/welcome')).status, 302, `the old password's session ended on instance ${index + 1}`);
    browser.alice = new SocketClient(site, { localAddress: '127.0.0.2' }).sameBrowserAs(editor);
    assert.equal((await browser.alice.get('/users/welcome')).status, 200);
  });

  test('login throttling counts across instances by the real client address from X-Forwarded-For', { skip }, async () => {
    const guesser = new SocketClient(site, { localAddress: '127.0.0.3' });
    await guesser.get('/users/login');
    for (let attempt = 1; attempt <= 5; attempt++) {
      assert.equal((await guesser.post('/users/login', { username: 'alice', password: `guess ${attempt}` })).status, 401, `guess ${attempt}`);
    }
    const refused = await guesser.post('/users/login', { username: 'alice', password: NEW_PASSWORD });
    assert.equal(refused.status, 429, 'the sixth guess waits, whichever instance it reaches');
    assert.match(String(refused.headers['retry-after']), /^\d+$/);
    const forged = await guesser.post('/users/login', { username: 'alice', password: NEW_PASSWORD }, { 'x-forwarded-for': '198.51.100.1' });
    assert.equal(forged.status, 429, 'a forged X-Forwarded-For earns nothing: nginx overwrites it');
    const neighbour = new SocketClient(site, { localAddress: '127.0.0.4' });
    await neighbour.get('/users/login');
    assert.equal((await neighbour.post('/users/login', { username: 'alice', password: 'typo' })).status, 401, 'another address is not slowed');

    const failures = await Promise.all(instances.map((instance) => metric(instance, 'latchkey_logins_total{outcome="failed"}')));
    assert.equal(failures.reduce((sum, count) => sum + count, 0), 6);
    assert.ok(failures.filter((count) => count > 0).length >= 2, `the guesses were spread over the instances (${failures.join(', ')})`);
  });

  test('Redis stopped: a 503 within the deadline on every instance, and back everywhere without a restart', { skip }, async () => {
    const privateRedis = redis as PrivateRedis;
    privateRedis.pause();
    try {
      for (const index of [0, 1, 2]) {
        const page = await within(on(index, browser.alice).get('/users/welcome'), 5000, `instance ${index + 1}`);
        assert.equal(page.status, 503, `instance ${index + 1}`);
        const ready = await within(new SocketClient(instances[index]!.url).get('/readyz'), 5000, `/readyz of instance ${index + 1}`);
        assert.deepEqual([ready.status, JSON.parse(ready.body)], [503, { status: 'unavailable', database: 'ok', redis: 'unavailable' }]);
      }
      assert.equal((await within(browser.alice.get('/users/welcome'), 5000, 'the site')).status, 503, 'through nginx too');
    } finally {
      privateRedis.resume();
    }
    for (const index of [0, 1, 2]) {
      assert.ok(await eventually(async () => (await on(index, browser.alice).get('/users/welcome')).status === 200, 10_000), `instance ${index + 1} is back`);
    }
  });

  test('killing one instance under load loses at most the requests it was answering', { skip }, async () => {
    const loaders = [0, 1].map(() => new SocketClient(site, { localAddress: '127.0.0.5' }).sameBrowserAs(browser.alice));
    const total = 400;
    const killAt = 150;
    let issued = 0;
    let inFlight = 0;
    let inFlightAtKill = -1;
    const outcomes: Array<number | string> = [];
    await Promise.all(
      loaders.flatMap((loader) =>
        [0, 1, 2, 3].map(async () => {
          while (issued < total) {
            issued += 1;
            inFlight += 1;
            try {
              outcomes.push((await loader.get('/users/welcome')).status);
            } catch (error) {
              outcomes.push((error as Error).message);
            } finally {
              inFlight -= 1;
            }
            if (outcomes.length === killAt) {
              inFlightAtKill = inFlight;
              process.kill(instances[2]!.pid, 'SIGKILL');
            }
          }
        }),
      ),
    );
    const failed = outcomes.filter((outcome) => outcome !== 200);
    assert.ok(inFlightAtKill >= 0);
    assert.ok(failed.length <= inFlightAtKill, `${failed.length} failed (${failed.join(', ')}), more than the ${inFlightAtKill} in flight at the kill`);
    assert.ok(outcomes.slice(-100).every((outcome) => outcome === 200), 'the rest is served by the other two');
    assert.equal(outcomes.length, total);
  });
});
