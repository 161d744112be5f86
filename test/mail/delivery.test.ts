import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { createMailQueue } from '../../src/mail/mail-queue.js';
import { createMailer } from '../../src/mail/mailer.js';
import type { MailTransport } from '../../src/mail/mail-transport.js';
import { createTextSealer } from '../../src/mail/sealed-text.js';
import { Client, createTestApp, PASSWORD, readRow, tempSqliteFile, TEST_KEY } from '../helpers.js';
import { createMailTestApp, testClock } from './mail-test-app.js';
import { linkIn, startSmtpInbox } from './smtp-inbox.js';

const RETRY = { firstDelayMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 4, attemptDeadlineMs: 5_000 };

async function signUpWithEmail(client: Client, username = 'alice', email = 'alice@example.com') {
  await client.get('/users/signup');
  return client.post('/users/signup', { username, email, password: PASSWORD });
}

/** Log lines as objects, from a test app's log stream. */
function logLines() {
  const lines: Record<string, unknown>[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } };
}

describe('mail delivery', () => {
  test('a send the server refuses for now (451) does not break the page; it is retried after a wait, logged, and arrives', async () => {
    const clock = testClock();
    const log = logLines();
    const { app, inbox } = await createMailTestApp({ logLevel: 'info' }, { now: clock.now, logStream: log.stream, mail: { retry: RETRY } });
    inbox.refuseNext(1, 451);
    const signup = await signUpWithEmail(new Client(app));
    assert.equal(signup.statusCode, 302, 'the page does not wait for, or fail with, the mail');
    await app.mailer.deliverDue();
    assert.equal(inbox.attempts, 1);
    assert.deepEqual(await app.mailer.counts(), { pending: 1, failed: 0 });
    const warning = log.lines.find((line) => line.msg === 'mail not sent; will retry');
    assert.ok(warning, 'the failure is logged');
    assert.match(String(warning.reason), /451/);
    assert.equal(warning.retryInMs, 30_000);
    assert.doesNotMatch(JSON.stringify(log.lines), /alice@example\.com|\/users\/email\/confirm\/[A-Za-z0-9_-]{43}/, 'no address or link in the log');

    clock.advance(29_000);
    await app.mailer.deliverDue();
    assert.equal(inbox.attempts, 1, 'not before its time');
    clock.advance(1_000);
    await app.mailer.deliverDue();
    const mail = await inbox.nextMailTo('alice@example.com', /Confirm your email address/);
    assert.ok(linkIn(mail, 'https://latchkey.example/users/email/confirm/'));
    assert.deepEqual(await app.mailer.counts(), { pending: 0, failed: 0 }, 'a sent mail leaves the queue');
    assert.ok(log.lines.some((line) => line.msg === 'mail sent' && line.attempt === 2));
  });

  test('waits double after each failure, and the mail is given up (and logged as an error) after the last attempt', async () => {
    const clock = testClock();
    const log = logLines();
    const { app, inbox } = await createMailTestApp({ logLevel: 'info' }, { now: clock.now, logStream: log.stream, mail: { retry: RETRY } });
    inbox.refuseNext(100, 451);
    await signUpWithEmail(new Client(app));
    await app.mailer.deliverDue();
    for (const wait of [30_000, 60_000, 120_000]) {
      clock.advance(wait);
      await app.mailer.deliverDue();
    }
    assert.equal(inbox.attempts, 4);
    assert.deepEqual(await app.mailer.counts(), { pending: 0, failed: 1 });
    assert.ok(log.lines.some((line) => line.msg === 'mail given up after the last attempt' && line.level === 50));
    clock.advance(86_400_000);
    await app.mailer.deliverDue();
    assert.equal(inbox.attempts, 4, 'never tried again');
  });

  test('a permanent refusal (550) is given up at once', async () => {
    const clock = testClock();
    const { app, inbox } = await createMailTestApp({}, { now: clock.now, mail: { retry: RETRY } });
    inbox.refuseNext(1, 550);
    await signUpWithEmail(new Client(app));
    await app.mailer.deliverDue();
    clock.advance(3_600_000);
    await app.mailer.deliverDue();
    assert.equal(inbox.attempts, 1);
    assert.deepEqual(await app.mailer.counts(), { pending: 0, failed: 1 });
  });

  test('with the SMTP server down, pages work and mail waits in the queue', async () => {
    const closed = await startSmtpInbox();
    await closed.close();
    const app = await createTestApp({ smtpUrl: closed.url, publicUrl: 'https://latchkey.example' }, { mail: { retry: RETRY } });
    const alice = new Client(app);
    assert.equal((await signUpWithEmail(alice)).statusCode, 302);
    assert.equal((await alice.get('/users/welcome')).statusCode, 200);
    await app.mailer.deliverDue();
    assert.deepEqual(await app.mailer.counts(), { pending: 1, failed: 0 });
    const forgot = new Client(app);
    await forgot.get('/users/password/forgot');
    assert.equal((await forgot.post('/users/password/forgot', { login: 'alice' })).statusCode, 200);
  });

  test('a server that accepts the connection and never answers costs one attempt, ended by its deadline', { timeout: 20_000 }, async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    after(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const { port } = silent.address() as AddressInfo;
    const deadlines = { connectionMs: 300, greetingMs: 300, socketMs: 300, dnsMs: 300 };
    const app = await createTestApp({ smtpUrl: `smtp://127.0.0.1:${port}`, publicUrl: 'https://latchkey.example' }, { mail: { retry: RETRY, smtpDeadlines: deadlines } });
    assert.equal((await signUpWithEmail(new Client(app))).statusCode, 302);
    await app.mailer.deliverDue();
    assert.equal(sockets.size, 1, 'one connection was tried');
    assert.deepEqual(await app.mailer.counts(), { pending: 1, failed: 0 }, 'and the mail waits for the next');
  });

  test('queued mail is sealed: the table shows neither the address nor the link', async () => {
    const file = tempSqliteFile();
    const { app, inbox } = await createMailTestApp({ databaseUrl: `sqlite:${file}` }, { mail: { retry: RETRY } });
    inbox.refuseNext(1, 451);
    await signUpWithEmail(new Client(app));
    await app.mailer.deliverDue();
    const row = readRow<{ kind: string; sealed: string; last_error: string }>(file, 'SELECT kind, sealed, last_error FROM mail_queue');
    assert.equal(row?.kind, 'email-verify');
    assert.doesNotMatch(row!.sealed, /example|confirm|alice/i);
    const opened = createTextSealer([TEST_KEY], 'mail-queue').open(row!.sealed);
    assert.match(opened ?? '', /alice@example\.com/, 'the app opens it with its key');
    assert.equal(createTextSealer(['another key of at least thirty-two bytes!'], 'mail-queue').open(row!.sealed), null);
  });
});

describe('the mail worker', () => {
  async function queueOnMemory() {
    const database = await openDatabase('sqlite::memory:');
    after(() => database.close());
    return createMailQueue(database.db);
  }
  const quietLog = { info() {}, warn() {}, error() {}, debug() {}, fatal() {}, trace() {}, child() { return quietLog; }, level: 'silent', silent() {} } as never;

  test('a mail whose sender died mid-send is sent again once its lease runs out: at least once, never lost', async () => {
    const queue = await queueOnMemory();
    const clock = testClock();
    const sealer = createTextSealer([TEST_KEY], 'mail-queue');
    const hanging: MailTransport = { description: 'hangs', deliver: () => new Promise<void>(() => {}), close() {} };
    const first = createMailer({ queue, transport: hanging, sealer, log: quietLog, now: clock.now, retry: RETRY });
    await first.send('test', { to: 'a@example.com', subject: 'S', text: 'T', html: '<p>T</p>' });
    void first.deliverDue(); // dies here, as far as the queue can tell
    await new Promise((resolve) => setImmediate(resolve));

    const delivered: string[] = [];
    const working: MailTransport = { description: 'works', deliver: async (mail) => void delivered.push(mail.to), close() {} };
    const second = createMailer({ queue, transport: working, sealer, log: quietLog, now: clock.now, retry: RETRY });
    await second.deliverDue();
    assert.deepEqual(delivered, [], 'not while the first sender may still be at it');
    clock.advance(RETRY.attemptDeadlineMs * 2);
    await second.deliverDue();
    assert.deepEqual(delivered, ['a@example.com']);
    assert.deepEqual(await queue.counts(), { pending: 0, failed: 0 });
  });

  test('a transport that ignores its own deadlines is cut off by the attempt deadline', async () => {
    const queue = await queueOnMemory();
    const clock = testClock();
    const sealer = createTextSealer([TEST_KEY], 'mail-queue');
    const stubborn: MailTransport = {
      description: 'stubborn',
      deliver: (_mail, signal) => new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
      close() {},
    };
    const mailer = createMailer({ queue, transport: stubborn, sealer, log: quietLog, now: clock.now, retry: { ...RETRY, attemptDeadlineMs: 50 } });
    await mailer.send('test', { to: 'a@example.com', subject: 'S', text: 'T', html: '<p>T</p>' });
    assert.deepEqual(await mailer.deliverDue(), { sent: 0, retrying: 1, failed: 0 });
  });

  test('a mail that cannot be queued is logged, and the caller goes on', async () => {
    const errors: unknown[] = [];
    const log = { ...(quietLog as object), error: (...args: unknown[]) => void errors.push(args) } as never;
    const broken = { add: () => Promise.reject(new Error('disk full')) } as never;
    const mailer = createMailer({ queue: broken, transport: { description: 'x', deliver: async () => {}, close() {} }, sealer: createTextSealer([TEST_KEY], 'q'), log, now: Date.now });
    await mailer.send('test', { to: 'a@example.com', subject: 'S', text: 'T', html: 'T' });
    assert.equal(errors.length, 1);
  });
});
