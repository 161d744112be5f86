import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createMemorySessionStore, createMemoryThrottleStore, createPasswordHasher, createSessionManager } from 'latchkey';
import { openDatabase } from '../../src/db/database.js';
import { createAccountMail } from '../../src/recovery/account-mail.js';
import { createUserRepository } from '../../src/users/user-repository.js';
import { testConfig } from '../helpers.js';
import { PUBLIC_URL } from '../mail/mail-test-app.js';
import { linkIn, startSmtpInbox } from '../mail/smtp-inbox.js';

const quietLog = { info() {}, warn() {}, error() {}, debug() {}, fatal() {}, trace() {}, child: () => quietLog, level: 'silent', silent() {} } as never;

test('without a server, a command can send a reset link to a confirmed address (latchkey users send-reset)', async () => {
  const inbox = await startSmtpInbox();
  after(() => inbox.close());
  const database = await openDatabase('sqlite::memory:');
  after(() => database.close());
  const users = createUserRepository(database);
  const passwords = createPasswordHasher({ bcryptRounds: 4 });
  const { mailer, recovery } = createAccountMail({
    config: testConfig({ smtpUrl: inbox.url, publicUrl: PUBLIC_URL }),
    database,
    users,
    passwords,
    sessions: createSessionManager(createMemorySessionStore()),
    throttleStore: createMemoryThrottleStore(),
    log: quietLog,
    now: Date.now,
  });
  const created = await users.create({ username: 'alice', email: 'alice@example.com', passwordHash: await passwords.hash('old passphrase'), firstName: '', lastName: '' });
  assert.ok('user' in created);
  assert.equal(await recovery.passwordReset.sendLink(created.user), 'no-verified-email', 'never to an address nobody confirmed');
  await users.markEmailVerified(created.user.id, 'alice@example.com');
  assert.equal(await recovery.passwordReset.sendLink(created.user), 'sent');
  await mailer.deliverDue();
  const token = linkIn(await inbox.nextMailTo('alice@example.com', /Reset your password/), `${PUBLIC_URL}/users/password/reset/`).split('/').pop()!;
  assert.equal((await recovery.passwordReset.check(token))?.username, 'alice');
  assert.equal((await recovery.passwordReset.complete(token, 'new passphrase here')).outcome, 'reset');
  await mailer.close();
});
