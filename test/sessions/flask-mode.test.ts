import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createFlaskCookieSerializer, createFlaskWtfTokens, createMemorySessionStore, type FlaskDict, FlaskFloat, FlaskTuple, flaskSecretKeys } from 'latchkey';
import { Client, createTestApp, FLASK_TEST_KEY, flashes, logIn, modeConfig, signUp } from '../helpers.js';

// Flask's own behaviour is proven against the real Flask in test/flask/; here the package's
// serializer stands in for the Flask app, so these run everywhere.
const MONTH_SECONDS = 31 * 86_400;
const flask = createFlaskCookieSerializer({ secretKeys: [FLASK_TEST_KEY], maxAgeSeconds: MONTH_SECONDS });

/** The Flask session in the client's cookie, read as Flask reads it. */
function flaskSession(client: Client): FlaskDict | null {
  const cookie = client.cookies.get('session');
  return cookie === undefined ? null : (flask.loads(cookie, Date.now())?.value ?? null);
}

/** Sets the session cookie the Flask app would set for `value`. */
function asFlaskSets(client: Client, value: FlaskDict, serializer = flask): void {
  client.cookies.set('session', serializer.dumps(value, Date.now()));
}

const flaskApp = (overrides = {}, options = {}) => createTestApp({ ...modeConfig('flask'), ...overrides }, options);

describe('flask mode: the session is the Flask app\'s cookie', () => {
  test('the counter Flask started goes on counting on Latchkey, in the same cookie', async () => {
    const client = new Client(await flaskApp());
    asFlaskSets(client, { count: 4 });
    assert.equal((await client.get('/count')).body, '5');
    assert.deepEqual(flaskSession(client), { count: 5 });
    assert.equal(client.cookies.size, 1, 'no cookie of Latchkey\'s own for the session');
  });

  test('a login on Latchkey is Flask\'s user_id, with the handle of its record under _latchkey', async () => {
    const client = new Client(await flaskApp());
    const id = await signUp(client, 'alice');
    const session = flaskSession(client)!;
    assert.equal(session.user_id, id);
    assert.match(String(session._latchkey), /^[A-Za-z0-9_-]{16}$/);
    assert.ok(!client.cookies.has('latchkey_flash'), 'flashes live in the session cookie');
  });

  test('a login the Flask app made is logged in on Latchkey, and gets a record on its first visit', async () => {
    const app = await flaskApp();
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    const fromFlask = new Client(app);
    asFlaskSets(fromFlask, { user_id: id, csrf_token: 'f'.repeat(40) });
    assert.equal((await fromFlask.get('/users/welcome')).statusCode, 200);
    const session = flaskSession(fromFlask)!;
    assert.match(String(session._latchkey), /^[A-Za-z0-9_-]{16}$/, 'adopted: a record and its handle');
    assert.equal(session.csrf_token, 'f'.repeat(40));
    const devices = await alice.get(`/users/${id}/sessions`);
    assert.equal(devices.body.match(/sessions\/[A-Za-z0-9_-]{16}\?_method=DELETE/g)?.length, 1, 'the Flask login is listed and can be ended');
  });

  test('Flask-Login\'s _user_id (a string) is read as the logged-in user', async () => {
    const app = await flaskApp();
    const id = await signUp(new Client(app), 'alice');
    const client = new Client(app);
    asFlaskSets(client, { _user_id: String(id), _fresh: true, _id: 'abc' });
    const welcome = await client.get('/users/welcome');
    assert.equal(welcome.statusCode, 200);
    assert.match(welcome.body, /alice/);
    const session = flaskSession(client)!;
    assert.equal(session._user_id, String(id), 'written back as Flask-Login wrote it');
    assert.equal(session._fresh, true);
    assert.equal(session._id, 'abc');
  });

  test('keys Latchkey does not own survive its writes untouched, Python-only values included', async () => {
    const client = new Client(await flaskApp());
    const foreign: FlaskDict = { csrf_token: 'a'.repeat(40), _fresh: false, ratio: new FlaskFloat(1), pair: new FlaskTuple([1, 'x']), cart: { items: [1, 2] } };
    asFlaskSets(client, { ...foreign, count: 1 });
    await client.get('/count');
    assert.deepEqual(flaskSession(client), { ...foreign, count: 2 });
  });

  test('a flash Flask set is shown once on Latchkey, Flask\'s "message" category as info', async () => {
    const client = new Client(await flaskApp());
    asFlaskSets(client, { _flashes: [new FlaskTuple(['message', 'Please log in first']), new FlaskTuple(['error', 'Not Authorized'])] });
    const page = await client.get('/users/login');
    assert.deepEqual(flashes(page.body), ['Please log in first', 'Not Authorized']);
    assert.match(page.body, /class="flash flash-info"[^>]*>Please log in first/);
    assert.match(page.body, /class="flash flash-error"[^>]*>Not Authorized/);
    assert.deepEqual(flashes((await client.get('/users/login')).body), [], 'shown once');
    assert.equal(flaskSession(client), null, 'the emptied session is deleted, as Flask deletes it');
  });

  test('a flash Latchkey sets is a (category, message) tuple in _flashes, for Flask to show', async () => {
    const client = new Client(await flaskApp());
    await client.get('/users/welcome');
    assert.deepEqual(flaskSession(client), { _flashes: [new FlaskTuple(['error', 'Please log in first'])] });
  });

  test('a flash Latchkey does not show goes back to Flask as it came', async () => {
    const client = new Client(await flaskApp());
    const original = new FlaskTuple(['warning', 'Disk almost full']);
    asFlaskSets(client, { _flashes: [original] });
    await client.get('/users/welcome'); // a redirect: shows nothing, adds its own flash
    assert.deepEqual(flaskSession(client)?._flashes, [original, new FlaskTuple(['error', 'Please log in first'])]);
  });

  test('a cookie signed with another key, or tampered, is an empty session', async () => {
    const app = await flaskApp();
    const id = await signUp(new Client(app), 'alice');
    const other = createFlaskCookieSerializer({ secretKeys: ['some other key'], maxAgeSeconds: MONTH_SECONDS });
    const foreign = new Client(app);
    asFlaskSets(foreign, { user_id: id, count: 3 }, other);
    assert.equal((await foreign.get('/get_count')).body, 'No counter set!');
    assert.equal((await foreign.get('/users/welcome')).statusCode, 302);

    const tampered = new Client(app);
    asFlaskSets(tampered, { user_id: 999, count: 3 });
    const [payload, ...rest] = tampered.cookies.get('session')!.split('.');
    const forged = Buffer.from(JSON.stringify({ user_id: id, count: 3 })).toString('base64url');
    assert.notEqual(payload, forged);
    tampered.cookies.set('session', [forged, ...rest].join('.'));
    assert.equal((await tampered.get('/get_count')).body, 'No counter set!');
    assert.equal((await tampered.get('/users/welcome')).statusCode, 302);
  });

  test('a cookie signed with a key in FLASK_SECRET_KEY_FALLBACKS is read and re-signed with the new key', async () => {
    const client = new Client(await flaskApp({ flask: { ...modeConfig('flask').flask!, secretKey: 'the new Flask key', fallbacks: [FLASK_TEST_KEY] } }));
    asFlaskSets(client, { count: 7 });
    assert.equal((await client.get('/get_count')).body, '7');
    const renewed = createFlaskCookieSerializer({ secretKeys: flaskSecretKeys('the new Flask key'), maxAgeSeconds: MONTH_SECONDS });
    assert.deepEqual(renewed.loads(client.cookies.get('session')!, Date.now())?.value, { count: 7 });
  });

  test('logout ends the login\'s record: a copy of the cookie is logged out on Latchkey', async () => {
    const app = await flaskApp();
    const alice = new Client(app);
    await signUp(alice, 'alice');
    const copy = new Client(app);
    copy.cookies.set('session', alice.cookies.get('session')!);
    const out = await alice.post('/users/logout');
    assert.deepEqual(flashes((await alice.follow(out)).body), ['You have been signed out.']);
    assert.equal((await copy.get('/users/welcome')).statusCode, 302);
    assert.equal(flaskSession(copy)?.user_id, undefined, 'the copy\'s login is emptied on its first visit, for Flask too');
  });

  test('a logout on Flask (user_id popped, _latchkey left) ends the record too', async () => {
    const store = createMemorySessionStore();
    const app = await flaskApp({}, { sessionStore: store });
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    const before = flaskSession(alice)!;
    const copy = new Client(app);
    copy.cookies.set('session', alice.cookies.get('session')!);
    const { user_id: _dropped, ...afterFlaskLogout } = before;
    asFlaskSets(alice, { ...afterFlaskLogout, _flashes: [new FlaskTuple(['message', 'You have been signed out.'])] });
    assert.deepEqual(flashes((await alice.get('/users/login')).body), ['You have been signed out.']);
    assert.equal(flaskSession(alice)?._latchkey, undefined);
    assert.equal((await copy.get('/users/welcome')).statusCode, 302, 'the copy from before is logged out on Latchkey');
    assert.equal((await store.listUser(id, Date.now())).length, 0);
  });

  test('with adoptLogins off, a login the Flask app made is refused and emptied', async () => {
    const app = await flaskApp({ flask: { ...modeConfig('flask').flask!, adoptLogins: false } });
    const id = await signUp(new Client(app), 'alice');
    const fromFlask = new Client(app);
    asFlaskSets(fromFlask, { user_id: id, count: 1 });
    assert.equal((await fromFlask.get('/users/welcome')).statusCode, 302);
    assert.equal(flaskSession(fromFlask)?.user_id, undefined);
    const latchkeyLogin = new Client(app);
    await logIn(latchkeyLogin, 'alice');
    assert.equal((await latchkeyLogin.get('/users/welcome')).statusCode, 200, 'Latchkey\'s own logins work');
  });

  test('a user Latchkey does not know yet is a visitor here, and stays logged in for Flask', async () => {
    const client = new Client(await flaskApp());
    asFlaskSets(client, { user_id: 4242, count: 1 });
    assert.equal((await client.get('/users/welcome')).statusCode, 302);
    await client.get('/count');
    const session = flaskSession(client)!;
    assert.equal(session.user_id, 4242);
    assert.equal(session.count, 2);
    assert.equal(session._latchkey, undefined, 'no record for a user the app does not have');
  });

  test('"remember me" is Flask\'s permanent session: _permanent and a cookie for PERMANENT_SESSION_LIFETIME', async () => {
    const app = await flaskApp();
    await signUp(new Client(app), 'alice');
    const client = new Client(app);
    await client.get('/users/login');
    const response = await client.post('/users/login', { username: 'alice', password: 'correct horse battery', remember: 'on' });
    assert.equal(flaskSession(client)?._permanent, true);
    const setCookie = [response.headers['set-cookie']].flat().find((header) => String(header).startsWith('session='));
    assert.match(String(setCookie), new RegExp(`Max-Age=${MONTH_SECONDS}`));
  });

  test('a login still ends at the absolute limit, however busy on Latchkey', async () => {
    let now = Date.now();
    const client = new Client(await flaskApp({}, { now: () => now }));
    await signUp(client, 'alice');
    now += 11 * 3_600_000;
    assert.equal((await client.get('/users/welcome')).statusCode, 200);
    now += 2 * 3_600_000;
    assert.equal((await client.get('/users/welcome')).statusCode, 302);
  });

  test('Latchkey\'s own CSRF cookie still guards Latchkey\'s forms', async () => {
    const client = new Client(await flaskApp());
    await signUp(client, 'alice');
    assert.ok(client.cookies.has('latchkey_csrf'));
    const refused = await client.request({ method: 'POST', url: '/users/logout', payload: 'csrf_token=forged', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(refused.statusCode, 403);
  });
  test("a Flask-WTF token for this session is accepted on Latchkey's forms; an old one, or one signed with another key, is not", async () => {
    let now = Date.now();
    const client = new Client(await flaskApp({}, { now: () => now }));
    const raw = 'c'.repeat(40);
    asFlaskSets(client, { csrf_token: raw, count: 1 });
    const post = (token: string) => client.request({ method: 'POST', url: '/users/logout', payload: `csrf_token=${encodeURIComponent(token)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const wtf = createFlaskWtfTokens({ secretKey: FLASK_TEST_KEY });
    const stranger = createFlaskWtfTokens({ secretKey: 'another app' });
    assert.equal((await post(stranger.issue(raw, now))).statusCode, 403);
    assert.equal((await post(wtf.issue('d'.repeat(40), now))).statusCode, 403, "another session's token");
    const old = wtf.issue(raw, now);
    now += 3601_000;
    asFlaskSets(client, { csrf_token: raw, count: 1 });
    assert.equal((await post(old)).statusCode, 403, 'over an hour old, as Flask-WTF refuses it');
    assert.equal((await post(wtf.issue(raw, now))).statusCode, 302);
    asFlaskSets(client, { csrf_token: raw });
    const crossSite = await client.request({
      method: 'POST', url: '/users/logout', payload: `csrf_token=${encodeURIComponent(wtf.issue(raw, now))}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(crossSite.statusCode, 403, 'the cross-site check comes first');
  });
});
