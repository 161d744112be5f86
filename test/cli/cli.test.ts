import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { SessionMode } from 'latchkey';
import { Client, createTestApp, logIn, PASSWORD, signUp, tempSqliteFile } from '../helpers.js';
import { postgresSchema } from '../services.js';
import { cliDirectory, runCli } from './run-cli.js';

/**
 * The real `latchkey` binary against a database a running server uses: what an operator does
 * while the site is up. Each suite runs on SQLite and on PostgreSQL.
 */
function cliSuite(name: string, database: () => Promise<{ url: string } | string>) {
  describe(`latchkey on ${name}`, async () => {
    const found = await database();
    const skip = typeof found === 'string' && !process.env.CI ? found : false;
    const url = () => {
      if (typeof found === 'string') throw new Error(found);
      return found.url;
    };
    const cli = (args: string[], input?: string, env: Record<string, string> = {}) => runCli(args, { env: { DATABASE_URL: url(), ...env }, input });

    test('creates a user with the signup rules, lists them, and refuses a weak password or a taken name', { skip }, async () => {
      const weak = await cli(['users', 'create', 'carol', '--password-stdin'], 'password\n');
      assert.equal(weak.code, 1);
      assert.match(weak.stderr, /password: .*common/i);
      const created = await cli(['users', 'create', 'carol', '--first-name', 'Carol', '--password-stdin', '--json'], `${PASSWORD}\n`);
      assert.equal(created.code, 0, created.stderr);
      assert.equal(JSON.parse(created.stdout).username, 'carol');
      const taken = await cli(['users', 'create', 'CAROL', '--password-stdin'], `${PASSWORD}\n`);
      assert.equal(taken.code, 1);
      assert.match(taken.stderr, /taken/);
      const app = await createTestApp({ databaseUrl: url() });
      assert.equal((await logIn(new Client(app), 'carol', PASSWORD)).statusCode, 302, 'the new account logs in on the site');
      const listed = await cli(['users', 'list', '--json']);
      assert.equal(listed.code, 0, listed.stderr);
      const carol = (JSON.parse(listed.stdout) as { username: string; first_name: string; sessions: number }[]).find((user) => user.username === 'carol');
      assert.equal(carol?.first_name, 'Carol');
      assert.equal(carol?.sessions, 1);
      const table = await cli(['users', 'list']);
      assert.match(table.stdout, /^ID\s+USERNAME\s+CREATED\s+SESSIONS$/m);
    });

    test('sessions end logs a browser out on its next click, and sessions list shows where', { skip }, async () => {
      const app = await createTestApp({ databaseUrl: url() });
      const browser = new Client(app);
      await signUp(browser, 'dave');
      assert.equal((await browser.get('/users/welcome')).statusCode, 200);
      const listed = await cli(['sessions', 'list', 'dave', '--json']);
      assert.equal(JSON.parse(listed.stdout).length, 1);
      const ended = await cli(['sessions', 'end', 'dave']);
      assert.equal(ended.code, 0, ended.stderr);
      assert.match(ended.stdout, /Ended 1 session of dave/);
      const next = await browser.get('/users/welcome');
      assert.equal(next.statusCode, 302, 'logged out at the next click');
      assert.match(next.location ?? '', /^\/users\/login/);
    });

    test('set-password takes the new password, ends every session and revokes API tokens', { skip }, async () => {
      const app = await createTestApp({ databaseUrl: url() });
      const browser = new Client(app);
      const id = await signUp(browser, 'erin');
      await browser.get(`/users/${id}/sessions`);
      const page = await browser.post(`/users/${id}/tokens`, { name: 'script', scope_read: 'on', expires_in_days: '7' });
      const token = /<code class="token">(lk_[^<]+)</.exec(page.body)![1]!;
      const changed = await cli(['users', 'set-password', 'erin', '--password-stdin'], 'a whole new passphrase\n');
      assert.equal(changed.code, 0, changed.stderr);
      assert.match(changed.stdout, /ended 1 session and revoked 1 API token/);
      assert.equal((await browser.get('/users/welcome')).statusCode, 302);
      assert.equal((await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401);
      assert.equal((await logIn(new Client(app), 'erin', PASSWORD)).statusCode, 401);
      assert.equal((await logIn(new Client(app), 'erin', 'a whole new passphrase')).statusCode, 302);
    });

    test('unlock clears the login throttling of a user', { skip }, async () => {
      const app = await createTestApp({ databaseUrl: url(), loginThrottle: { freeFailures: 1, ipFreeFailures: 100, firstDelayMs: 600_000, maxDelayMs: 600_000, windowMs: 3_600_000, ipWindowMs: 3_600_000 } });
      await signUp(new Client(app), 'frank');
      const guesser = new Client(app);
      await logIn(guesser, 'frank', 'wrong guess one');
      await logIn(guesser, 'frank', 'wrong guess two');
      assert.equal((await logIn(guesser, 'frank', PASSWORD)).statusCode, 429);
      const unlocked = await cli(['users', 'unlock', 'frank']);
      assert.equal(unlocked.code, 0, unlocked.stderr);
      assert.match(unlocked.stdout, /Cleared the failed logins of frank/);
      assert.equal((await logIn(guesser, 'frank', PASSWORD)).statusCode, 302);
    });

    test('delete asks unless --yes, then removes the user and ends their sessions', { skip }, async () => {
      const app = await createTestApp({ databaseUrl: url() });
      const browser = new Client(app);
      await signUp(browser, 'gina');
      const asked = await cli(['users', 'delete', 'gina']);
      assert.equal(asked.code, 1);
      assert.match(asked.stderr, /--yes/);
      assert.equal((await browser.get('/users/welcome')).statusCode, 200, 'nothing happened without --yes');
      const deleted = await cli(['users', 'delete', 'gina', '--yes']);
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.equal((await browser.get('/users/welcome')).statusCode, 302);
      const again = await cli(['users', 'delete', 'gina', '--yes']);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /no user named "gina"/);
    });

    test('db migrate, sessions sweep and doctor work on the database', { skip }, async () => {
      const migrated = await cli(['db', 'migrate']);
      assert.equal(migrated.code, 0, migrated.stderr);
      assert.match(migrated.stdout, /up to date|applied/);
      const swept = await cli(['sessions', 'sweep']);
      assert.equal(swept.code, 0, swept.stderr);
      assert.match(swept.stdout, /Deleted \d+ expired sessions?/);
      const doctor = await cli(['doctor', '--json'], undefined, { SECRET_KEYS: 'a'.repeat(8) + '0123456789abcdefghijklmnopqrstuv' });
      assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
      assert.ok((JSON.parse(doctor.stdout) as { ok: boolean }[]).every((finding) => finding.ok));
    });
  });
}

cliSuite('SQLite', async () => ({ url: `sqlite:${tempSqliteFile()}` }));

let dropSchema: (() => Promise<void>) | undefined;
cliSuite('PostgreSQL', async () => {
  const schema = await postgresSchema();
  if (typeof schema === 'string') return schema;
  dropSchema = schema.drop;
  return schema;
});
after(async () => dropSchema?.());

describe('latchkey on a fresh database, in every session mode', () => {
  for (const mode of ['server', 'signed', 'encrypted'] as SessionMode[]) {
    test(`sessions end logs out a ${mode}-mode browser`, async () => {
      const databaseUrl = `sqlite:${tempSqliteFile()}`;
      const app = await createTestApp({ databaseUrl, sessionMode: mode });
      const browser = new Client(app);
      await signUp(browser, 'hana');
      const ended = await runCli(['sessions', 'end', 'hana'], { env: { DATABASE_URL: databaseUrl, SESSION_MODE: mode } });
      assert.equal(ended.code, 0, ended.stderr);
      assert.equal((await browser.get('/users/welcome')).statusCode, 302);
    });
  }

  test('every command has --help, and a wrong one exits non-zero with a hint', async () => {
    const help = await runCli(['sessions', 'end', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: latchkey sessions end/);
    const wrong = await runCli(['users', 'frobnicate']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /unknown command/);
  });

  test('reads .env like the server, and the doctor names what to fix', async () => {
    const cwd = cliDirectory();
    writeFileSync(join(cwd, '.env'), `DATABASE_URL=sqlite:${join(cwd, 'site.db')}\nSECRET_KEYS=passwordpasswordpasswordpassword\n`);
    const doctor = await runCli(['doctor'], { cwd, env: { SECRET_KEYS: '' } });
    assert.equal(doctor.code, 1);
    assert.match(doctor.stdout, /FAIL\s+secret 1: .*not random|FAIL\s+secret 1: it contains a word/);
    assert.match(doctor.stdout, /fix: replace it with `latchkey keys generate`/);
    assert.match(doctor.stdout, /ok\s+database: sqlite at sqlite:.*site\.db/);
    const key = await runCli(['keys', 'generate']);
    assert.match(key.stdout.trim(), /^[0-9a-f]{64}$/);
  });

  test('a password prompt needs a terminal: without one it says to use --password-stdin', async () => {
    const run = await runCli(['users', 'create', 'ivan'], { env: { DATABASE_URL: `sqlite:${tempSqliteFile()}` } });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /--password-stdin/);
  });
});
