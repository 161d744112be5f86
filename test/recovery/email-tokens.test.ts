import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { createEmailTokens } from '../../src/recovery/email-tokens.js';
import { testClock } from '../mail/mail-test-app.js';

async function tokensWithUser() {
  const database = await openDatabase('sqlite::memory:');
  after(() => database.close());
  const now = new Date().toISOString();
  const { id } = await database.db
    .insertInto('users')
    .values({ username: 'alice', username_key: 'alice', password_hash: 'hash', first_name: '', last_name: '', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const clock = testClock();
  return { tokens: createEmailTokens(database.db, clock.now), userId: id, clock };
}

test('of two uses of one token at the same moment, exactly one gets the grant', async () => {
  const { tokens, userId } = await tokensWithUser();
  const token = await tokens.issue(userId, 'password-reset', { passwordHash: 'hash' });
  const grants = await Promise.all([tokens.consume(token, ['password-reset']), tokens.consume(token, ['password-reset'])]);
  assert.equal(grants.filter(Boolean).length, 1);
  assert.equal(await tokens.peek(token, ['password-reset']), null);
});

test('a token is good only for its purpose', async () => {
  const { tokens, userId } = await tokensWithUser();
  const token = await tokens.issue(userId, 'email-verify', { email: 'a@example.com', passwordHash: 'hash' });
  assert.equal(await tokens.consume(token, ['password-reset']), null);
  assert.equal((await tokens.peek(token, ['email-verify', 'email-change']))?.email, 'a@example.com');
});

test('tokens are 256 random bits, never repeated', async () => {
  const { tokens, userId } = await tokensWithUser();
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) seen.add(await tokens.issue(userId, 'email-verify', { email: 'a@example.com', passwordHash: 'hash' }));
  assert.equal(seen.size, 50);
  for (const token of seen) assert.equal(Buffer.from(token, 'base64url').length, 32);
});
