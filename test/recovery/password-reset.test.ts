import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { Client, createTestApp, flashes, logIn, PASSWORD, readRow, tempSqliteFile } from '../helpers.js';
import { linkIn } from '../mail/smtp-inbox.js';
import { askForReset, createMailTestApp, pathOf, PUBLIC_URL, signUpVerified, testClock } from './support.js';

const NEW_PASSWORD = 'a whole new passphrase';
const RESET_LINK = `${PUBLIC_URL}/users/password/reset/`;

describe('password reset', () => {
  test('forgot, follow the link from the mail, set a new password: old sessions die, nobody is logged in, the new password works', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
    const otherDevice = new Client(app);
    assert.equal((await logIn(otherDevice, 'alice')).statusCode, 302);

    const visitor = new Client(app);
    const asked = await askForReset(app, visitor, 'alice');
    assert.equal(asked.statusCode, 200);
    assert.match(asked.body, /Check your email/);
    const mail = await inbox.nextMailTo('alice@example.com', /Reset your password/);
    assert.match(mail.text, /works once, for 30 minutes/);
    const resetPath = pathOf(linkIn(mail, RESET_LINK));

    const page = await visitor.get(resetPath);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Choose a new password/);
    assert.match(page.body, /<strong>alice<\/strong>/);
    const done = await visitor.post(resetPath, { password: NEW_PASSWORD });
    assert.equal(done.statusCode, 302);
    assert.equal(done.location, '/users/login');
    const login = await visitor.follow(done);
    assert.deepEqual(flashes(login.body), ['Your password has been reset. Log in with your new password.']);
    assert.equal((await visitor.get('/users/welcome')).statusCode, 302, 'the reset does not log in');

    for (const old of [alice, otherDevice]) {
      const welcome = await old.get('/users/welcome');
      assert.equal(welcome.statusCode, 302, 'every session of the account has ended');
      assert.match(welcome.location ?? '', /^\/users\/login/);
    }
    assert.equal((await logIn(new Client(app), 'alice', PASSWORD)).statusCode, 401, 'the old password no longer works');
    assert.equal((await logIn(visitor, 'alice', NEW_PASSWORD)).statusCode, 302, 'the new one does');

    const notice = await inbox.nextMailTo('alice@example.com', /Your password was reset/);
    assert.match(notice.text, /Every device that was logged in has been logged out/);
    assert.match(notice.text, /If it was not you/);
  });

  for (const sessionMode of ['signed', 'encrypted'] as const) {
    test(`in ${sessionMode} cookie mode too, a reset ends every session of the account`, async () => {
      const { app, inbox } = await createMailTestApp({ sessionMode });
      const alice = new Client(app);
      await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
      const stolenCookies = alice.cookieHeader;
      const visitor = new Client(app);
      await askForReset(app, visitor, 'alice');
      const resetPath = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), RESET_LINK));
      await visitor.get(resetPath);
      assert.equal((await visitor.post(resetPath, { password: NEW_PASSWORD })).statusCode, 302);
      const replay = await app.inject({ method: 'GET', url: '/users/welcome', headers: { cookie: stolenCookies } });
      assert.equal(replay.statusCode, 302, 'a copy of the old cookie opens nothing');
    });
  }

  test('the account is found by its username or its email address, in any case', async () => {
    const { app, inbox } = await createMailTestApp({ recoveryLimit: { perIp: 100, perAccount: 100, windowMs: 3_600_000 } });
    await signUpVerified(new Client(app), inbox, 'Alice', 'Alice@Example.com');
    for (const login of ['alice', 'ALICE', 'alice@example.com', ' ALICE@EXAMPLE.COM ']) {
      await askForReset(app, new Client(app), login);
      const mail = await inbox.nextMailTo('Alice@Example.com', /Reset your password/);
      assert.ok(linkIn(mail, RESET_LINK), login);
    }
  });

  test('the link is built from PUBLIC_URL, never from the Host header of the request', async () => {
    const { app, inbox } = await createMailTestApp();
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const attacker = new Client(app);
    await attacker.get('/users/password/forgot', { host: 'evil.example' });
    await attacker.post('/users/password/forgot', { login: 'alice' }, { host: 'evil.example', 'x-forwarded-host': 'evil.example' });
    await app.recovery.background.settled();
    const mail = await inbox.nextMailTo('alice@example.com', /Reset your password/);
    assert.ok(linkIn(mail, RESET_LINK));
    assert.doesNotMatch(mail.text + mail.html, /evil\.example/);
  });

  test('pages whose address holds a token send Referrer-Policy: no-referrer and may not be cached; other pages keep same-origin', async () => {
    const { app, inbox } = await createMailTestApp();
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const visitor = new Client(app);
    await askForReset(app, visitor, 'alice');
    const resetPath = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), RESET_LINK));
    for (const response of [await visitor.get(resetPath), await visitor.post(resetPath, { password: 'short' }), await visitor.get('/users/password/reset/not-a-token')]) {
      assert.equal(response.headers['referrer-policy'], 'no-referrer');
      assert.equal(response.headers['cache-control'], 'no-store');
    }
    assert.equal((await visitor.get('/users/email/confirm/x'.padEnd(40, 'x'))).headers['referrer-policy'], 'no-referrer');
    assert.equal((await visitor.get('/users/password/forgot')).headers['referrer-policy'], 'same-origin');
    assert.equal((await visitor.get('/users/login')).headers['referrer-policy'], 'same-origin');
  });

  test('a new password must pass the usual rules; a refused one leaves the link working', async () => {
    const { app, inbox } = await createMailTestApp();
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const visitor = new Client(app);
    await askForReset(app, visitor, 'alice');
    const resetPath = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), RESET_LINK));
    await visitor.get(resetPath);
    for (const [password, problem] of [
      ['short', /Use at least 8 characters/],
      ['password', /Use at least 8 characters|most common passwords/],
      ['12345678', /most common passwords/],
      ['Summer2024!', /too easy to guess/],
      ['alice-in-2024!', /must not contain your username/],
      ['é'.repeat(40), /Use at most 72 bytes/],
    ] as const) {
      const refused = await visitor.post(resetPath, { password });
      assert.equal(refused.statusCode, 422, password);
      assert.match(refused.body, problem);
      assert.deepEqual(flashes(refused.body), ['Invalid submission. Please try again.']);
    }
    assert.equal((await visitor.post(resetPath, { password: NEW_PASSWORD })).statusCode, 302);
  });

  test('a link works once', async () => {
    const { app, inbox } = await createMailTestApp();
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const visitor = new Client(app);
    await askForReset(app, visitor, 'alice');
    const resetPath = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), RESET_LINK));
    await visitor.get(resetPath);
    assert.equal((await visitor.post(resetPath, { password: NEW_PASSWORD })).statusCode, 302);
    const again = await visitor.get(resetPath);
    assert.equal(again.statusCode, 404);
    assert.match(again.body, /This link does not work/);
    assert.equal((await visitor.post(resetPath, { password: 'yet another passphrase' })).statusCode, 404);
    assert.equal((await logIn(new Client(app), 'alice', 'yet another passphrase')).statusCode, 401);
  });

  test('of two requests racing with one link, only one sets its password', async () => {
    const { app, inbox } = await createMailTestApp();
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const [first, second] = [new Client(app), new Client(app)];
    await askForReset(app, first, 'alice');
    const resetPath = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), RESET_LINK));
    await first.get(resetPath);
    await second.get(resetPath);
    const answers = await Promise.all([first.post(resetPath, { password: 'first new passphrase' }), second.post(resetPath, { password: 'second new passphrase' })]);
    assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [302, 404]);
  });

  test('a link expires after 30 minutes', async () => {
    const clock = testClock();
    const { app, inbox } = await createMailTestApp({}, { now: clock.now });
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const visitor = new Client(app);
    await askForReset(app, visitor, 'alice');
    const resetPath = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), RESET_LINK));
    clock.advance(29 * 60_000);
    assert.equal((await visitor.get(resetPath)).statusCode, 200, 'still good at 29 minutes');
    clock.advance(60_000);
    assert.equal((await visitor.get(resetPath)).statusCode, 404, 'dead at 30');
    assert.equal(await app.recovery.sweep(), 1, 'and swept from the table');
    assert.equal((await visitor.post(resetPath, { password: NEW_PASSWORD })).statusCode, 404);
    assert.equal((await logIn(new Client(app), 'alice', NEW_PASSWORD)).statusCode, 401);
  });

  test('asking again voids the older link', async () => {
    const { app, inbox } = await createMailTestApp();
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const visitor = new Client(app);
    await askForReset(app, visitor, 'alice');
    const older = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), RESET_LINK));
    await askForReset(app, visitor, 'alice');
    const newer = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), RESET_LINK));
    assert.notEqual(older, newer);
    assert.equal((await visitor.get(older)).statusCode, 404);
    assert.equal((await visitor.post(older, { password: NEW_PASSWORD })).statusCode, 404);
    assert.equal((await visitor.get(newer)).statusCode, 200);
  });

  test('an altered, truncated or made-up link is refused', async () => {
    const { app, inbox } = await createMailTestApp();
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const visitor = new Client(app);
    await askForReset(app, visitor, 'alice');
    const resetPath = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), RESET_LINK));
    const token = resetPath.slice('/users/password/reset/'.length);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/, '256 random bits, base64url');
    const flipped = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    for (const bad of [flipped, token.slice(0, 42), `${token}A`, 'A'.repeat(43), '%00', '..%2F..%2Fetc', 'x'.repeat(190)]) {
      const page = await visitor.get(`/users/password/reset/${bad}`);
      assert.equal(page.statusCode, 404, bad);
      assert.match(page.body, /This link does not work/);
      assert.equal((await visitor.post(`/users/password/reset/${bad}`, { password: NEW_PASSWORD })).statusCode, 404, bad);
    }
    assert.equal((await visitor.get(resetPath)).statusCode, 200, 'the real link still works');
  });

  test('a link dies when the password changes another way', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    const id = await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
    const visitor = new Client(app);
    await askForReset(app, visitor, 'alice');
    const resetPath = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), RESET_LINK));
    await alice.get(`/users/${id}/edit`);
    const changed = await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', email: 'alice@example.com', password: 'changed on the profile', current_password: PASSWORD, first_name: '', last_name: '' });
    assert.equal(changed.statusCode, 302);
    assert.equal((await visitor.get(resetPath)).statusCode, 404);
    assert.equal((await visitor.post(resetPath, { password: NEW_PASSWORD })).statusCode, 404);
  });

  test('no mail for an account without an address, or with one nobody confirmed', async () => {
    const { app, inbox } = await createMailTestApp();
    const bob = new Client(app);
    await bob.get('/users/signup');
    await bob.post('/users/signup', { username: 'bob', email: 'bob@example.com', password: PASSWORD });
    await inbox.nextMailTo('bob@example.com', /Confirm your email address/);
    const carol = new Client(app);
    await carol.get('/users/signup');
    await carol.post('/users/signup', { username: 'carol', password: PASSWORD });
    const before = inbox.mails.length;
    for (const login of ['bob', 'bob@example.com', 'carol', 'nobody', 'nobody@example.com']) {
      const answer = await askForReset(app, new Client(app), login);
      assert.equal(answer.statusCode, 200);
    }
    assert.equal(inbox.mails.length, before, 'recovery goes only to confirmed addresses');
  });

  test('a blank or overlong login is a form error, not a request', async () => {
    const { app } = await createMailTestApp();
    const visitor = new Client(app);
    await visitor.get('/users/password/forgot');
    const blank = await visitor.post('/users/password/forgot', { login: '  ' });
    assert.equal(blank.statusCode, 422);
    assert.match(blank.body, /Enter your username or email address/);
    const long = await visitor.post('/users/password/forgot', { login: 'x'.repeat(255) });
    assert.equal(long.statusCode, 422);
  });

  test('the login page links to the forgot-password page', async () => {
    const app = await createTestApp();
    const page = await app.inject({ method: 'GET', url: '/users/login' });
    assert.match(page.body, /<a href="\/users\/password\/forgot">Forgot your password\?<\/a>/);
    const forgot = await app.inject({ method: 'GET', url: '/users/password/forgot' });
    assert.equal(forgot.statusCode, 200);
    assert.match(forgot.body, /name="login"/);
  });

  test('the database keeps only a hash of the token: a copy of the table opens nothing', async () => {
    const file = tempSqliteFile();
    const { app, inbox } = await createMailTestApp({ databaseUrl: `sqlite:${file}` });
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    await askForReset(app, new Client(app), 'alice');
    const token = linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), RESET_LINK).slice(RESET_LINK.length);
    const row = readRow<Record<string, unknown>>(file, "SELECT * FROM email_tokens WHERE purpose = 'password-reset'");
    assert.ok(row);
    assert.ok(!JSON.stringify(row).includes(token), 'the token is not stored');
    assert.equal(row.token_hash, createHash('sha256').update(token).digest('base64url'));
    const visitor = new Client(app);
    assert.equal((await visitor.get(`/users/password/reset/${String(row.token_hash).slice(0, 43)}`)).statusCode, 404, 'the hash is no token');
  });

  test('request log lines show [token] instead of the token', async () => {
    const lines: string[] = [];
    const { app, inbox } = await createMailTestApp({ logLevel: 'info' }, { logStream: { write: (line) => void lines.push(line) } });
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const visitor = new Client(app);
    await askForReset(app, visitor, 'alice');
    const resetPath = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), RESET_LINK));
    await visitor.get(resetPath);
    const token = resetPath.split('/').pop()!;
    const log = lines.join('');
    assert.match(log, /\/users\/password\/reset\/\[token\]/);
    assert.ok(!log.includes(token), 'the token is nowhere in the log');
  });
});
