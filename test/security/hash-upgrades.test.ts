import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hash as argon2Hash } from '@node-rs/argon2';
import SQLite from 'better-sqlite3';
import bcrypt from 'bcrypt';
import type { Config } from '../../src/config.js';
import { usernameKey } from '../../src/username-key.js';
import { createTestApp, logIn, readRow, tempSqliteFile } from '../helpers.js';
import { ClientAt, NO_THROTTLE } from './support.js';

/**
 * A hash of 'flask secret' in Flask-Bcrypt's format: `generate_password_hash` calls pyca/bcrypt's
 * `hashpw(password, gensalt(12))`, which writes `$2b$12$`, 22 characters of salt and 31 of hash.
 * (This one was made with the native bcrypt binding, which writes the same format.)
 */
const FLASK_BCRYPT_HASH = '$2b$12$Ukme5sgunbuprO0416ClI.kFEhz.1uohMxiItKWR/ZuULFmslOLOe';
/** Test vectors of pyca/bcrypt, the library Flask-Bcrypt wraps (tests/test_bcrypt.py). */
const PYCA_2B = { password: 'Kk4DQuMMfZL9o', hash: '$2b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm' };
const PYCA_2A = { password: 'U*U', hash: '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW' };

/** An app over a SQLite file the test can read and write behind its back. */
async function appWithUsers(config: Partial<Config>, users: Record<string, string>) {
  const file = tempSqliteFile();
  const app = await createTestApp({ databaseUrl: `sqlite:${file}`, loginThrottle: NO_THROTTLE, ...config });
  const db = new SQLite(file);
  const insert = db.prepare("INSERT INTO users (username, username_key, password_hash, first_name, last_name, created_at, updated_at) VALUES (?, ?, ?, '', '', '2020-01-01', '2020-01-01')");
  for (const [username, hash] of Object.entries(users)) insert.run(username, usernameKey(username), hash);
  db.close();
  const storedHash = (username: string) =>
    readRow<{ password_hash: string }>(file, 'SELECT password_hash FROM users WHERE username = ?', username)!.password_hash;
  return { client: new ClientAt(app, '198.51.100.7'), storedHash };
}

describe('hashes made elsewhere', () => {
  test('a Flask-Bcrypt hash ($2b$12$) verifies, and at the same cost is left alone', async () => {
    const { client, storedHash } = await appWithUsers({ bcryptRounds: 12 }, { flask: FLASK_BCRYPT_HASH });
    assert.equal((await logIn(client, 'flask', 'flask secret')).statusCode, 302);
    assert.equal(storedHash('flask'), FLASK_BCRYPT_HASH);
  });

  test('pyca/bcrypt $2b$ and OpenBSD-era $2a$ hashes verify', async () => {
    const { client } = await appWithUsers({}, { b: PYCA_2B.hash, a: PYCA_2A.hash });
    assert.equal((await logIn(client, 'b', PYCA_2B.password)).statusCode, 302);
    await client.post('/users/logout');
    assert.equal((await logIn(client, 'a', PYCA_2A.password)).statusCode, 302);
    await client.post('/users/logout');
    assert.equal((await logIn(client, 'a', 'U*U*')).statusCode, 401);
  });

  test("PHP's $2y$ hashes verify", async () => {
    const php = (await bcrypt.hash('php secret', 4)).replace(/^\$2b\$/, '$2y$');
    const { client } = await appWithUsers({}, { php });
    assert.equal((await logIn(client, 'php', 'php secret')).statusCode, 302);
  });

  test('a corrupt stored hash is a failed login, not an error page', async () => {
    const { client } = await appWithUsers({}, { broken: '$2b$12$short', empty: '' });
    assert.equal((await logIn(client, 'broken', 'anything at all')).statusCode, 401);
    assert.equal((await logIn(client, 'empty', 'anything at all')).statusCode, 401);
  });
});

describe('upgrades at login', () => {
  test('a bcrypt hash at cost 10 becomes cost 12 at the next login, and still works', async () => {
    const { client, storedHash } = await appWithUsers({ bcryptRounds: 12 }, { old: await bcrypt.hash('old secret', 10) });
    assert.equal((await logIn(client, 'old', 'old secret')).statusCode, 302);
    assert.match(storedHash('old'), /^\$2b\$12\$/);
    await client.post('/users/logout');
    assert.equal((await logIn(client, 'old', 'old secret')).statusCode, 302);
  });

  test('a wrong password upgrades nothing', async () => {
    const old = await bcrypt.hash('old secret', 10);
    const { client, storedHash } = await appWithUsers({ bcryptRounds: 12 }, { old });
    assert.equal((await logIn(client, 'old', 'a guess')).statusCode, 401);
    assert.equal(storedHash('old'), old);
  });

  test('with argon2id configured, bcrypt hashes (Flask-Bcrypt too) become argon2id at login', async () => {
    const { client, storedHash } = await appWithUsers({ passwordHash: 'argon2id' }, { flask: FLASK_BCRYPT_HASH });
    assert.equal((await logIn(client, 'flask', 'flask secret')).statusCode, 302);
    assert.match(storedHash('flask'), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await client.post('/users/logout');
    assert.equal((await logIn(client, 'flask', 'flask secret')).statusCode, 302);
    await client.post('/users/logout');
    assert.equal((await logIn(client, 'flask', 'flask secrets')).statusCode, 401);
  });

  test('an argon2id hash with weaker parameters is upgraded to the current ones', async () => {
    const weak = await argon2Hash('weak secret', { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    const { client, storedHash } = await appWithUsers({ passwordHash: 'argon2id' }, { weak });
    assert.equal((await logIn(client, 'weak', 'weak secret')).statusCode, 302);
    assert.match(storedHash('weak'), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  test('going back from argon2id to bcrypt still lets argon2id users in, and rehashes them', async () => {
    const current = await argon2Hash('argon secret', { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    const { client, storedHash } = await appWithUsers({ passwordHash: 'bcrypt', bcryptRounds: 4 }, { argon: current });
    assert.equal((await logIn(client, 'argon', 'argon secret')).statusCode, 302);
    assert.match(storedHash('argon'), /^\$2b\$04\$/);
  });

  test('new accounts get the configured algorithm', async () => {
    const { client, storedHash } = await appWithUsers({ passwordHash: 'argon2id' }, {});
    await client.get('/users/signup');
    assert.equal((await client.post('/users/signup', { username: 'new', password: 'purple monkey dishwasher' })).statusCode, 302);
    assert.match(storedHash('new'), /^\$argon2id\$/);
  });
});
