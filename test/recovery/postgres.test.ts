import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Client, logIn, PASSWORD } from '../helpers.js';
import { linkIn } from '../mail/smtp-inbox.js';
import { postgresSchema } from '../services.js';
import { askForReset, createMailTestApp, pathOf, PUBLIC_URL, signUpVerified, testClock } from './support.js';

/** Postgres hands epoch milliseconds (bigint) back as strings: expiry, queue times and leases must still compare right. */
describe('account mail on PostgreSQL', async () => {
  const schema = await postgresSchema();
  after(async () => {
    if (typeof schema !== 'string') await schema.drop();
  });
  const skip = typeof schema === 'string' ? schema : false;

  test('verify, reset, expiry, retries and a taken address work on Postgres', { skip }, async () => {
    const clock = testClock();
    const { app, inbox } = await createMailTestApp({ databaseUrl: (schema as { url: string }).url }, { now: clock.now });
    const alice = new Client(app);
    await signUpVerified(alice, inbox, 'alice', 'alice@example.com');

    const bob = new Client(app);
    await bob.get('/users/signup');
    assert.equal((await bob.post('/users/signup', { username: 'bob', email: 'ALICE@example.com', password: PASSWORD })).statusCode, 409);

    await askForReset(app, new Client(app), 'alice@example.com');
    const expired = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), `${PUBLIC_URL}/users/password/reset/`));
    clock.advance(31 * 60_000);
    assert.equal((await alice.get(expired)).statusCode, 404);

    inbox.refuseNext(1, 451);
    const visitor = new Client(app);
    await askForReset(app, visitor, 'alice');
    assert.deepEqual(await app.mailer.counts(), { pending: 1, failed: 0 });
    clock.advance(30_000);
    await app.mailer.deliverDue();
    const reset = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset/), `${PUBLIC_URL}/users/password/reset/`));
    await visitor.get(reset);
    assert.equal((await visitor.post(reset, { password: 'postgres passphrase' })).statusCode, 302);
    assert.equal((await alice.get('/users/welcome')).statusCode, 302, 'the old session ended');
    assert.equal((await logIn(visitor, 'alice', 'postgres passphrase')).statusCode, 302);
  });
});
