import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, countRows, createTestApp, flashes, logIn, PASSWORD, signUp, tempSqliteFile } from '../helpers.js';

const INVALID = 'Invalid submission. Please try again.';

async function trySignUp(client: Client, username: string) {
  await client.get('/users/signup');
  return client.post('/users/signup', { username, password: PASSWORD });
}

describe('usernames are unique regardless of case and lookalike letters', () => {
  test('a case variant of a taken username is refused at signup, with the form flash and a field error', async () => {
    const app = await createTestApp();
    await signUp(new Client(app), 'Admin');
    for (const variant of ['admin', 'ADMIN', 'aDmIn']) {
      const response = await trySignUp(new Client(app), variant);
      assert.equal(response.statusCode, 409, variant);
      assert.deepEqual(flashes(response.body), [INVALID]);
      assert.match(response.body, /That username is taken/, variant);
    }
  });

  test('a lookalike of a taken username is refused at signup and the field error says why', async () => {
    const app = await createTestApp();
    await signUp(new Client(app), 'Il');
    await signUp(new Client(app), 'modern');
    await signUp(new Client(app), 'bob0');
    for (const lookalike of ['lI', 'll', '11', 'I1', 'rnodern', 'modem', 'bobO', 'b0b0']) {
      const response = await trySignUp(new Client(app), lookalike);
      assert.equal(response.statusCode, 409, lookalike);
      assert.deepEqual(flashes(response.body), [INVALID]);
      assert.match(response.body, /looks too much like a username already taken/, lookalike);
      assert.match(response.body, new RegExp(`value="${lookalike}"`), 'what was typed is kept');
    }
  });

  test('different names that merely share letters are still welcome', async () => {
    const app = await createTestApp();
    await signUp(new Client(app), 'Admin');
    for (const name of ['Admins', 'adm', 'bdmin', 'admin_2']) assert.equal((await trySignUp(new Client(app), name)).statusCode, 302, name);
  });

  test('a profile cannot be renamed to a case variant or a lookalike of another user', async () => {
    const app = await createTestApp();
    await signUp(new Client(app), 'Admin');
    const mallory = new Client(app);
    const id = await signUp(mallory, 'mallory');
    for (const [name, message] of [['admin', /That username is taken/], ['AdrnIn', /looks too much like a username already taken/]] as const) {
      await mallory.get(`/users/${id}/edit`);
      const response = await mallory.post(`/users/${id}?_method=PATCH`, { username: name });
      assert.equal(response.statusCode, 409, name);
      assert.deepEqual(flashes(response.body), [INVALID]);
      assert.match(response.body, message, name);
    }
    assert.match((await mallory.get(`/users/${id}`)).body, /<h1>mallory<\/h1>/);
  });

  test('you may change the case or the lookalike letters of your own username', async () => {
    const app = await createTestApp();
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    await alice.get(`/users/${id}/edit`);
    const response = await alice.post(`/users/${id}?_method=PATCH`, { username: 'AIice' });
    assert.equal(response.statusCode, 302);
    assert.match((await alice.get(`/users/${id}`)).body, /<h1>AIice<\/h1>/, 'the spelling chosen is the one shown');
  });

  test('concurrent signups of lookalikes: exactly one succeeds (the database decides)', async () => {
    const file = tempSqliteFile();
    const app = await createTestApp({ databaseUrl: `sqlite:${file}` });
    const names = ['Racer', 'racer', 'RACER', 'rAcEr', 'Racer', 'racer'];
    const clients = names.map(() => new Client(app));
    await Promise.all(clients.map((client) => client.get('/users/signup')));
    const responses = await Promise.all(clients.map((client, i) => client.post('/users/signup', { username: names[i]!, password: PASSWORD })));
    assert.deepEqual(responses.map((response) => response.statusCode).sort(), [302, 409, 409, 409, 409, 409]);
    assert.equal(countRows(file, 'users'), 1);
  });
});

describe('login ignores the case of the username', () => {
  test('logs in with any case and keeps the spelling chosen at signup', async () => {
    const app = await createTestApp();
    const client = new Client(app);
    const id = await signUp(client, 'MixedCase');
    await client.post('/users/logout');
    for (const typed of ['mixedcase', 'MIXEDCASE', 'mIxEdCaSe']) {
      const response = await logIn(client, typed);
      assert.equal(response.statusCode, 302, typed);
      const welcome = await client.follow(response);
      assert.match(welcome.body, new RegExp(`<a id="who" href="/users/${id}">MixedCase</a>`));
      await client.post('/users/logout');
    }
  });

  test('a lookalike is not the same name at login: ll does not log into Il', async () => {
    const app = await createTestApp();
    const client = new Client(app);
    await signUp(client, 'Il');
    await client.post('/users/logout');
    assert.equal((await logIn(client, 'll')).statusCode, 401);
    assert.equal((await logIn(client, 'iL')).statusCode, 302);
  });
});
