import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, createTestApp, PASSWORD, signUp } from '../helpers.js';
import { linkIn } from '../mail/smtp-inbox.js';
import { askForReset, createMailTestApp, pathOf, PUBLIC_URL, signUpVerified } from '../recovery/support.js';

const NEW_PASSWORD = 'a brand new passphrase';

function capture() {
  const lines: string[] = [];
  return { lines, logStream: { write: (line: string) => void lines.push(line) } };
}

test('each security event is one structured log line naming who and from where, never a secret', async () => {
  const { lines, logStream } = capture();
  const app = await createTestApp({ logLevel: 'info' }, { logStream });
  const alice = new Client(app);
  const id = await signUp(alice, 'alice');
  const phone = new Client(app);
  await phone.get('/users/login');
  await phone.post('/users/login', { username: 'alice', password: 'not her password' });
  await phone.post('/users/login', { username: 'alice', password: PASSWORD });
  await alice.post(`/users/${id}/sessions?_method=DELETE`);
  await alice.get(`/users/${id}/edit`);
  await alice.post(`/users/${id}?_method=PATCH`, { username: 'alice', first_name: 'A', last_name: 'B', password: NEW_PASSWORD, current_password: PASSWORD });
  await alice.request({ method: 'POST', url: '/users/logout', payload: 'csrf_token=forged', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: alice.cookieHeader } });
  await alice.post('/users/logout');
  const mallory = new Client(app);
  await mallory.get('/users/login');
  for (let i = 0; i < 6; i++) await mallory.post('/users/login', { username: 'bob', password: 'guess' });
  await alice.get('/users/login');
  await alice.post('/users/login', { username: 'alice', password: NEW_PASSWORD });
  await alice.get(`/users/${id}/delete`);
  await alice.post(`/users/${id}?_method=DELETE`);

  const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => 'event' in line);
  assert.deepEqual(
    events.map((event) => event.event),
    [
      'signup',
      'login.failed',
      'login.succeeded',
      'sessions.ended',
      'password.changed',
      'csrf.refused',
      'logout',
      ...Array<string>(5).fill('login.failed'),
      'login.throttled',
      'login.succeeded',
      'account.deleted',
    ],
  );
  for (const event of events) {
    assert.equal(event.ip, '127.0.0.1', `${String(event.event)} says where from`);
    assert.equal(event.msg, event.event, 'the message is the event name');
    if (event.username === undefined) assert.equal(event.userId, id, `${String(event.event)} names the user`);
    if (event.userId !== undefined) assert.match(String(event.session), /^[A-Za-z0-9_-]{16}$/, `${String(event.event)} names the session by its public handle`);
  }
  assert.deepEqual(events[1], { ...events[1], username: 'alice', level: 40 }, 'a failed login names the username tried, as a warning');
  assert.equal(events.find((event) => event.event === 'login.throttled')?.username, 'bob');

  const log = lines.join('\n');
  for (const secret of [PASSWORD, NEW_PASSWORD, 'guess', ...alice.cookies.values(), ...phone.cookies.values(), alice.csrf]) {
    assert.ok(!log.includes(secret), `the log never holds a password, a cookie value or a token (${secret.slice(0, 6)}…)`);
  }
});

test('a password reset through a mailed link is a password.changed event naming the account, never the link', async () => {
  const { lines, logStream } = capture();
  const { app, inbox } = await createMailTestApp({ logLevel: 'info' }, { logStream });
  const alice = new Client(app);
  const id = await signUpVerified(alice, inbox, 'alice', 'alice@example.com');
  const visitor = new Client(app);
  await askForReset(app, visitor, 'alice');
  const resetPath = pathOf(linkIn(await inbox.nextMailTo('alice@example.com', /Reset your password/), `${PUBLIC_URL}/users/password/reset/`));
  await visitor.get(resetPath);
  assert.equal((await visitor.post(resetPath, { password: NEW_PASSWORD })).statusCode, 302);
  const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === 'password.changed');
  assert.equal(events.length, 1);
  assert.deepEqual([events[0]!.userId, events[0]!.reason, events[0]!.ip], [id, 'reset', '127.0.0.1']);
  const token = resetPath.split('/').pop()!;
  assert.ok(!lines.join('\n').includes(token), 'the reset token is not in the log');
});
