import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { after, describe, test } from 'node:test';
import { ConfigError } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { defaultPostgresUser, withPostgresUser } from '../../src/db/postgres-user.js';
import { POSTGRES_URL, postgresSchema } from '../services.js';

const noOsUser = () => {
  throw new Error('no passwd entry for uid 4242');
};

describe('a postgres:// URL without a user', () => {
  test('connects as libpq would: PGUSER, then the system user, then postgres', () => {
    assert.equal(defaultPostgresUser({ PGUSER: 'app', USER: 'me' }, () => 'me'), 'app');
    assert.equal(defaultPostgresUser({}, () => 'me'), 'me', 'the system user, even with $USER unset');
    assert.equal(defaultPostgresUser({}, noOsUser), 'postgres');
    assert.equal(defaultPostgresUser({}, () => ''), 'postgres');
  });

  test('the user is written into the URL; a user the URL names is kept', () => {
    assert.equal(withPostgresUser('postgres://127.0.0.1/test', { PGUSER: 'app' }), 'postgres://app@127.0.0.1/test');
    assert.equal(withPostgresUser('postgresql://[::1]:5433/test?sslmode=require', {}, () => 'me'), 'postgresql://me@[::1]:5433/test?sslmode=require');
    assert.equal(withPostgresUser('postgres://127.0.0.1/test', {}, () => 'd@ve'), 'postgres://d%40ve@127.0.0.1/test');
    assert.equal(withPostgresUser('postgres:///test?host=/run/postgresql', { PGUSER: 'app' }), 'postgres:///test?host=%2Frun%2Fpostgresql&user=app', 'a socket URL has only its query for a user');
    for (const named of ['postgres://bob@127.0.0.1/test', 'postgres://bob:secret@127.0.0.1/test', 'postgres://127.0.0.1/test?user=bob']) {
      assert.equal(withPostgresUser(named, { PGUSER: 'app' }), named);
    }
  });
});

describe('opening PostgreSQL from a URL without a user', async () => {
  const schema = await postgresSchema();
  if (typeof schema === 'string') {
    test('runs against PostgreSQL', { skip: process.env.CI ? false : schema }, () => assert.fail(schema));
    return;
  }
  after(() => schema.drop());
  const withoutUser = schema.url.replace(/\/\/[^@/]*@/, '//');
  const savedEnv = { PGUSER: process.env.PGUSER, USER: process.env.USER };
  after(() => Object.assign(process.env, savedEnv));

  test('starts with PGUSER when $USER is unset', async () => {
    assert.match(POSTGRES_URL, /\/\/postgres@/, 'the test database lets postgres in');
    delete process.env.USER;
    process.env.PGUSER = 'postgres';
    const database = await openDatabase(withoutUser);
    await database.close();
  });

  test('with neither PGUSER nor $USER set, the system user is sent, never no user at all', async () => {
    delete process.env.USER;
    delete process.env.PGUSER;
    const outcome = await openDatabase(withoutUser).then(
      (database) => database.close().then(() => 'opened'),
      (error: Error) => error.message,
    );
    if (outcome !== 'opened') {
      assert.doesNotMatch(outcome, /no PostgreSQL user name specified/);
      assert.match(outcome, new RegExp(`"${userInfo().username}" was tried`));
    }
  });

  test('a refused login says which user was tried and how to name one, in one line with single spaces', async () => {
    delete process.env.USER;
    process.env.PGUSER = 'no_such_role_latchkey';
    const error = await openDatabase(withoutUser).then(
      () => assert.fail('opened'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /^DATABASE_URL: cannot open postgres:\/\/127\.0\.0\.1/);
    assert.match(error.message, /"no_such_role_latchkey" was tried \(PGUSER, else the system user\): name one in DATABASE_URL \(postgres:\/\/USER@host\/db\) or set PGUSER\)$/);
    assert.doesNotMatch(error.message, / {2}|\n/);
  });
});
