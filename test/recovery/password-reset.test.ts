import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client, flashes, logIn, PASSWORD } from '../helpers.js';
import { linkIn } from '../mail/smtp-inbox.js';
import { askForReset, createMailTestApp, pathOf, PUBLIC_URL, signUpVerified, testClock } from './support.js';

const NEW_PASSWORD = 'a whole new passphrase';
const resetLinkPrefix = `${PUBLIC_URL}/users/password/reset/`;

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
    const resetPath = pathOf(linkIn(mail, resetLinkPrefix));

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
    assert.match(notice.text, /If it was not you/);
  });
});
