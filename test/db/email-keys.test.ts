import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { createUserRepository } from '../../src/users/user-repository.js';
import { postgresSchema } from '../services.js';

function raceSuite(databaseUrl: () => Promise<string>) {
  test('the unique index, not the check before the insert, decides two sign-ups racing for one address', async () => {
    const database = await openDatabase(await databaseUrl());
    after(() => database.close());
    const users = createUserRepository(database);
    const account = (username: string, email: string) => ({ username, email, passwordHash: 'hash', firstName: '', lastName: '' });
    // both checks run before either insert: only the index can refuse the second
    const results = await Promise.all([users.create(account('one', 'Same@Example.com')), users.create(account('two', 'same@example.COM'))]);
    assert.deepEqual(results.map((result) => ('user' in result ? 'created' : result.conflict)).sort(), ['created', 'email-taken']);
    const other = await users.create(account('three', 'three@example.com'));
    assert.ok('user' in other);
    const first = results.find((result) => 'user' in result) as { user: { id: number } };
    const changed = await Promise.all([users.setEmail(first.user.id, 'next@example.com', { verified: true }), users.setEmail(other.user.id, 'NEXT@example.com', { verified: true })]);
    assert.deepEqual(changed.sort(), ['email-taken', 'updated'], 'a confirmed change of address meets the index too');
  });
}

describe('email keys on SQLite', () => {
  raceSuite(async () => 'sqlite::memory:');
});

describe('email keys on PostgreSQL', async () => {
  const schema = await postgresSchema();
  after(async () => {
    if (typeof schema !== 'string') await schema.drop();
  });
  if (typeof schema === 'string') {
    // skipped with its reason where PostgreSQL is absent; under CI=true it must be there
    test('runs against PostgreSQL', { skip: process.env.CI ? false : schema }, () => assert.fail(schema));
    return;
  }
  raceSuite(async () => schema.url);
});
