import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMailTestApp } from '../recovery/support.js';
import { apiSession, createToken, PASSWORD, signUpApi } from './api-client.js';
import { CONFIRM_LINK, signUpConfirmed, tokenIn } from './recovery-support.js';

const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

describe('email addresses through the API', () => {
  test('the link mailed at signup confirms the address through the API; a dead token is a 400', async () => {
    const { app, inbox } = await createMailTestApp();
    const { session: alice } = await signUpConfirmed(app, inbox, 'alice', 'alice@example.com');
    const me = await alice.api.GET('/api/v1/me');
    assert.equal(me.data?.email_verified, true);
    const bad = await apiSession(app).api.POST('/api/v1/email/confirm', { body: { token: 'A'.repeat(43) } });
    assert.equal(bad.response.status, 400);
    assert.equal(bad.error?.code, 'INVALID_MAIL_TOKEN');
    assert.equal(bad.response.headers.get('cache-control'), 'no-store');
  });

  test('a new address through PATCH waits for its link, the old address is told, and the link confirms it through the API', async () => {
    const { app, inbox } = await createMailTestApp();
    const { session: alice, id } = await signUpConfirmed(app, inbox, 'alice', 'alice@example.com');
    const patched = await alice.api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: { email: 'alice@new.example', current_password: PASSWORD } });
    assert.equal(patched.response.status, 200);
    assert.equal((await alice.api.GET('/api/v1/me')).data?.email, 'alice@example.com', 'nothing changes before the link is followed');
    await inbox.nextMailTo('alice@example.com', /Your email address is about to change/);
    const token = tokenIn(await inbox.nextMailTo('alice@new.example', /Confirm your new email address/), CONFIRM_LINK);

    const confirmed = await apiSession(app).api.POST('/api/v1/email/confirm', { body: { token } });
    assert.equal(confirmed.response.status, 200);
    assert.deepEqual(confirmed.data, { email: 'alice@new.example', changed: true });
    const me = await alice.api.GET('/api/v1/me');
    assert.equal(me.data?.email, 'alice@new.example');
    assert.equal(me.data?.email_verified, true);
    await inbox.nextMailTo('alice@example.com', /Your email address was changed/);
    assert.equal((await apiSession(app).api.POST('/api/v1/email/confirm', { body: { token } })).response.status, 400, 'a link works once');
  });

  test('the confirmation link is sent again on request, with the session or a write token, at most a few times', async () => {
    const { app, inbox } = await createMailTestApp({ recoveryLimit: { perIp: 100, perAccount: 3, windowMs: 3_600_000 } });
    const alice = apiSession(app);
    const { data } = await alice.api.POST('/api/v1/users', { body: { username: 'alice', password: PASSWORD, email: 'alice@example.com' } });
    alice.headers['x-csrf-token'] = data!.csrf_token;
    await inbox.nextMailTo('alice@example.com', /Confirm your email address/);

    const again = await alice.api.POST('/api/v1/email/verification');
    assert.equal(again.response.status, 202);
    assert.deepEqual(again.data, { sent_to: 'alice@example.com' });
    await inbox.nextMailTo('alice@example.com', /Confirm your email address/);

    const writer = apiSession(app, { authorization: `Bearer ${(await createToken(alice, ['write'])).token}` });
    const reader = apiSession(app, { authorization: `Bearer ${(await createToken(alice, ['read'])).token}` });
    assert.equal((await reader.api.POST('/api/v1/email/verification')).error?.code, 'INSUFFICIENT_SCOPE');
    assert.equal((await writer.api.POST('/api/v1/email/verification')).response.status, 202);
    await inbox.nextMailTo('alice@example.com', /Confirm your email address/);

    const noCsrf = apiSession(app);
    for (const [name, value] of alice.cookies) noCsrf.cookies.set(name, value);
    assert.equal((await noCsrf.api.POST('/api/v1/email/verification')).error?.code, 'CSRF_REFUSED');
    assert.equal((await apiSession(app).api.POST('/api/v1/email/verification')).response.status, 401);

    await alice.api.POST('/api/v1/email/verification');
    const token = tokenIn(await inbox.nextMailTo('alice@example.com', /Confirm your email address/), CONFIRM_LINK);
    const throttled = await alice.api.POST('/api/v1/email/verification');
    assert.equal(throttled.response.status, 429);
    assert.equal(throttled.error?.code, 'TOO_MANY_MAILS');
    assert.ok(Number(throttled.response.headers.get('retry-after')) > 0);

    assert.equal((await alice.api.POST('/api/v1/email/confirm', { body: { token } })).response.status, 200, 'the latest link works');
    assert.equal((await alice.api.POST('/api/v1/email/verification')).error?.code, 'EMAIL_ALREADY_VERIFIED');
    const bob = apiSession(app);
    await signUpApi(bob, 'bob');
    const none = await bob.api.POST('/api/v1/email/verification');
    assert.equal(none.response.status, 409);
    assert.equal(none.error?.code, 'NO_EMAIL');
  });

  test('a login through the API from a new device is told to the owner; the same client again is not', async () => {
    const { app, inbox } = await createMailTestApp();
    await signUpConfirmed(app, inbox, 'alice', 'alice@example.com');
    const laptop = apiSession(app, { 'user-agent': CHROME_ON_LINUX });
    const logIn = async () => {
      const { data, response } = await laptop.api.POST('/api/v1/session', { body: { username: 'alice', password: PASSWORD } });
      laptop.headers['x-csrf-token'] = data?.csrf_token ?? '';
      return response.status;
    };
    assert.equal(await logIn(), 200);
    const notice = await inbox.nextMailTo('alice@example.com', /New login to your account/);
    assert.match(notice.text, /Chrome on Linux/);

    assert.equal((await laptop.api.DELETE('/api/v1/session')).response.status, 204);
    assert.equal(await logIn(), 200);
    await app.mailer.deliverDue();
    assert.equal(inbox.mails.filter((mail) => /New login/.test(mail.subject)).length, 1, 'a known device is not news');
  });
});
