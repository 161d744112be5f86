import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Client, createTestApp, flashes, logIn, PASSWORD } from '../helpers.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'latchkey-outbox-'));

describe('the development outbox', () => {
  test('without SMTP_URL, mail lands in DATA_DIR/outbox and /dev/outbox shows it, so a reset works with no configuration', async () => {
    const outboxDir = join(freshDir(), 'outbox');
    const app = await createTestApp({ smtpUrl: undefined, outboxDir, publicUrl: 'http://127.0.0.1:3000' });
    const alice = new Client(app);
    await alice.get('/users/signup');
    await alice.post('/users/signup', { username: 'alice', email: 'alice@example.com', password: PASSWORD });
    await app.mailer.deliverDue();

    const files = readdirSync(outboxDir).sort();
    assert.equal(files.length, 2);
    assert.match(files[0]!, /^\d{8}T\d{9}Z-[0-9a-f]{8}\.eml$/);
    assert.equal(statSync(join(outboxDir, files[0]!)).mode & 0o777, 0o600, 'only the owner may read links');
    const eml = readFileSync(join(outboxDir, files[0]!), 'utf8');
    assert.match(eml, /^To: alice@example\.com$/m);
    assert.match(eml, /Content-Type: multipart\/alternative/);

    const list = await alice.get('/dev/outbox');
    assert.equal(list.statusCode, 200);
    const mailPath = /href="(\/dev\/outbox\/[^"]+)">Confirm your email address<\/a>/.exec(list.body)?.[1];
    assert.ok(mailPath, list.body);
    const mail = await alice.get(mailPath);
    const confirm = /href="http:\/\/127\.0\.0\.1:3000(\/users\/email\/confirm\/[A-Za-z0-9_-]{43})"/.exec(mail.body)?.[1];
    assert.ok(confirm, 'the link is a link');
    await alice.get(confirm);
    const confirmed = await alice.follow(await alice.post(confirm));
    assert.deepEqual(flashes(confirmed.body), ['Your email address has been confirmed.']);

    await alice.post('/users/logout');
    await alice.get('/users/password/forgot');
    await alice.post('/users/password/forgot', { login: 'alice' });
    await app.recovery.background.settled();
    await app.mailer.deliverDue();
    const newest = /href="(\/dev\/outbox\/[^"]+)">([^<]+)<\/a>/.exec((await alice.get('/dev/outbox')).body);
    assert.equal(newest?.[2], 'Reset your password', 'newest first');
    const reset = /href="http:\/\/127\.0\.0\.1:3000(\/users\/password\/reset\/[A-Za-z0-9_-]{43})"/.exec((await alice.get(newest![1]!)).body)?.[1];
    await alice.get(reset!);
    assert.equal((await alice.post(reset!, { password: 'the new passphrase' })).statusCode, 302);
    assert.equal((await logIn(alice, 'alice', 'the new passphrase')).statusCode, 302);
  });

  test("a mail's HTML part is shown sandboxed, with nothing allowed to run or load", async () => {
    const outboxDir = join(freshDir(), 'outbox');
    const app = await createTestApp({ smtpUrl: undefined, outboxDir });
    const alice = new Client(app);
    await alice.get('/users/signup');
    await alice.post('/users/signup', { username: 'alice', email: 'alice@example.com', password: PASSWORD });
    await app.mailer.deliverDue();
    const id = readdirSync(outboxDir)[0]!.replace(/\.(eml|json)$/, '');
    const part = await alice.get(`/dev/outbox/${id}/html`);
    assert.equal(part.statusCode, 200);
    assert.match(String(part.headers['content-security-policy']), /default-src 'none'.*sandbox/);
    assert.match(part.body, /Confirm my email address/);
  });

  test('an unknown or made-up mail id is a 404, and reads no other file', async () => {
    const app = await createTestApp({ smtpUrl: undefined, outboxDir: join(freshDir(), 'outbox') });
    for (const id of ['nope', '..%2F..%2Fsecret-key', '20300101T000000000Z-zzzzzzzz', '20300101T000000000Z-00000000']) {
      assert.equal((await app.inject({ method: 'GET', url: `/dev/outbox/${id}` })).statusCode, 404, id);
    }
    assert.match((await app.inject({ method: 'GET', url: '/dev/outbox' })).body, /Nothing yet/);
  });

  test('with SMTP_URL set, or in production, there is no outbox page', async () => {
    const withSmtp = await createTestApp({ smtpUrl: 'smtp://127.0.0.1:1' });
    assert.equal((await withSmtp.inject({ method: 'GET', url: '/dev/outbox' })).statusCode, 404);
    // production without SMTP_URL does not boot (see config.test.ts); were it built anyway, still no page
    const production = await createTestApp({ env: 'production', smtpUrl: undefined, outboxDir: join(freshDir(), 'outbox') });
    assert.equal((await production.inject({ method: 'GET', url: '/dev/outbox' })).statusCode, 404);
  });
});
