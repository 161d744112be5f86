import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, logIn, PASSWORD } from '../helpers.js';
import { createMailTestApp, signUpVerified } from './support.js';

const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

describe('security notices', () => {
  test('a changed password is told to the confirmed address', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    const id = await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
    await alice.get(`/users/${id}/edit`);
    await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', email: 'alice@example.com', password: 'a brand new passphrase', current_password: PASSWORD });
    const notice = await inbox.nextMailTo('alice@example.com', /Your password was changed/);
    assert.match(notice.text, /the password of your account alice was changed/);
    assert.match(notice.text, /If it was not you, someone else knows your password: reset it at once at https:\/\/latchkey\.example\/users\/password\/forgot/);
  });

  test('a login from a browser that never logged in to the account is told; the same browser again is not', async () => {
    const { app, inbox } = await createMailTestApp();
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const laptop = new Client(app);
    assert.equal((await laptop.request({ method: 'GET', url: '/users/login', headers: { 'user-agent': CHROME_ON_LINUX } })).statusCode, 200);
    await laptop.post('/users/login', { username: 'alice', password: PASSWORD }, { 'user-agent': CHROME_ON_LINUX });
    const notice = await inbox.nextMailTo('alice@example.com', /New login to your account/);
    assert.match(notice.text, /Chrome on Linux, from the address 127\.0\.0\.1/);
    assert.match(notice.text, /See where you are logged in:\nhttps:\/\/latchkey\.example\/users\/\d+\/sessions/);

    await laptop.post('/users/logout');
    await logIn(laptop, 'alice');
    await app.mailer.deliverDue();
    assert.equal(inbox.mails.filter((mail) => /New login/.test(mail.subject)).length, 1, 'a known browser is not news');
  });

  test('the browser that made the account is known to it from the start', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
    await alice.post('/users/logout');
    await logIn(alice, 'alice');
    await app.mailer.deliverDue();
    assert.equal(inbox.mails.filter((mail) => /New login/.test(mail.subject)).length, 0);
  });

  test('the device cookie is HttpOnly, long-lived, names no account, and cannot be forged or moved to another account', async () => {
    const { app, inbox } = await createMailTestApp();
    const aliceBrowser = new Client(app);
    await signUpVerified(aliceBrowser, inbox, 'alice', 'alice@example.com');
    await signUpVerified(new Client(app), inbox, 'bob', 'bob@example.com');
    await aliceBrowser.get('/users/login');
    const login = await aliceBrowser.post('/users/login', { username: 'alice', password: PASSWORD });
    const header = ([login.headers['set-cookie'] ?? []].flat() as string[]).find((cookie) => cookie.startsWith('latchkey_device='));
    assert.ok(header, 'a device cookie is set at login');
    assert.match(header, /HttpOnly/i);
    assert.match(header, /SameSite=Lax/i);
    assert.match(header, /Max-Age=34560000/);
    const value = aliceBrowser.cookies.get('latchkey_device')!;
    assert.doesNotMatch(value, /alice|\b\d+\b/, 'no username or id in the clear');

    // alice's memory carried into another browser does not make it known to bob
    const other = new Client(app);
    other.cookies.set('latchkey_device', value);
    await logIn(other, 'bob');
    await inbox.nextMailTo('bob@example.com', /New login/);
    // nor does a made-up entry
    const forger = new Client(app);
    forger.cookies.set('latchkey_device', 'A'.repeat(43));
    await logIn(forger, 'alice');
    await inbox.nextMailTo('alice@example.com', /New login/);
  });

  test('no notice goes to an address nobody confirmed', async () => {
    const { app, inbox } = await createMailTestApp();
    const alice = new Client(app);
    await alice.get('/users/signup');
    await alice.post('/users/signup', { username: 'alice', email: 'alice@example.com', password: PASSWORD });
    await inbox.nextMailTo('alice@example.com', /Confirm/);
    await logIn(new Client(app), 'alice');
    await app.mailer.deliverDue();
    assert.equal(inbox.mails.length, 1, 'only the confirmation link');
  });

  test('every mail has a plain-text and an HTML part saying the same, from MAIL_FROM, marked automatic, with no remote content', async () => {
    const { app, inbox } = await createMailTestApp({ mailFrom: 'Latchkey Test <robot@latchkey.example>' });
    const alice = new Client(app);
    await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
    await logIn(new Client(app), 'alice');
    const mails = [inbox.mails[0]!, await inbox.nextMailTo('alice@example.com', /New login/)];
    for (const mail of mails) {
      assert.match(mail.from, /^"?Latchkey Test"? <robot@latchkey\.example>$/);
      assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
      assert.ok(mail.text.length > 100 && mail.html.length > 100, `${mail.subject}: both parts`);
      assert.doesNotMatch(mail.html, /<img|<link|<script|url\(|@import|src=/i, `${mail.subject}: nothing to load`);
      const links = (part: string) => [...part.matchAll(/https:\/\/latchkey\.example[^\s"<]*/g)].map((match) => match[0].replace(/&amp;/g, '&')).sort();
      assert.deepEqual([...new Set(links(mail.html))], [...new Set(links(mail.text))], `${mail.subject}: the same links in both parts`);
    }
  });
});
