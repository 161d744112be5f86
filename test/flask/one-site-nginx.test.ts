import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { importFlask } from '../../src/cli/import-flask.js';
import { openDatabase } from '../../src/db/database.js';
import { modeConfig, PASSWORD, testConfig } from '../helpers.js';
import { type FlaskApp, needsFlaskApp, startFlaskApp } from '../support/flask-app.js';
import { csrfTokenOf, flashTexts, HttpClient } from '../support/http-client.js';
import { type Nginx, needsNginx, startNginx } from '../support/nginx.js';

// The documented configuration, run as it is: only its three addresses are changed.
const DOCUMENTED = readFileSync(new URL('../../docs/nginx/beside-flask.conf', import.meta.url), 'utf8');
const FLASK_KEY = 'one SECRET_KEY for the whole site';
const dir = mkdtempSync(join(tmpdir(), 'latchkey-one-site-'));
const flaskDb = join(dir, 'flask.db');
const latchkeyUrl = `sqlite:${join(dir, 'latchkey.db')}`;
let flask: FlaskApp;
let latchkey: FastifyInstance;
let nginx: Nginx;

function siteConfig(port: number, flaskPort: number, latchkeyPort: number): string {
  const config = DOCUMENTED.replace('server 127.0.0.1:5000;', `server 127.0.0.1:${flaskPort};`)
    .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${latchkeyPort};`)
    .replace('listen 80;', `listen 127.0.0.1:${port};`);
  assert.equal(config.match(new RegExp(`127\\.0\\.0\\.1:(${port}|${flaskPort}|${latchkeyPort});`, 'g'))?.length, 3, 'the three addresses were found in the documented file');
  return config;
}

/** Which app answered: Latchkey's page titles end in "· Latchkey", Flask's do not. */
const servedByLatchkey = (body: string) => body.includes('· Latchkey</title>');

describe('one site, two apps: the documented nginx configuration', { skip: needsFlaskApp.skip || needsNginx.skip }, () => {
  before(async () => {
    flask = await startFlaskApp({ secretKey: FLASK_KEY, dbFile: flaskDb });
    const flaskConfig = modeConfig('flask').flask!;
    latchkey = await buildApp(testConfig({ ...modeConfig('flask'), flask: { ...flaskConfig, secretKey: FLASK_KEY }, databaseUrl: latchkeyUrl }));
    await latchkey.listen({ port: 0, host: '127.0.0.1' });
    const latchkeyPort = (latchkey.server.address() as { port: number }).port;
    nginx = await startNginx((port) => siteConfig(port, flask.port, latchkeyPort));
  });
  after(async () => {
    await nginx?.stop();
    await latchkey?.close();
    await flask?.stop();
  });

  test('one host: Flask signs up and logs in, Latchkey knows the visitor, one logout ends it on both', async (t) => {
    const site = nginx.url;
    const browser = new HttpClient();
    const signup = await browser.get(`${site}/users/signup`);
    assert.ok(!servedByLatchkey(signup.body), 'signup is still Flask\'s');
    const created = await browser.post(`${site}/users/signup`, { csrf_token: csrfTokenOf(signup.body), username: 'nina', password: PASSWORD, first_name: 'Nina', last_name: 'N' });
    assert.equal(created.status, 302, `${created.body.slice(0, 300)}\n${nginx.errorLog()}`);

    const database = await openDatabase(latchkeyUrl);
    await importFlask({ source: flaskDb, database }).finally(() => database.close());

    const welcome = await browser.get(`${site}/users/welcome`);
    assert.match(welcome.body, /Welcome, nina!/, 'Flask: logged in');
    const messages = await browser.get(`${site}/messages`);
    assert.ok(servedByLatchkey(messages.body), '/messages is Latchkey\'s');
    assert.match(messages.body, /Logged in as <a id="who" href="\/users\/\d+">nina<\/a>/, 'Latchkey: the same login, from the same cookie');
    assert.equal(browser.cookies.size >= 1 && browser.cookies.has('session'), true);

    // the counter is Latchkey's here; Flask reads the same session
    assert.equal((await browser.get(`${site}/start_counter`)).body, 'New counter started!');
    assert.equal((await browser.get(`${site}/count`)).body, '1');

    // Flask's "Log out" button posts its Flask-WTF token to /users/logout, which is Latchkey's
    const out = await browser.post(`${site}/users/logout`, { csrf_token: csrfTokenOf(welcome.body) });
    assert.equal(out.status, 302, out.body.slice(0, 300));
    assert.equal(out.location, '/users/login');
    const login = await browser.get(`${site}/users/login`);
    assert.ok(!servedByLatchkey(login.body));
    assert.deepEqual(flashTexts(login.body), ['You have been signed out.'], 'Latchkey\'s flash, shown once by Flask');
    assert.equal((await browser.get(`${site}/users/welcome`)).status, 302, 'logged out on Flask too');
    assert.doesNotMatch((await browser.get(`${site}/messages`)).body, /Logged in as/);
    t.diagnostic(`nginx ${nginx.url} → Flask ${flask.url}, Latchkey`);
  });
});
