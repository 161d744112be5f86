import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { importFlask } from '../../src/cli/import-flask.js';
import { openDatabase } from '../../src/db/database.js';
import { buildApp } from '../../src/app.js';
import { modeConfig, PASSWORD, testConfig } from '../helpers.js';
import { type FlaskApp, needsFlaskApp, startFlaskApp } from '../support/flask-app.js';
import { csrfTokenOf, flashTexts, HttpClient } from '../support/http-client.js';

// Latchkey in flask mode and the chapter's Flask app under gunicorn, side by side on 127.0.0.1
// with one key: every check below goes through both real servers with one cookie jar.
const FLASK_KEY = 'the SECRET_KEY both apps share';
const dir = mkdtempSync(join(tmpdir(), 'latchkey-beside-flask-'));
const flaskDb = join(dir, 'flask.db');
const latchkeyUrl = `sqlite:${join(dir, 'latchkey.db')}`;
let flask: FlaskApp;
let latchkey: FastifyInstance;
let site: { flask: string; latchkey: string };

/** Latchkey's database, opened for an import as the CLI opens it, and closed after. */
async function runImport() {
  const database = await openDatabase(latchkeyUrl);
  try {
    return await importFlask({ source: flaskDb, database });
  } finally {
    await database.close();
  }
}

/** Signs up on Flask through its form (Flask-WTF's token included). */
async function signUpOnFlask(browser: HttpClient, username: string, password = PASSWORD) {
  const form = await browser.get(`${site.flask}/users/signup`);
  const response = await browser.post(`${site.flask}/users/signup`, { csrf_token: csrfTokenOf(form.body), username, password, first_name: 'From', last_name: 'Flask' });
  assert.equal(response.status, 302, `Flask signup of ${username}: ${response.body.slice(0, 300)}`);
}

async function logInOnLatchkey(browser: HttpClient, username: string, password = PASSWORD) {
  const form = await browser.get(`${site.latchkey}/users/login`);
  return browser.post(`${site.latchkey}/users/login`, { csrf_token: csrfTokenOf(form.body), username, password });
}

describe('Latchkey beside the real Flask app', needsFlaskApp, () => {
  before(async () => {
    flask = await startFlaskApp({ secretKey: FLASK_KEY, dbFile: flaskDb });
    const flaskConfig = modeConfig('flask').flask!;
    latchkey = await buildApp(testConfig({ ...modeConfig('flask'), flask: { ...flaskConfig, secretKey: FLASK_KEY }, databaseUrl: latchkeyUrl }));
    await latchkey.listen({ port: 0, host: '127.0.0.1' });
    const { port } = latchkey.server.address() as { port: number };
    site = { flask: flask.url, latchkey: `http://127.0.0.1:${port}` };
  });
  after(async () => {
    await latchkey?.close();
    await flask?.stop();
  });

  test('a user who logged in on Flask is logged in on Latchkey with the same cookie, after import-flask', async () => {
    const browser = new HttpClient();
    await signUpOnFlask(browser, 'flora');
    assert.equal((await browser.get(`${site.latchkey}/users/welcome`)).status, 302, 'not imported yet: a visitor on Latchkey');
    assert.equal((await browser.get(`${site.flask}/users/welcome`)).status, 200, '…and still logged in on Flask');
    await runImport();
    const welcome = await browser.get(`${site.latchkey}/users/welcome`);
    assert.equal(welcome.status, 200);
    assert.match(welcome.body, /flora/);
  });

  test('the reverse: a login on Latchkey, with the password the user had on Flask, is a login on Flask', async () => {
    await signUpOnFlask(new HttpClient(), 'lorenzo', 'his Flask password');
    await runImport();
    const browser = new HttpClient();
    const login = await logInOnLatchkey(browser, 'lorenzo', 'his Flask password');
    assert.equal(login.status, 302);
    assert.equal(login.location, '/users/welcome');
    const welcome = await browser.get(`${site.flask}/users/welcome`);
    assert.equal(welcome.status, 200);
    assert.match(welcome.body, /Welcome, lorenzo!/);
    const id = /href="\/users\/(\d+)"/.exec(welcome.body)![1];
    assert.equal((await browser.get(`${site.flask}/users/${id}/edit`)).status, 200, "Flask's ensure_correct_user sees the same user id");
    assert.equal((await logInOnLatchkey(new HttpClient(), 'lorenzo', 'not his password')).status, 401);
  });

  test('/start_counter on one app and /count on the other continue one counter', async () => {
    const browser = new HttpClient();
    assert.equal((await browser.get(`${site.flask}/start_counter`)).body, 'New counter started!');
    assert.equal((await browser.get(`${site.latchkey}/count`)).body, '1');
    assert.equal((await browser.get(`${site.flask}/count`)).body, '2');
    assert.equal((await browser.get(`${site.latchkey}/count`)).body, '3');
    assert.equal((await browser.get(`${site.latchkey}/start_counter`)).body, 'New counter started!');
    assert.equal((await browser.get(`${site.flask}/count`)).body, '1');
    assert.equal((await browser.get(`${site.latchkey}/get_count`)).body, '1');
    assert.equal((await browser.get(`${site.flask}/clear_count`)).body, 'Counter cleared!');
    assert.equal((await browser.get(`${site.latchkey}/count`)).body, 'No counter set!');
  });

  test('a flash set by one app is shown once by the other', async () => {
    const browser = new HttpClient();
    const refused = await browser.get(`${site.flask}/users/welcome`);
    assert.equal(refused.status, 302, 'Flask flashes "Please log in first"');
    assert.deepEqual(flashTexts((await browser.get(`${site.latchkey}/users/login`)).body), ['Please log in first']);
    assert.deepEqual(flashTexts((await browser.get(`${site.latchkey}/users/login`)).body), [], 'once');
    assert.deepEqual(flashTexts((await browser.get(`${site.flask}/users/login`)).body), [], 'and not again on Flask');

    assert.equal((await browser.get(`${site.latchkey}/users/welcome`)).status, 302, 'Latchkey flashes "Please log in first"');
    assert.deepEqual(flashTexts((await browser.get(`${site.flask}/users/login`)).body), ['Please log in first']);
    assert.deepEqual(flashTexts((await browser.get(`${site.flask}/users/login`)).body), []);
    assert.deepEqual(flashTexts((await browser.get(`${site.latchkey}/users/login`)).body), []);
  });

  test("Flask-WTF's csrf_token survives a Latchkey write: a Flask form from before a visit to Latchkey still posts", async () => {
    await signUpOnFlask(new HttpClient(), 'wanda');
    const browser = new HttpClient();
    const form = await browser.get(`${site.flask}/users/login`);
    const token = csrfTokenOf(form.body);
    assert.equal((await browser.get(`${site.latchkey}/start_counter`)).body, 'New counter started!');
    assert.equal((await browser.get(`${site.latchkey}/count`)).body, '1');
    const login = await browser.post(`${site.flask}/users/login`, { csrf_token: token, username: 'wanda', password: PASSWORD });
    assert.equal(login.status, 302, `Flask refused its own form: ${login.body.slice(0, 200)}`);
    assert.equal(login.location?.endsWith('/users/welcome'), true);
  });

  test('a cookie Latchkey writes is accepted by Flask, and Flask keeps the keys Latchkey added', async () => {
    const browser = new HttpClient();
    await browser.get(`${site.latchkey}/start_counter`);
    assert.equal((await browser.get(`${site.flask}/get_count`)).body, '0');
    assert.equal((await browser.get(`${site.flask}/count`)).body, '1');
    assert.equal((await browser.get(`${site.latchkey}/get_count`)).body, '1');
  });

  test('a cookie signed with another key, or tampered, is an empty session on Latchkey', async () => {
    const otherFlask = await startFlaskApp({ secretKey: 'a key Latchkey does not have', dbFile: join(dir, 'other-flask.db') });
    try {
      const browser = new HttpClient();
      await browser.get(`${otherFlask.url}/start_counter`);
      assert.equal((await browser.get(`${otherFlask.url}/count`)).body, '1');
      assert.equal((await browser.get(`${site.latchkey}/get_count`)).body, 'No counter set!');
    } finally {
      await otherFlask.stop();
    }
    const browser = new HttpClient();
    await browser.get(`${site.flask}/start_counter`);
    const cookie = browser.cookies.get('session')!;
    const [payload, stamp, signature] = cookie.split('.') as [string, string, string];
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    browser.cookies.set('session', [payload, stamp, flipped].join('.'));
    assert.equal((await browser.get(`${site.latchkey}/get_count`)).body, 'No counter set!');
    assert.equal((await browser.get(`${site.flask}/get_count`)).body, 'No counter set!', 'Flask agrees');
  });

  test("Flask's logout ends the login on Latchkey too, even for a copy of the cookie Latchkey had seen", async () => {
    await signUpOnFlask(new HttpClient(), 'otto');
    await runImport();
    const browser = new HttpClient();
    const form = await browser.get(`${site.flask}/users/login`);
    await browser.post(`${site.flask}/users/login`, { csrf_token: csrfTokenOf(form.body), username: 'otto', password: PASSWORD });
    assert.equal((await browser.get(`${site.latchkey}/users/welcome`)).status, 200);
    const copy = browser.copy();
    const page = await browser.get(`${site.flask}/users/logout`);
    assert.equal((await browser.post(`${site.flask}/users/logout`, { csrf_token: csrfTokenOf(page.body) })).status, 302);
    assert.equal((await browser.get(`${site.latchkey}/users/welcome`)).status, 302);
    assert.equal((await copy.get(`${site.latchkey}/users/welcome`)).status, 302, "the copy's record went with the logout");
  });

  test("a Flask form posted to a path Latchkey serves passes with its Flask-WTF token; another browser's token does not", async () => {
    await signUpOnFlask(new HttpClient(), 'felix');
    await runImport();
    const browser = new HttpClient();
    const form = await browser.get(`${site.flask}/users/login`);
    await browser.post(`${site.flask}/users/login`, { csrf_token: csrfTokenOf(form.body), username: 'felix', password: PASSWORD });
    const flaskPage = await browser.get(`${site.flask}/users/welcome`);
    const stranger = new HttpClient();
    const strangersToken = csrfTokenOf((await stranger.get(`${site.flask}/users/login`)).body);
    assert.equal((await browser.post(`${site.latchkey}/users/logout`, { csrf_token: strangersToken })).status, 403);
    assert.equal((await browser.get(`${site.flask}/users/welcome`)).status, 200, 'still logged in');
    const out = await browser.post(`${site.latchkey}/users/logout`, { csrf_token: csrfTokenOf(flaskPage.body) });
    assert.equal(out.status, 302);
    assert.equal((await browser.get(`${site.flask}/users/welcome`)).status, 302);
  });

  test("Latchkey's logout ends the login on Flask for that browser", async () => {
    await signUpOnFlask(new HttpClient(), 'lena');
    await runImport();
    const browser = new HttpClient();
    await logInOnLatchkey(browser, 'lena');
    assert.equal((await browser.get(`${site.flask}/users/welcome`)).status, 200);
    const page = await browser.get(`${site.latchkey}/users/logout`);
    const out = await browser.post(`${site.latchkey}/users/logout`, { csrf_token: csrfTokenOf(page.body) });
    assert.equal(out.status, 302);
    assert.equal((await browser.get(`${site.flask}/users/welcome`)).status, 302);
    assert.deepEqual(flashTexts((await browser.get(`${site.flask}/users/login`)).body), ['You have been signed out.', 'Please log in first']);
  });
});
