import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dictionary } from '@zxcvbn-ts/language-common';
import { commonPasswordCount, MAX_PASSWORD_BYTES, passwordProblem } from 'latchkey';
import { PASSWORD, createTestApp, flashes, logIn, signUp } from '../helpers.js';
import { ClientAt, NO_THROTTLE } from './support.js';

const EMOJI = '🔑'; // 1 character, 4 UTF-8 bytes
/** 18 different emoji: 72 bytes that are not one character repeated (which zxcvbn rightly calls weak). */
const EIGHTEEN_EMOJI = '🔑🦊🌵🎻🚲🧭🍋🐙🪁🛶🧩🍄🐝🎈🪐🦉🌶🧲';

async function trySignup(password: string) {
  const app = await createTestApp({ loginThrottle: NO_THROTTLE });
  const client = new ClientAt(app, '198.51.100.7');
  await client.get('/users/signup');
  const response = await client.post('/users/signup', { username: 'alice', password });
  const error = /class="field-error" id="field-password-error">(?:<span[^>]*>Error: <\/span>)?([^<]*)</.exec(response.body)?.[1];
  return { app, client, response, error: error?.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&') };
}

describe('password length', () => {
  test('72 bytes of emoji are accepted, and that password logs in', async () => {
    const password = EIGHTEEN_EMOJI;
    assert.equal(Buffer.byteLength(password), MAX_PASSWORD_BYTES);
    const { client, response } = await trySignup(password);
    assert.equal(response.statusCode, 302);
    await client.post('/users/logout');
    assert.equal((await logIn(client, 'alice', password)).statusCode, 302);
  });

  test('73 bytes are refused with a message that counts bytes, though only 19 characters', async () => {
    const { response, error } = await trySignup(`${EIGHTEEN_EMOJI}x`);
    assert.equal(response.statusCode, 422);
    assert.deepEqual(flashes(response.body), ['Invalid submission. Please try again.']);
    assert.match(error ?? '', /at most 72 bytes \(this one has 73; accented letters and emoji take 2 to 4 bytes each\)/);
  });

  test('fewer than 8 characters are refused, counted as characters', async () => {
    const { response, error } = await trySignup(EMOJI.repeat(7));
    assert.equal(response.statusCode, 422);
    assert.equal(error, 'Use at least 8 characters.');
  });

  test('a password longer than 72 bytes never logs in on its first 72 alone', async () => {
    const password = 'a sentence that is exactly seventy-two bytes long, counted carefully ok!';
    assert.equal(Buffer.byteLength(password), 72);
    const { client, response } = await trySignup(password);
    assert.equal(response.statusCode, 302);
    await client.post('/users/logout');
    // bcrypt reads 72 bytes: without the check, anything after them would be ignored
    assert.equal((await logIn(client, 'alice', `${password} and more`)).statusCode, 401);
  });
});

describe('common passwords', () => {
  test('a common password is refused with a helpful message', async () => {
    const { response, error } = await trySignup('iloveyou');
    assert.equal(response.statusCode, 422);
    assert.match(error ?? '', /one of the most common passwords/);
    assert.match(error ?? '', /a few unrelated words make a strong one/);
    assert.equal((await trySignup('Password123')).response.statusCode, 422, 'capitals do not make it less common');
  });

  test('every one of the 3000 most common passwords that meets the length rule is refused', () => {
    assert.ok(commonPasswordCount() >= 3000);
    const top = dictionary['passwords-common'].slice(0, 3000).filter((password) => [...password].length >= 8);
    assert.ok(top.length > 500);
    for (const password of top) assert.notEqual(passwordProblem(password), null, password);
  });

  test('there are no composition rules: lowercase words and spaces are fine', async () => {
    assert.equal((await trySignup('purple monkey dishwasher')).response.statusCode, 302);
    assert.equal((await trySignup('zxqvbnmwplk')).response.statusCode, 302);
    assert.equal(passwordProblem('éléphant rose'), null);
  });
});

describe('weak passwords', () => {
  test('easily guessed passwords are refused with zxcvbn\'s advice as the message', async () => {
    const cases = {
      aaaaaaaa: /^This password is too easy to guess\. Repeated characters like "aaa" are easy to guess\./,
      'Summer2024!': /^This password is too easy to guess\. .*Add more words that are less common\./,
      'Passw0rd!': /^This password is too easy to guess\. This is similar to a commonly used password\./,
      'qwertyuiop[]': /^This password is too easy to guess\. Straight rows of keys on your keyboard are easy to guess\./,
    };
    for (const [password, message] of Object.entries(cases)) {
      const { response, error } = await trySignup(password);
      assert.equal(response.statusCode, 422, password);
      assert.deepEqual(flashes(response.body), ['Invalid submission. Please try again.']);
      assert.match(error ?? '', message, password);
      assert.doesNotMatch(error ?? '', / {2}/, 'one space between sentences');
    }
  });

  test('a password containing the username is refused, whatever its case', async () => {
    for (const password of ['alice2024!x', 'xyzzy-ALICE-plugh', 'my name is Alice and this is long']) {
      const { response, error } = await trySignup(password);
      assert.equal(response.statusCode, 422, password);
      assert.match(error ?? '', /must not contain your username/, password);
    }
  });

  test('the names on the form count as known to an attacker', () => {
    assert.equal(passwordProblem('QuillonbyDravenhart'), null, 'strong enough for a stranger');
    assert.match(passwordProblem('QuillonbyDravenhart', { username: 'qd', userInputs: ['Quillonby', 'Dravenhart'] }) ?? '', /too easy to guess/);
  });

  test('strong passwords pass', () => {
    for (const password of [PASSWORD, 'purple monkey dishwasher', 'Tr0ub4dour&3', 'kx8#Lm2!qz9P']) assert.equal(passwordProblem(password), null, password);
  });

  test('a weak start is not hidden behind a long tail: the first 32 characters are judged', () => {
    // zxcvbn's cost grows steeply with length and the input is the attacker's, so it reads 32 characters
    assert.match(passwordProblem(`${'a'.repeat(32)}kx8#Lm2!qz9P`) ?? '', /too easy to guess/);
    assert.equal(passwordProblem(`purple monkey dishwasher ${'a'.repeat(40)}`), null);
  });
});

describe('changing the password', () => {
  async function aliceEditing() {
    const app = await createTestApp({ loginThrottle: NO_THROTTLE });
    const alice = new ClientAt(app, '198.51.100.7');
    const id = await signUp(alice, 'alice');
    await alice.get(`/users/${id}/edit`);
    return { alice, id };
  }

  test('the edit form asks for the current password', async () => {
    const { alice, id } = await aliceEditing();
    const form = (await alice.get(`/users/${id}/edit`)).body;
    assert.match(form, /<input type="password" id="field-current_password" name="current_password" autocomplete="current-password"/);
  });

  test('a new password without the current one is refused, and the old password still works', async () => {
    const { alice, id } = await aliceEditing();
    const response = await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', password: 'a brand new secret' });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /Enter your current password to set a new one\./);
    await alice.post('/users/logout');
    assert.equal((await logIn(alice, 'alice', PASSWORD)).statusCode, 302);
  });

  test('a wrong current password is refused', async () => {
    const { alice, id } = await aliceEditing();
    const response = await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', password: 'a brand new secret', current_password: 'a guess' });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /That is not your current password\./);
    await alice.post('/users/logout');
    assert.equal((await logIn(alice, 'alice', 'a brand new secret')).statusCode, 401);
  });

  test('with the current password the new one replaces it', async () => {
    const { alice, id } = await aliceEditing();
    const response = await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', password: 'a brand new secret', current_password: PASSWORD });
    assert.equal(response.statusCode, 302);
    assert.deepEqual(flashes((await alice.follow(response)).body), ['User Updated!']);
    await alice.post('/users/logout');
    assert.equal((await logIn(alice, 'alice', PASSWORD)).statusCode, 401);
    assert.equal((await logIn(alice, 'alice', 'a brand new secret')).statusCode, 302);
  });

  test('a weak password is refused on change too', async () => {
    const { alice, id } = await aliceEditing();
    const response = await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', password: 'Summer2024!', current_password: PASSWORD });
    assert.equal(response.statusCode, 422);
    assert.match(response.body, /This password is too easy to guess/);
  });

  test('a common password is refused on change too', async () => {
    const { alice, id } = await aliceEditing();
    const response = await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', password: 'sunshine1', current_password: PASSWORD });
    assert.equal(response.statusCode, 422);
    assert.match(response.body, /one of the most common passwords/);
  });

  test('changing only the name needs no password', async () => {
    const { alice, id } = await aliceEditing();
    const response = await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', first_name: 'Alicia' });
    assert.equal(response.statusCode, 302);
  });
});
