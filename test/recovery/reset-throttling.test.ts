import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Client } from '../helpers.js';
import { ClientAt, retryAfter } from '../security/support.js';
import { askForReset, createMailTestApp, signUpVerified } from './support.js';

describe('forgot password is throttled', () => {
  test('per client address: past the limit a 429 with Retry-After, whatever login was typed', async () => {
    const { app } = await createMailTestApp({ recoveryLimit: { perIp: 3, perAccount: 100, windowMs: 3_600_000 } });
    const attacker = new ClientAt(app, '203.0.113.9');
    for (let i = 0; i < 3; i++) assert.equal((await askForReset(app, attacker, `someone${i}`)).statusCode, 200);
    for (const login of ['nobody', 'alice']) {
      const refused = await askForReset(app, attacker, login);
      assert.equal(refused.statusCode, 429, login);
      assert.ok(retryAfter(refused) > 0 && retryAfter(refused) <= 3600);
      assert.match(refused.body, /Too many attempts/);
    }
    assert.equal((await askForReset(app, new ClientAt(app, '198.51.100.1'), 'nobody')).statusCode, 200, 'another address is not held up');
  });

  test('an IPv6 client counts per /64, so rotating addresses within it earns nothing', async () => {
    const { app } = await createMailTestApp({ recoveryLimit: { perIp: 2, perAccount: 100, windowMs: 3_600_000 } });
    assert.equal((await askForReset(app, new ClientAt(app, '2001:db8:1:2::1'), 'a')).statusCode, 200);
    assert.equal((await askForReset(app, new ClientAt(app, '2001:db8:1:2::2'), 'b')).statusCode, 200);
    assert.equal((await askForReset(app, new ClientAt(app, '2001:db8:1:2:ffff::3'), 'c')).statusCode, 429);
  });

  test('per account: past the limit the page stays the same but no more mail goes out, however the account is named', async () => {
    const { app, inbox } = await createMailTestApp({ recoveryLimit: { perIp: 100, perAccount: 2, windowMs: 3_600_000 } });
    await signUpVerified(new Client(app), inbox, 'alice', 'alice@example.com');
    const resets = () => inbox.mails.filter((mail) => /Reset your password/.test(mail.subject)).length;
    const first = await askForReset(app, new ClientAt(app, '198.51.100.1'), 'alice');
    await askForReset(app, new ClientAt(app, '198.51.100.2'), 'ALICE@example.com');
    await inbox.nextMailTo('alice@example.com', /Reset/);
    await inbox.nextMailTo('alice@example.com', /Reset/);
    assert.equal(resets(), 2);
    for (const [ip, login] of [['198.51.100.3', 'alice'], ['198.51.100.4', 'alice@example.com']]) {
      const answer = await askForReset(app, new ClientAt(app, ip!), login!);
      assert.equal(answer.statusCode, 200);
      assert.equal(answer.body.replace(/value="[^"]+"/g, ''), first.body.replace(/value="[^"]+"/g, ''), 'the same page: an attacker cannot tell');
    }
    assert.equal(resets(), 2, 'no third mail: the mailbox is not flooded');
  });
});
