import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, flashes, PASSWORD, signUp } from '../helpers.js';
import { linkIn } from '../mail/smtp-inbox.js';
import { askForReset, createMailTestApp, pathOf, PUBLIC_URL, signUpVerified } from './support.js';

const CONFIRM_LINK = `${PUBLIC_URL}/users/email/confirm/`;

/** The profile form as the browser sends it, with changes. */
const profileForm = (changes: Record<string, string>) => ({ username: 'alice', email: 'alice@example.com', password: '', current_password: '', first_name: '', last_name: '', ...changes });

describe('email addresses', () => {
  test('signup with an address sends a link; opening it changes nothing, confirming it marks the address confirmed', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    await alice.get('/users/signup');
    const created = await alice.post('/users/signup', { username: 'alice', email: 'Alice@Example.com', password: PASSWORD, first_name: '', last_name: '' });
    assert.equal(created.statusCode, 302);
    const welcome = await alice.follow(created);
    assert.deepEqual(flashes(welcome.body), ['User Created!', 'We sent a link to Alice@Example.com: follow it to confirm your address.']);
    const id = Number(/href="\/users\/(\d+)"/.exec(welcome.body)?.[1]);
    assert.match((await alice.get(`/users/${id}`)).body, /Alice@Example\.com<\/strong> \(not confirmed yet/);

    const mail = await inbox.nextMailTo('alice@example.com', /Confirm your email address/);
    assert.match(mail.text, /The link works for 24 hours/);
    const confirmPath = pathOf(linkIn(mail, CONFIRM_LINK));
    // a mail scanner that opens every link confirms nothing
    const page = await new Client(app).get(confirmPath);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Confirm your email address/);
    assert.match((await alice.get(`/users/${id}`)).body, /not confirmed yet/);

    await alice.get(confirmPath);
    const confirmed = await alice.post(confirmPath);
    assert.equal(confirmed.location, `/users/${id}`);
    const profile = await alice.follow(confirmed);
    assert.deepEqual(flashes(profile.body), ['Your email address has been confirmed.']);
    assert.match(profile.body, /Alice@Example\.com<\/strong> \(confirmed\)/, 'kept as typed');
    assert.equal((await alice.post(confirmPath)).statusCode, 404, 'the link works once');
  });

  test('the link works in another browser, where nobody is logged in', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    await alice.get('/users/signup');
    await alice.post('/users/signup', { username: 'alice', email: 'alice@example.com', password: PASSWORD });
    const confirmPath = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Confirm/), CONFIRM_LINK));
    const phone = new Client(app);
    await phone.get(confirmPath);
    const confirmed = await phone.post(confirmPath);
    assert.equal(confirmed.location, '/users/login');
    assert.deepEqual(flashes((await phone.follow(confirmed)).body), ['Your email address has been confirmed.']);
  });

  test('the address is optional, and the seed signup without one sends nothing', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    const id = await signUp(alice, 'alice');
    await app.mailer.deliverDue();
    assert.equal(inbox.mails.length, 0);
    assert.match((await alice.get(`/users/${id}`)).body, /No email address/);
  });

  test('a malformed address is a form error', async () => {
    const { app } = await createMailTestApp();
    const alice = new Client(app);
    await alice.get('/users/signup');
    for (const email of ['alice', 'alice@', '@example.com', 'alice@localhost', 'a b@example.com', 'alice@example.com\r\nBcc: x@example.com', 'alice@example.com, bob@example.com', `${'a'.repeat(250)}@example.com`]) {
      const refused = await alice.post('/users/signup', { username: 'alice', email, password: PASSWORD });
      assert.equal(refused.statusCode, 422, email);
      assert.match(refused.body, /field-email-error/, email);
      assert.deepEqual(flashes(refused.body), ['Invalid submission. Please try again.']);
    }
  });

  test('an address belongs to one account, whatever its case', async () => {
    const { app, inbox } = await createMailTestApp();
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const bob = new Client(app);
    await bob.get('/users/signup');
    const refused = await bob.post('/users/signup', { username: 'bob', email: 'ALICE@example.COM', password: PASSWORD });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /That email address belongs to another account/);
    assert.deepEqual(flashes(refused.body), ['Invalid submission. Please try again.']);
    assert.match(refused.body, /value="ALICE@example.COM"/, 'the form keeps what was typed');
  });

  test('of sign-ups racing for one address, the unique index lets exactly one have it', async () => {
    const { app } = await createMailTestApp();
    const racers = Array.from({ length: 4 }, () => new Client(app));
    await Promise.all(racers.map((client) => client.get('/users/signup')));
    const statuses = await Promise.all(
      racers.map(async (client, i) => (await client.post('/users/signup', { username: `racer${'abcd'[i]}`, email: i % 2 ? 'Race@example.com' : 'race@EXAMPLE.com', password: PASSWORD })).statusCode),
    );
    assert.deepEqual(statuses.sort(), [302, 409, 409, 409]);
  });

  test('a new link can be asked for from the profile, a few times an hour', async () => {
    const { app, inbox } = await createMailTestApp({ recoveryLimit: { perIp: 100, perAccount: 2, windowMs: 3_600_000 } });
    const alice = new Client(app);
    await alice.get('/users/signup');
    await alice.post('/users/signup', { username: 'alice', email: 'alice@example.com', password: PASSWORD });
    const first = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Confirm/), CONFIRM_LINK));
    const id = Number(/\/users\/(\d+)/.exec((await alice.get('/users/welcome')).body)?.[1]);
    const profile = await alice.get(`/users/${id}`);
    assert.match(profile.body, /Send the link again/);
    const resent = await alice.post(`/users/${id}/email/verification`);
    assert.deepEqual(flashes((await alice.follow(resent)).body), ['We sent a new link to alice@example.com.']);
    const second = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Confirm/), CONFIRM_LINK));
    assert.equal((await alice.get(first)).statusCode, 404, 'the newer link voids the older');
    await alice.follow(await alice.post(`/users/${id}/email/verification`));
    await inbox.nextMailTo('alice@example.com', /Confirm/);
    const throttled = await alice.follow(await alice.post(`/users/${id}/email/verification`));
    assert.match(flashes(throttled.body).join(), /please wait an hour/);
    await app.mailer.deliverDue();
    assert.equal(inbox.mails.filter((mail) => /Confirm/.test(mail.subject)).length, 3, 'no fourth link');
    await alice.get(second);
    assert.equal((await alice.post(second)).statusCode, 404, 'superseded by the last link sent');
  });

  test('only its owner may ask for a new link', async () => {
    const { app } = await createMailTestApp();
    const alice = new Client(app);
    const aliceId = await signUp(alice, 'alice');
    const mallory = new Client(app);
    await signUp(mallory, 'mallory');
    const refused = await mallory.post(`/users/${aliceId}/email/verification`);
    assert.equal(refused.location, '/users/welcome');
  });

  test('changing the address needs the current password, sends a link to the new one and a notice to the old, and happens only when the link is followed', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    const id = await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
    await alice.get(`/users/${id}/edit`);
    const noPassword = await alice.post(`/users/${id}?_method=PATCH`, profileForm({ email: 'new@example.org' }));
    assert.equal(noPassword.statusCode, 403);
    assert.match(noPassword.body, /Enter your current password to change your email address/);

    const changed = await alice.post(`/users/${id}?_method=PATCH`, profileForm({ email: 'new@example.org', current_password: PASSWORD }));
    assert.equal(changed.statusCode, 302);
    const profile = await alice.follow(changed);
    assert.deepEqual(flashes(profile.body), ['User Updated!', 'We sent a link to new@example.org: your email address changes when you follow it.']);
    assert.match(profile.body, /alice@example\.com<\/strong> \(confirmed\)/, 'unchanged until the link is followed');
    assert.match(profile.body, /A link was sent to <strong>new@example.org<\/strong>/);

    const notice = await inbox.nextMailTo('alice@example.com', /about to change/);
    assert.match(notice.text, /n\*\*\*@example\.org/, 'the old address sees the new one masked');
    const confirmPath = pathOf(linkIn(await inbox.nextMailTo('new@example.org', /Confirm your new email address/), CONFIRM_LINK));
    await alice.get(confirmPath);
    const confirmed = await alice.follow(await alice.post(confirmPath));
    assert.deepEqual(flashes(confirmed.body), ['Your email address is now new@example.org.']);
    assert.match(confirmed.body, /new@example\.org<\/strong> \(confirmed\)/);
    const done = await inbox.nextMailTo('alice@example.com', /Your email address was changed/);
    assert.match(done.text, /If it was not you/);

    await askForReset(app, new Client(app), 'new@example.org');
    await inbox.nextMailTo('new@example.org', /Reset your password/);
    await askForReset(app, new Client(app), 'alice@example.com');
    await app.mailer.deliverDue();
    assert.ok(!inbox.mails.some((mail) => /alice@example\.com/i.test(mail.to) && /Reset/.test(mail.subject)), 'the old address no longer resets');
  });

  test('an address another account has cannot be changed to', async () => {
    const { app, inbox } = await createMailTestApp();
    await signUpVerified(new Client(app), inbox, 'bob', 'bob@example.com');
    const alice = new Client(app);
    const id = await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
    await alice.get(`/users/${id}/edit`);
    const refused = await alice.post(`/users/${id}?_method=PATCH`, profileForm({ email: 'Bob@Example.com', current_password: PASSWORD }));
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /That email address belongs to another account/);
  });

  test('a pending change dies when the password is reset, as the notice to the old address promises', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    const id = await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
    await alice.get(`/users/${id}/edit`);
    await alice.post(`/users/${id}?_method=PATCH`, profileForm({ email: 'thief@example.net', current_password: PASSWORD }));
    const notice = await inbox.nextMailTo('alice@example.com', /about to change/);
    assert.match(notice.text, /change your password now .* that cancels the change/s);
    const theft = pathOf(linkIn(await inbox.nextMailTo('thief@example.net', /Confirm your new/), CONFIRM_LINK));

    const owner = new Client(app);
    await askForReset(app, owner, 'alice');
    const reset = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), `${PUBLIC_URL}/users/password/reset/`));
    await owner.get(reset);
    await owner.post(reset, { password: 'taken back for good' });

    const thief = new Client(app);
    assert.equal((await thief.get(theft)).statusCode, 404);
    assert.equal((await thief.post(theft)).statusCode, 404);
  });

  test('a pending change dies when the password is changed on the profile, too', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    const id = await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
    await alice.get(`/users/${id}/edit`);
    await alice.post(`/users/${id}?_method=PATCH`, profileForm({ email: 'thief@example.net', current_password: PASSWORD }));
    const theft = pathOf(linkIn(await inbox.nextMailTo('thief@example.net', /Confirm your new/), CONFIRM_LINK));
    await alice.get(`/users/${id}/edit`);
    await alice.post(`/users/${id}?_method=PATCH`, profileForm({ password: 'a password only I know', current_password: PASSWORD }));
    const thief = new Client(app);
    assert.equal((await thief.get(theft)).statusCode, 404);
    assert.match((await alice.get(`/users/${id}`)).body, /alice@example\.com<\/strong> \(confirmed\)/);
  });

  test('a blank address removes it at once, with a notice to the old one', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    const id = await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
    await alice.get(`/users/${id}/edit`);
    const removed = await alice.follow(await alice.post(`/users/${id}?_method=PATCH`, profileForm({ email: '', current_password: PASSWORD })));
    assert.deepEqual(flashes(removed.body), ['User Updated!', 'Your email address has been removed.']);
    assert.match(removed.body, /No email address/);
    assert.match((await inbox.nextMailTo('alice@example.com', /was removed/)).text, /can no longer be reset by mail/);
  });

  test('a profile form without the email field (an older client) leaves the address alone', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    const id = await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
    await alice.get(`/users/${id}/edit`);
    const updated = await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', first_name: 'Alice', last_name: '' });
    assert.equal(updated.statusCode, 302);
    assert.match((await alice.get(`/users/${id}`)).body, /alice@example\.com<\/strong> \(confirmed\)/);
  });

  test('nobody else sees the address', async () => {
    const { app, inbox } = await createMailTestApp();
    const id = await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const bob = new Client(app);
    await signUp(bob, 'bob');
    for (const path of [`/users/${id}`, '/users', `/users/${id}/messages`]) {
      assert.doesNotMatch((await bob.get(path)).body, /alice@example/, path);
    }
  });
});
