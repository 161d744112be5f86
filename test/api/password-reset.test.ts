import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { askForReset, createMailTestApp, forgotTimingRatio, sameTiming, testClock } from '../recovery/support.js';
import { ClientAt } from '../security/support.js';
import { apiSession, createToken, PASSWORD } from './api-client.js';
import { forgotFrom, RESET_LINK, signUpConfirmed, tokenIn } from './recovery-support.js';

const NEW_PASSWORD = 'a whole new passphrase';
// generous limits: these tests are about what a request reveals, not about throttling
const QUIET = { recoveryLimit: { perIp: 10_000, perAccount: 10_000, windowMs: 3_600_000 } };

describe('password reset through the API', () => {
  test('forgot, reset with the token from the mail: every session and token of the account dies, the new password logs in', async () => {
    const { app, inbox } = await createMailTestApp();
    const { session: alice } = await signUpConfirmed(app, inbox, 'alice', 'alice@example.com');
    const phone = apiSession(app);
    assert.equal((await phone.api.POST('/api/v1/session', { body: { username: 'alice', password: PASSWORD } })).response.status, 200);
    const script = apiSession(app, { authorization: `Bearer ${(await createToken(alice)).token}` });
    assert.equal((await script.api.GET('/api/v1/me')).response.status, 200);

    const visitor = apiSession(app);
    const asked = await visitor.api.POST('/api/v1/password/forgot', { body: { login: 'alice@example.com' } });
    assert.equal(asked.response.status, 202);
    assert.equal(asked.response.headers.get('cache-control'), 'no-store');
    await app.recovery.background.settled();
    const token = tokenIn(await inbox.nextMailTo('alice@example.com', /Reset your password/), RESET_LINK);

    const reset = await visitor.api.POST('/api/v1/password/reset', { body: { token, password: NEW_PASSWORD } });
    assert.equal(reset.response.status, 204);
    assert.equal(reset.response.headers.get('cache-control'), 'no-store');
    for (const [who, old] of [['the first session', alice], ['another device', phone], ['an API token', script]] as const) {
      assert.equal((await old.api.GET('/api/v1/me')).response.status, 401, `${who} is dead`);
    }
    assert.equal((await visitor.api.GET('/api/v1/me')).response.status, 401, 'the reset logs nobody in');
    const oldLogin = await apiSession(app).api.POST('/api/v1/session', { body: { username: 'alice', password: PASSWORD } });
    assert.equal(oldLogin.response.status, 401, 'the old password no longer works');
    const newLogin = await apiSession(app).api.POST('/api/v1/session', { body: { username: 'alice', password: NEW_PASSWORD } });
    assert.equal(newLogin.response.status, 200, 'the new one does');
    const notice = await inbox.nextMailTo('alice@example.com', /Your password was reset/);
    assert.match(notice.text, /If it was not you/);
  });

  test('a token works once; an expired, superseded or altered one is refused with INVALID_MAIL_TOKEN', async () => {
    const clock = testClock();
    const { app, inbox } = await createMailTestApp({}, { now: clock.now });
    await signUpConfirmed(app, inbox, 'alice', 'alice@example.com');
    const visitor = apiSession(app);
    const newToken = async () => {
      assert.equal((await forgotFrom(app, '198.51.100.1', 'alice')).statusCode, 202);
      return tokenIn(await inbox.nextMailTo('alice@example.com', /Reset your password/), RESET_LINK);
    };
    const resetWith = (token: string, password = NEW_PASSWORD) => visitor.api.POST('/api/v1/password/reset', { body: { token, password } });
    const refused = async (token: string, why: string) => {
      const { response, error } = await resetWith(token);
      assert.equal(response.status, 400, why);
      assert.equal(error?.code, 'INVALID_MAIL_TOKEN', why);
      assert.match(error?.detail ?? '', /does not work/);
    };

    const superseded = await newToken();
    const current = await newToken();
    await refused(superseded, 'an older link dies when a newer one is sent');
    const altered = `${current.slice(0, -1)}${current.endsWith('A') ? 'B' : 'A'}`;
    await refused(altered, 'an altered token');
    await refused('made-up', 'a made-up token');
    assert.equal((await resetWith(current)).response.status, 204);
    await refused(current, 'a used token');

    const late = await newToken();
    clock.advance(30 * 60_000);
    await refused(late, 'a token 30 minutes old');
    const tooLong = await resetWith('x'.repeat(500));
    assert.equal(tooLong.response.status, 400);
    assert.equal(tooLong.error?.code, 'VALIDATION_FAILED');
  });

  test('a weak password is a 422 naming the field, and the token still works', async () => {
    const { app, inbox } = await createMailTestApp();
    await signUpConfirmed(app, inbox, 'alice', 'alice@example.com');
    await forgotFrom(app, '198.51.100.1', 'alice');
    const token = tokenIn(await inbox.nextMailTo('alice@example.com', /Reset your password/), RESET_LINK);
    const visitor = apiSession(app);
    for (const [password, problem] of [['short', /at least 8 characters/], ['alice-in-2024!', /must not contain your username/]] as const) {
      const { response, error } = await visitor.api.POST('/api/v1/password/reset', { body: { token, password } });
      assert.equal(response.status, 422, password);
      assert.equal(error?.code, 'VALIDATION_FAILED');
      assert.match(error?.errors?.password ?? '', problem);
    }
    assert.equal((await visitor.api.POST('/api/v1/password/reset', { body: { token, password: NEW_PASSWORD } })).response.status, 204);
  });

  test('an unknown login, an account without a confirmed address and a real one get the same status, headers and body', async () => {
    const { app, inbox } = await createMailTestApp(QUIET);
    await signUpConfirmed(app, inbox, 'alice', 'alice@example.com');
    await apiSession(app).api.POST('/api/v1/users', { body: { username: 'bob', password: PASSWORD, email: 'bob@example.com' } });
    const answers = new Map<string, Awaited<ReturnType<typeof forgotFrom>>>();
    for (const login of ['alice', 'alice@example.com', 'bob', 'bob@example.com', 'nobody', 'nobody@example.com']) {
      answers.set(login, await forgotFrom(app, '198.51.100.7', login));
    }
    await inbox.nextMailTo('alice@example.com', /Reset your password/);
    const reference = answers.get('alice')!;
    assert.equal(reference.statusCode, 202);
    for (const [login, answer] of answers) {
      assert.equal(answer.statusCode, reference.statusCode, login);
      assert.equal(answer.body, reference.body, login);
      assert.deepEqual(Object.keys(answer.headers).sort(), Object.keys(reference.headers).sort(), login);
      assert.equal(answer.headers['set-cookie'], undefined, `${login}: no cookie tells either`);
    }
  });

  test('an unknown login answers in the same time as an account that is sent a link', async (t) => {
    const { app, inbox } = await createMailTestApp(QUIET);
    await signUpConfirmed(app, inbox, 'alice', 'alice@example.com');
    const send = (login: string) => app.inject({ method: 'POST', url: '/api/v1/password/forgot', payload: { login }, remoteAddress: '198.51.100.7' });
    const { ratio, known, unknown } = await forgotTimingRatio(app, send, 202, {
      known: (i) => (i % 2 ? 'alice' : 'alice@example.com'),
      unknown: (i) => (i % 2 ? `nobody${i}` : `nobody${i}@example.com`),
    });
    t.diagnostic(`median known account ${known.toFixed(2)} ms, unknown ${unknown.toFixed(2)} ms, ratio ${ratio.toFixed(2)}`);
    assert.ok(inbox.mails.filter((mail) => /Reset your password/.test(mail.subject)).length >= 40, 'the known account was sent its links');
    // the same bounds as the form's test (test/recovery/reset-enumeration.test.ts)
    assert.ok(sameTiming(ratio), `unknown/known median ratio ${ratio.toFixed(2)}`);
  });

  test('per client address: past the limit a 429 problem with Retry-After, counted with the form', async () => {
    const { app } = await createMailTestApp({ recoveryLimit: { perIp: 3, perAccount: 100, windowMs: 3_600_000 } });
    assert.equal((await askForReset(app, new ClientAt(app, '203.0.113.9'), 'someone')).statusCode, 200, 'the form');
    for (let i = 0; i < 2; i++) assert.equal((await forgotFrom(app, '203.0.113.9', `someone${i}`)).statusCode, 202);
    const refused = await forgotFrom(app, '203.0.113.9', 'alice');
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().code, 'TOO_MANY_ATTEMPTS');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
    assert.equal(refused.json().retry_after, retryAfter);
    assert.equal((await forgotFrom(app, '198.51.100.1', 'nobody')).statusCode, 202, 'another address is not held up');
  });

  test('bad input is a 4xx problem; a bearer token or another site is refused', async () => {
    const { app, inbox } = await createMailTestApp();
    const { session: alice } = await signUpConfirmed(app, inbox, 'alice', 'alice@example.com');
    const blank = await forgotFrom(app, '198.51.100.1', '   ');
    assert.equal(blank.statusCode, 422);
    assert.deepEqual(blank.json().errors, { login: 'Enter your username or email address.' });
    assert.equal((await forgotFrom(app, '198.51.100.1', 'x'.repeat(300))).statusCode, 422);
    const extra = await app.inject({ method: 'POST', url: '/api/v1/password/forgot', payload: { login: 'alice', admin: true } });
    assert.equal(extra.statusCode, 400);
    const notJson = await app.inject({ method: 'POST', url: '/api/v1/password/reset', payload: 'token=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(notJson.statusCode, 415);

    const { token } = await createToken(alice);
    for (const url of ['/api/v1/password/forgot', '/api/v1/password/reset', '/api/v1/email/confirm']) {
      const withToken = await app.inject({ method: 'POST', url, payload: { login: 'alice' }, headers: { authorization: `Bearer ${token}` } });
      assert.equal(withToken.statusCode, 403, url);
      assert.equal(withToken.json().code, 'SESSION_REQUIRED', url);
    }
    const crossSite = await forgotFrom(app, '198.51.100.1', 'alice', { 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.statusCode, 403);
    assert.equal(crossSite.json().code, 'CSRF_REFUSED');
    assert.equal(inbox.mails.filter((mail) => /Reset your password/.test(mail.subject)).length, 0, 'nothing refused sent a mail');
  });
});
