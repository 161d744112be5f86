import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'latchkey-config-'));
const PRODUCTION_MAIL = { PUBLIC_URL: 'https://latchkey.example', SMTP_URL: 'smtp://mail.example:587' };

test('with no configuration it serves SQLite in DATA_DIR on 127.0.0.1:3000', () => {
  const dir = freshDir();
  const config = loadConfig({ DATA_DIR: dir });
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.databaseUrl, `sqlite:${join(dir, 'latchkey.db')}`);
  assert.equal(config.sessionMode, 'server');
  assert.equal(config.bcryptRounds, 12);
  assert.equal(config.secureCookies, false);
});

test('generates a development key once, private to its owner, and reuses it on restart', () => {
  const dir = freshDir();
  const first = loadConfig({ DATA_DIR: dir });
  const second = loadConfig({ DATA_DIR: dir });
  assert.deepEqual(first.secretKeys, second.secretKeys);
  assert.ok(Buffer.byteLength(first.secretKeys[0]!) >= 32);
  assert.equal(readFileSync(join(dir, 'secret-key'), 'utf8').trim(), first.secretKeys[0]);
  assert.equal(statSync(join(dir, 'secret-key')).mode & 0o777, 0o600);
});

test('production refuses a missing secret and says what to set', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: freshDir() }), (error: Error) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /SECRET_KEYS: required in production/);
    return true;
  });
});

test('refuses a secret shorter than 32 bytes, naming which one', () => {
  const good = 'k'.repeat(32);
  assert.throws(() => loadConfig({ SECRET_KEYS: `${good},short` }), /SECRET_KEYS: key 2 is shorter than 32 bytes/);
});

test('reads several keys, newest first, and marks production cookies secure', () => {
  const config = loadConfig({ ...PRODUCTION_MAIL, NODE_ENV: 'production', SECRET_KEYS: `${'a'.repeat(32)}, ${'b'.repeat(40)}` });
  assert.deepEqual(config.secretKeys, ['a'.repeat(32), 'b'.repeat(40)]);
  assert.equal(config.secureCookies, true);
});

test('a wrong value stops the start with one line naming the variable', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /^ConfigError: PORT: /);
  assert.throws(() => loadConfig({ SESSION_MODE: 'cookie' }), /SESSION_MODE: /);
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL: must start with sqlite: or postgres:\/\//);
  assert.throws(() => loadConfig({ NODE_ENV: 'production', SECRET_KEYS: 'x'.repeat(32), BCRYPT_ROUNDS: '8' }), /BCRYPT_ROUNDS/);
  assert.throws(() => loadConfig({ PUBLIC_URL: 'example.com' }), /^ConfigError: PUBLIC_URL: must be the http:\/\/ or https:\/\/ address/);
  assert.throws(() => loadConfig({ PUBLIC_URL: 'https://example.com/?next=x' }), /PUBLIC_URL: /);
  assert.throws(() => loadConfig({ SMTP_URL: 'mail.example.com:25' }), /^ConfigError: SMTP_URL: must start with smtp:\/\/ or smtps:\/\//);
  assert.throws(() => loadConfig({ MAIL_FROM: 'no address' }), /^ConfigError: MAIL_FROM: must be an address/);
});

test('an unreachable database or Redis stops the start with one line naming the variable', async () => {
  const { buildApp } = await import('../src/app.js');
  const { testConfig } = await import('./helpers.js');
  await assert.rejects(buildApp(testConfig({ databaseUrl: 'postgres://nobody:secret@127.0.0.1:1/x' })), (error: Error) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /^DATABASE_URL: cannot open postgres:\/\/\*\*\*@127\.0\.0\.1:1\/x \(/);
    assert.doesNotMatch(error.message, /secret/, 'the password is not printed');
    return true;
  });
  await assert.rejects(buildApp(testConfig({ redisUrl: 'redis://127.0.0.1:1' })), /^ConfigError: REDIS_URL: cannot connect to redis:\/\/127\.0\.0\.1:1/);
});

test('mail works with no configuration: links point where the server listens and mail goes to the outbox in DATA_DIR', () => {
  const dir = freshDir();
  const config = loadConfig({ DATA_DIR: dir });
  assert.equal(config.publicUrl, 'http://127.0.0.1:3000');
  assert.equal(config.smtpUrl, undefined);
  assert.equal(config.outboxDir, join(dir, 'outbox'));
  assert.equal(config.mailFrom, 'Latchkey <no-reply@127.0.0.1>');
  assert.equal(loadConfig({ DATA_DIR: dir, HOST: '0.0.0.0', PORT: '8080' }).publicUrl, 'http://localhost:8080');
});

test('PUBLIC_URL loses a trailing slash; MAIL_FROM defaults to an address at its host', () => {
  const config = loadConfig({ DATA_DIR: freshDir(), PUBLIC_URL: 'https://auth.example.org/', SMTP_URL: 'smtps://u:p@mail.example.org:465' });
  assert.equal(config.publicUrl, 'https://auth.example.org');
  assert.equal(config.mailFrom, 'Latchkey <no-reply@auth.example.org>');
  assert.equal(config.smtpUrl, 'smtps://u:p@mail.example.org:465');
});

test('production needs PUBLIC_URL and SMTP_URL, and says so', () => {
  const secrets = { NODE_ENV: 'production', SECRET_KEYS: 'x'.repeat(32) };
  assert.throws(() => loadConfig({ ...secrets, SMTP_URL: PRODUCTION_MAIL.SMTP_URL }), /^ConfigError: PUBLIC_URL: required in production/);
  assert.throws(() => loadConfig({ ...secrets, PUBLIC_URL: PRODUCTION_MAIL.PUBLIC_URL }), /^ConfigError: SMTP_URL: required in production/);
  assert.doesNotThrow(() => loadConfig({ ...secrets, ...PRODUCTION_MAIL }));
});

test('SESSION_MODE=flask needs FLASK_SECRET_KEY and reads the Flask settings, defaults as Flask has them', () => {
  assert.throws(() => loadConfig({ SESSION_MODE: 'flask' }), /^ConfigError: FLASK_SECRET_KEY: required with SESSION_MODE=flask/);
  const config = loadConfig({ SESSION_MODE: 'flask', FLASK_SECRET_KEY: 'dev' });
  assert.deepEqual(config.flask, { secretKey: 'dev', fallbacks: [], cookieName: 'session', maxAgeSeconds: 2_678_400, adoptLogins: true, userIdKey: 'user_id' });
  const set = loadConfig({
    SESSION_MODE: 'flask', FLASK_SECRET_KEY: 'new', FLASK_SECRET_KEY_FALLBACKS: 'oldest, older', SESSION_COOKIE_NAME: 'flask_session',
    FLASK_PERMANENT_SESSION_LIFETIME: '86400', FLASK_ADOPT_LOGINS: 'false', FLASK_USER_ID_KEY: '_user_id',
  });
  assert.deepEqual(set.flask, { secretKey: 'new', fallbacks: ['oldest', 'older'], cookieName: 'flask_session', maxAgeSeconds: 86_400, adoptLogins: false, userIdKey: '_user_id' });
});

test('a Flask setting is refused outside flask mode, and a bad one names its variable', () => {
  assert.throws(() => loadConfig({ FLASK_SECRET_KEY: 'x' }), /^ConfigError: FLASK_SECRET_KEY: only used with SESSION_MODE=flask \(SESSION_MODE is server\)/);
  assert.throws(() => loadConfig({ SESSION_MODE: 'signed', SESSION_COOKIE_NAME: 's' }), /^ConfigError: SESSION_COOKIE_NAME: only used with SESSION_MODE=flask/);
  const flask = { SESSION_MODE: 'flask', FLASK_SECRET_KEY: 'k' };
  assert.throws(() => loadConfig({ ...flask, SESSION_COOKIE_NAME: 'my session' }), /^ConfigError: SESSION_COOKIE_NAME: must be a cookie name/);
  assert.throws(() => loadConfig({ ...flask, FLASK_PERMANENT_SESSION_LIFETIME: '31 days' }), /^ConfigError: FLASK_PERMANENT_SESSION_LIFETIME: /);
  assert.throws(() => loadConfig({ ...flask, FLASK_ADOPT_LOGINS: 'yes' }), /^ConfigError: FLASK_ADOPT_LOGINS: /);
  assert.throws(() => loadConfig({ ...flask, FLASK_USER_ID_KEY: 'uid' }), /^ConfigError: FLASK_USER_ID_KEY: /);
});
