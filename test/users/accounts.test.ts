import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, countRows, readRow, createTestApp, flashes, logIn, PASSWORD, signUp, tempSqliteFile } from '../helpers.js';

describe('signup', () => {
  test('creates the account, logs the user in and greets them on the welcome page', async () => {
    const client = new Client(await createTestApp());
    await client.get('/users/signup');
    const response = await client.post('/users/signup', { username: 'alice', password: PASSWORD, first_name: 'Alice', last_name: 'Liddell' });
    assert.equal(response.statusCode, 302);
    assert.equal(response.location, '/users/welcome');
    const welcome = await client.follow(response);
    assert.deepEqual(flashes(welcome.body), ['User Created!']);
    assert.match(welcome.body, /Welcome, alice!/);
    assert.match(welcome.body, /href="\/users\/1"/);
  });

  test('shows the flash only once', async () => {
    const client = new Client(await createTestApp());
    await signUp(client, 'alice');
    assert.deepEqual(flashes((await client.get('/users/welcome')).body), []);
  });

  test('stores a bcrypt hash, never the password', async () => {
    const file = tempSqliteFile();
    const client = new Client(await createTestApp({ databaseUrl: `sqlite:${file}` }));
    await signUp(client, 'alice');
    const { password_hash } = readRow<{ password_hash: string }>(file, 'SELECT password_hash FROM users')!;
    assert.match(password_hash, /^\$2b\$04\$/);
    assert.ok(!password_hash.includes(PASSWORD));
  });

  test('a taken username re-renders the form with the flash and keeps what was typed, but not the password', async () => {
    const client = new Client(await createTestApp());
    await signUp(client, 'alice');
    const other = new Client(client.app);
    await other.get('/users/signup');
    const response = await other.post('/users/signup', { username: 'alice', password: PASSWORD, first_name: 'Second' });
    assert.equal(response.statusCode, 409);
    assert.deepEqual(flashes(response.body), ['Invalid submission. Please try again.']);
    assert.match(response.body, /That username is taken/);
    assert.match(response.body, /value="Second"/);
    assert.ok(!response.body.includes(PASSWORD));
  });

  test('invalid submissions are refused with a 422 and a message for each field', async () => {
    const client = new Client(await createTestApp());
    await client.get('/users/signup');
    const cases: [Record<string, string>, RegExp][] = [
      [{ username: '', password: PASSWORD }, /Use 1 to 64 letters/],
      [{ username: 'has space', password: PASSWORD }, /Use 1 to 64 letters/],
      [{ username: 'x'.repeat(65), password: PASSWORD }, /Use 1 to 64 letters/],
      [{ username: 'alice' }, /at least 8 characters/],
      [{ username: 'alice', password: 'short' }, /at least 8 characters/],
      [{ username: 'alice', password: PASSWORD, first_name: 'x'.repeat(101) }, /at most 100 characters/],
    ];
    for (const [form, message] of cases) {
      const response = await client.post('/users/signup', form);
      assert.equal(response.statusCode, 422, JSON.stringify(form));
      assert.match(response.body, message);
      assert.deepEqual(flashes(response.body), ['Invalid submission. Please try again.']);
    }
    assert.equal((await client.get('/users/welcome')).statusCode, 302, 'nobody got logged in');
  });

  test('a password over 72 bytes is refused, counted in bytes, not characters', async () => {
    const client = new Client(await createTestApp());
    await client.get('/users/signup');
    const emoji = '🔑'.repeat(19); // 19 characters, 76 bytes
    const refused = await client.post('/users/signup', { username: 'alice', password: emoji });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /at most 72 bytes \(this one has 76/);
    const fits = '🔑🦊🌵🎻🚲🧭🍋🐙🪁🛶🧩🍄🐝🎈🪐🦉🌶🧲'; // 72 bytes, 18 different emoji (one repeated is a weak password)
    assert.equal((await client.post('/users/signup', { username: 'alice', password: fits })).statusCode, 302);
    await client.post('/users/logout');
    assert.equal((await logIn(client, 'alice', fits)).statusCode, 302);
  });

  test('two concurrent signups for one username: exactly one succeeds', async () => {
    const file = tempSqliteFile();
    const app = await createTestApp({ databaseUrl: `sqlite:${file}` });
    const clients = Array.from({ length: 6 }, () => new Client(app));
    await Promise.all(clients.map((client) => client.get('/users/signup')));
    const responses = await Promise.all(clients.map((client) => client.post('/users/signup', { username: 'racer', password: PASSWORD })));
    const statuses = responses.map((response) => response.statusCode).sort();
    assert.deepEqual(statuses, [302, 409, 409, 409, 409, 409]);
    assert.equal(countRows(file, 'users'), 1);
  });
});

describe('login', () => {
  test('logs in with the right password and flashes success', async () => {
    const client = new Client(await createTestApp());
    await signUp(client, 'alice');
    await client.post('/users/logout');
    const response = await logIn(client, 'alice');
    assert.equal(response.location, '/users/welcome');
    assert.deepEqual(flashes((await client.follow(response)).body), ["You've successfully logged in!"]);
  });

  test('a wrong password and an unknown user get the same 401 page', async () => {
    const client = new Client(await createTestApp());
    await signUp(client, 'alice');
    await client.post('/users/logout');
    const wrong = await logIn(client, 'alice', 'not the password');
    const unknown = await logIn(client, 'nobody', 'not the password');
    for (const response of [wrong, unknown]) {
      assert.equal(response.statusCode, 401);
      assert.deepEqual(flashes(response.body), ['Invalid credentials. Please try again.']);
    }
    const normalise = (body: string, name: string) => body.replace(/value="[^"]*"/g, '').replace(name, '');
    assert.equal(normalise(wrong.body, 'alice'), normalise(unknown.body, 'nobody'));
    assert.equal((await client.get('/users/welcome')).statusCode, 302);
  });

  test('follows a safe `next` after login, and ignores one that leaves the site', async () => {
    const client = new Client(await createTestApp());
    await signUp(client, 'alice');
    await client.post('/users/logout');
    const guarded = await client.get('/users');
    assert.equal(guarded.location, '/users/login?next=%2Fusers');
    const form = await client.follow(guarded);
    assert.match(form.body, /name="next" value="\/users"/);
    const response = await client.post('/users/login', { username: 'alice', password: PASSWORD, next: '/users' });
    assert.equal(response.location, '/users');
    await client.post('/users/logout');
    await client.get('/users/login');
    const evil = await client.post('/users/login', { username: 'alice', password: PASSWORD, next: '//evil.example' });
    assert.equal(evil.location, '/users/welcome');
  });
});

describe('welcome and logout', () => {
  test('the welcome page is only for logged-in users', async () => {
    const client = new Client(await createTestApp());
    const response = await client.get('/users/welcome');
    assert.equal(response.statusCode, 302);
    assert.match(response.location!, /^\/users\/login/);
    assert.deepEqual(flashes((await client.follow(response)).body), ['Please log in first']);
  });

  test('GET /users/logout shows a button and changes nothing', async () => {
    const client = new Client(await createTestApp());
    await signUp(client, 'alice');
    const page = await client.get('/users/logout');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="post" action="\/users\/logout">/);
    assert.equal((await client.get('/users/welcome')).statusCode, 200);
  });

  test('POST /users/logout signs out and says so on the login page', async () => {
    const client = new Client(await createTestApp());
    await signUp(client, 'alice');
    const response = await client.post('/users/logout');
    assert.equal(response.location, '/users/login');
    assert.deepEqual(flashes((await client.follow(response)).body), ['You have been signed out.']);
    assert.equal((await client.get('/users/welcome')).statusCode, 302);
  });

  test('the navigation shows who is logged in, with a log-out button', async () => {
    const client = new Client(await createTestApp());
    await signUp(client, 'alice');
    const page = await client.get('/');
    assert.match(page.body, /<a id="who" href="\/users\/1">alice<\/a>/);
    assert.match(page.body, /action="\/users\/logout"/);
    await client.post('/users/logout');
    const anonymous = await client.get('/');
    assert.match(anonymous.body, /href="\/users\/login">Log in/);
    assert.doesNotMatch(anonymous.body, /id="who"/);
  });
});
