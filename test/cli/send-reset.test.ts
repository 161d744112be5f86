import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { Client, PASSWORD, TEST_KEY, tempSqliteFile } from '../helpers.js';
import { createMailTestApp, pathOf, PUBLIC_URL, testClock } from '../mail/mail-test-app.js';
import { linkIn, startSmtpInbox } from '../mail/smtp-inbox.js';
import { signUpVerified } from '../recovery/support.js';

/** Runs `latchkey …` as a child process without blocking this one (the SMTP server here must answer it). */
function latchkey(env: Record<string, string>, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--conditions=latchkey-source', '--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, NODE_ENV: 'test', SECRET_KEYS: TEST_KEY, DATA_DIR: '/nonexistent', PUBLIC_URL, ...env },
    timeout: 60_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('latchkey users send-reset <username>', () => {
  test('mails the user a reset link that works in the app; refuses an unknown user or one without a confirmed address', async () => {
    const file = tempSqliteFile();
    const { app, inbox } = await createMailTestApp({ databaseUrl: `sqlite:${file}` });
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const bob = new Client(app);
    await bob.get('/users/signup');
    await bob.post('/users/signup', { username: 'bob', email: 'bob@example.com', password: PASSWORD });
    const env = { DATABASE_URL: `sqlite:${file}`, SMTP_URL: inbox.url };

    const sent = await latchkey(env, 'users', 'send-reset', 'ALICE');
    assert.equal(sent.status, 0, sent.stderr);
    assert.equal(sent.stdout, 'Sent alice a password-reset link at a***@example.com.\n');
    const reset = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset your password/), `${PUBLIC_URL}/users/password/reset/`));
    const visitor = new Client(app);
    await visitor.get(reset);
    assert.equal((await visitor.post(reset, { password: 'set from a link an admin sent' })).statusCode, 302);

    const unconfirmed = await latchkey(env, 'users', 'send-reset', 'bob');
    assert.equal(unconfirmed.status, 1);
    assert.match(unconfirmed.stderr, /^latchkey: bob has no confirmed email address: nothing sent/);
    const unknown = await latchkey(env, 'users', 'send-reset', 'nobody');
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr, 'latchkey: no user named nobody\n');
  });

  test('with the mail server down, the link waits in the queue and the running server sends it', async () => {
    const file = tempSqliteFile();
    const clock = testClock(Date.now());
    const { app, inbox } = await createMailTestApp({ databaseUrl: `sqlite:${file}` }, { now: clock.now });
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const down = await startSmtpInbox();
    await down.close();
    const queued = await latchkey({ DATABASE_URL: `sqlite:${file}`, SMTP_URL: down.url }, 'users', 'send-reset', 'alice');
    assert.equal(queued.status, 0, queued.stderr);
    assert.match(queued.stdout, /^Queued a password-reset link for alice/);
    assert.match(queued.stderr, /latchkey: mail not sent; will retry/);
    assert.deepEqual(await app.mailer.counts(), { pending: 1, failed: 0 });
    clock.advance(5 * 60_000); // past the first retry wait, whenever the command ran
    await app.mailer.deliverDue();
    const mail = await inbox.nextMailTo('alice@example.com', /Reset your password/);
    assert.ok(linkIn(mail, `${PUBLIC_URL}/users/password/reset/`));
  });
});
