import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import bcrypt from 'bcrypt';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { formatImportReport, importFlask } from '../../src/cli/import-flask.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { Client, createTestApp, PASSWORD, tempSqliteFile } from '../helpers.js';
import { postgresSchema } from '../services.js';
import { needsFlaskApp } from '../support/flask-app.js';

// The tables exactly as Flask-SQLAlchemy creates them for the chapter's models (app.py).
const FLASK_DDL = `
CREATE TABLE users (id INTEGER NOT NULL, username TEXT NOT NULL, password TEXT NOT NULL, first_name TEXT, last_name TEXT, PRIMARY KEY (id), UNIQUE (username));
CREATE TABLE messages (id INTEGER NOT NULL, content TEXT NOT NULL, user_id INTEGER, PRIMARY KEY (id), FOREIGN KEY(user_id) REFERENCES users (id));`;
const HASH = bcrypt.hashSync(PASSWORD, 4);

interface FlaskRows {
  users: [id: number, username: string, password: string, first?: string | null, last?: string | null][];
  messages?: [id: number, content: string, userId: number | null][];
}

/** A Flask app's SQLite database holding these rows. */
function flaskSqlite(rows: FlaskRows, file = join(mkdtempSync(join(tmpdir(), 'flask-db-')), 'flask.db')): string {
  const db = new SQLite(file);
  if (!db.prepare("select 1 from sqlite_master where name = 'users'").get()) db.exec(FLASK_DDL);
  const user = db.prepare('insert or replace into users (id, username, password, first_name, last_name) values (?, ?, ?, ?, ?)');
  const message = db.prepare('insert or replace into messages (id, content, user_id) values (?, ?, ?)');
  for (const [id, username, password, first = null, last = null] of rows.users) user.run(id, username, password, first, last);
  for (const row of rows.messages ?? []) message.run(...row);
  db.close();
  return file;
}

async function latchkeyDatabase(url = `sqlite:${tempSqliteFile()}`): Promise<{ database: Database; url: string }> {
  const database = await openDatabase(url);
  after(() => database.close());
  return { database, url };
}

async function dump(database: Database) {
  const users = await database.db.selectFrom('users').select(['id', 'username', 'username_key', 'username_clash', 'password_hash', 'first_name', 'last_name']).orderBy('id').execute();
  const messages = await database.db.selectFrom('messages').select(['id', 'user_id', 'content']).orderBy('id').execute();
  return { users, messages };
}

describe('import-flask from a SQLite Flask database', () => {
  test('copies users with their ids, names and hashes, and messages with their owners', async () => {
    const source = flaskSqlite({
      users: [[3, 'alice', HASH, 'Alice', 'Liddell'], [7, 'bob', HASH, null, null]],
      messages: [[10, 'hello', 3], [11, 'again', 7]],
    });
    const { database } = await latchkeyDatabase();
    const report = await importFlask({ source, database });
    assert.equal(report.users.added, 2);
    assert.equal(report.messages.added, 2);
    const { users, messages } = await dump(database);
    assert.deepEqual(users.map((user) => [user.id, user.username, user.first_name, user.last_name, user.password_hash]), [
      [3, 'alice', 'Alice', 'Liddell', HASH],
      [7, 'bob', '', '', HASH],
    ]);
    assert.deepEqual(messages, [{ id: 10, user_id: 3, content: 'hello' }, { id: 11, user_id: 7, content: 'again' }]);
  });

  test('an imported user logs in to Latchkey with the password they had on Flask, and new accounts get ids past theirs', async () => {
    const file = tempSqliteFile();
    const { database } = await latchkeyDatabase(`sqlite:${file}`);
    await importFlask({ source: flaskSqlite({ users: [[41, 'alice', HASH]] }), database });
    const app = await createTestApp({ databaseUrl: `sqlite:${file}` });
    const client = new Client(app);
    await client.get('/users/login');
    const login = await client.post('/users/login', { username: 'alice', password: PASSWORD });
    assert.equal(login.location, '/users/welcome');
    assert.match((await client.follow(login)).body, /href="\/users\/41"/);
    const newcomer = new Client(app);
    await newcomer.get('/users/signup');
    await newcomer.post('/users/signup', { username: 'carol', password: PASSWORD, first_name: '', last_name: '' });
    assert.match((await newcomer.get('/users/welcome')).body, /href="\/users\/42"/);
  });

  test('run twice, it leaves the same data; run after changes on Flask, it brings over what changed and what is new', async () => {
    const file = flaskSqlite({ users: [[1, 'alice', HASH, 'A', 'L'], [2, 'bob', HASH]], messages: [[1, 'one', 1], [2, 'two', 2]] });
    const { database } = await latchkeyDatabase();
    await importFlask({ source: file, database });
    const first = await dump(database);
    const again = await importFlask({ source: file, database });
    assert.deepEqual(await dump(database), first);
    assert.deepEqual([again.users.added, again.users.updated, again.users.unchanged], [0, 0, 2]);
    assert.deepEqual([again.messages.added, again.messages.updated, again.messages.unchanged], [0, 0, 2]);

    // on Flask meanwhile: alice and bob swap names, bob's message is edited, carol signs up and posts
    const newHash = bcrypt.hashSync('a new password', 4);
    const flask = new SQLite(file);
    flask.exec(`update users set username = 'tmp' where id = 1; update users set username = 'alice' where id = 2; update users set username = 'bob' where id = 1`);
    flask.prepare('update users set password = ? where id = 2').run(newHash);
    flask.exec(`update messages set content = 'two, edited' where id = 2`);
    flask.close();
    flaskSqlite({ users: [[3, 'carol', HASH]], messages: [[3, 'three', 3]] }, file);
    const changed = await importFlask({ source: file, database });
    assert.deepEqual([changed.users.added, changed.users.updated, changed.users.unchanged], [1, 2, 0]);
    assert.deepEqual([changed.messages.added, changed.messages.updated, changed.messages.unchanged], [1, 1, 1]);
    const { users, messages } = await dump(database);
    assert.deepEqual(users.map((user) => [user.id, user.username, user.password_hash === newHash]), [[1, 'bob', false], [2, 'alice', true], [3, 'carol', false]]);
    assert.deepEqual(messages.map((message) => message.content), ['one', 'two, edited', 'three']);
  });

  test('usernames that are one name under Latchkey\'s rules are all imported, marked and reported, and each logs in by its spelling', async () => {
    const source = flaskSqlite({ users: [[1, 'Admin', HASH], [2, 'admin', HASH], [3, 'Il', HASH], [4, 'll', HASH], [5, 'modern', HASH], [6, 'modem', HASH]] });
    const file = tempSqliteFile();
    const { database } = await latchkeyDatabase(`sqlite:${file}`);
    const report = await importFlask({ source, database });
    assert.equal(report.users.added, 6);
    assert.deepEqual(report.clashes.map((group) => group.map((user) => `${user.username}${user.holdsName ? '*' : ''}`)), [['Admin*', 'admin'], ['Il*', 'll'], ['modern*', 'modem']]);
    assert.deepEqual((await dump(database)).users.map((user) => user.username_clash), [0, 1, 0, 1, 0, 1]);
    assert.match(formatImportReport(report, 'flask.db', 'latchkey.db'), /3 group\(s\) of usernames are one name/);
    const again = await importFlask({ source, database });
    assert.equal(again.users.unchanged, 6, 'a re-run keeps who holds each name');

    const app = await createTestApp({ databaseUrl: `sqlite:${file}` });
    for (const [username, id] of [['admin', 2], ['ll', 4], ['modem', 6]] as const) {
      const client = new Client(app);
      await client.get('/users/login');
      const login = await client.post('/users/login', { username, password: PASSWORD });
      assert.match((await client.follow(login)).body, new RegExp(`href="/users/${id}"`), `${username} logs in as #${id}`);
    }
  });

  test("a Latchkey account is never overwritten: a Flask user with its id or its exact name is reported, with their messages", async () => {
    const file = tempSqliteFile();
    const app = await createTestApp({ databaseUrl: `sqlite:${file}` });
    const client = new Client(app);
    await client.get('/users/signup');
    await client.post('/users/signup', { username: 'native', password: PASSWORD, first_name: '', last_name: '' });
    await client.get('/users/1/messages/new');
    assert.equal((await client.post('/users/1/messages', { content: 'a Latchkey message' })).statusCode, 302);
    const { database } = await latchkeyDatabase(`sqlite:${file}`);
    const before = await dump(database);
    const source = flaskSqlite({ users: [[1, 'intruder', HASH], [2, 'native', HASH], [3, 'fine', HASH]], messages: [[1, 'by fine, id taken', 3], [2, 'by intruder', 1], [3, 'by fine', 3], [4, 'nobody', null]] });
    const report = await importFlask({ source, database });
    assert.deepEqual(report.users.skipped.map((user) => [user.id, user.reason]), [
      [1, "Latchkey's own account #1 (native) has this id"],
      [2, "the username is account #1's in Latchkey"],
    ]);
    assert.deepEqual(report.messages.skipped.map((message) => [message.id, message.reason]), [
      [1, "Latchkey's own message #1 has this id"],
      [2, 'its user #1 was not imported'],
      [4, 'it has no user'],
    ]);
    const { users, messages } = await dump(database);
    assert.deepEqual(users[0], before.users[0], 'the native account is untouched');
    assert.deepEqual(users.map((user) => user.username), ['native', 'fine']);
    assert.deepEqual(messages.map((message) => message.content), ['a Latchkey message', 'by fine']);
    assert.match(formatImportReport(report, 'f', 'l'), /Users not imported:\n {2}#1 intruder: Latchkey's own account #1/);
  });

  test('a database that is not the Flask app\'s is refused with a clear error, and nothing is written', async () => {
    const { database } = await latchkeyDatabase();
    const latchkeyFile = tempSqliteFile();
    await (await openDatabase(`sqlite:${latchkeyFile}`)).close();
    const garbage = join(mkdtempSync(join(tmpdir(), 'garbage-')), 'x.db');
    writeFileSync(garbage, 'this is not a database at all, just words'.repeat(50));
    const empty = join(mkdtempSync(join(tmpdir(), 'empty-')), 'empty.db');
    new SQLite(empty).exec('create table unrelated (x)');
    await assert.rejects(importFlask({ source: latchkeyFile, database }), /is not the Flask app's database: table users lacks password \(it looks like Latchkey's own database/);
    await assert.rejects(importFlask({ source: empty, database }), /is not the Flask app's database: no table users/);
    await assert.rejects(importFlask({ source: garbage, database }), /not a SQLite database/);
    await assert.rejects(importFlask({ source: '/no/such/file.db', database }), /no such SQLite file/);
    await assert.rejects(importFlask({ source: 'mysql://root@localhost/flask', database }), /not a database URL this command reads/);
    assert.deepEqual(await dump(database), { users: [], messages: [] });
  });

  test('nothing is half-imported: a row Latchkey cannot take rolls the whole import back', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flask-db-')), 'flask.db');
    const db = new SQLite(file);
    // a hand-made schema without NOT NULL on content: the last message cannot go into Latchkey
    db.exec('create table users (id integer primary key, username text, password text, first_name text, last_name text); create table messages (id integer primary key, content text, user_id integer)');
    for (let id = 1; id <= 1200; id++) db.prepare('insert into users values (?, ?, ?, null, null)').run(id, `user${id}`, HASH);
    db.prepare('insert into messages values (1, ?, 1), (2, null, 2)').run('fine');
    db.close();
    const { database } = await latchkeyDatabase();
    await assert.rejects(importFlask({ source: file, database }), /NOT NULL/);
    assert.deepEqual(await dump(database), { users: [], messages: [] });
  });

  test("with --bcrypt-handle-long-passwords, Flask-Bcrypt's SHA-256 variant logs in, long passwords whole", async () => {
    const long = 'a passphrase longer than bcrypt reads, '.repeat(3); // 117 bytes
    const prehashed = (password: string) => bcrypt.hashSync(createHash('sha256').update(password).digest('hex'), 4);
    const source = flaskSqlite({ users: [[1, 'short', prehashed(PASSWORD)], [2, 'long', prehashed(long)]] });
    const file = tempSqliteFile();
    const { database } = await latchkeyDatabase(`sqlite:${file}`);
    await importFlask({ source, database });
    const app = await createTestApp({ databaseUrl: `sqlite:${file}` });
    const logIn = async (username: string, password: string) => {
      const client = new Client(app);
      await client.get('/users/login');
      return (await client.post('/users/login', { username, password })).statusCode;
    };
    assert.equal(await logIn('short', PASSWORD), 401, 'without the flag the hashes are taken as plain bcrypt');
    await importFlask({ source, database, bcryptHandleLongPasswords: true });
    assert.equal(await logIn('short', PASSWORD), 302);
    assert.equal(await logIn('long', long), 302);
    assert.equal(await logIn('long', long.slice(0, 72)), 401, 'the first 72 bytes alone are not the password');
    const { users } = await dump(database);
    assert.match(users[0]!.password_hash, /^\$2b\$04\$/, 'upgraded to a plain bcrypt hash at login');
    assert.match(users[1]!.password_hash, /^\$flask-bcrypt-sha256\$2b\$/, 'a long password keeps the hash that reads it whole');
    assert.equal(await logIn('short', PASSWORD), 302, 'and logs in after the upgrade');
  });

  test('a hash Flask-Bcrypt itself made with BCRYPT_HANDLE_LONG_PASSWORDS = True logs in, however long the password', needsFlaskApp, async () => {
    const long = 'ünïcödé and a passphrase well past seventy-two bytes, which bcrypt alone would cut short';
    const script = [
      'import sys', 'from flask import Flask', 'from flask_bcrypt import Bcrypt',
      'app = Flask(__name__)', "app.config.update(BCRYPT_HANDLE_LONG_PASSWORDS=True, BCRYPT_LOG_ROUNDS=4)",
      'print(Bcrypt(app).generate_password_hash(sys.argv[1]).decode())',
    ].join('\n');
    const made = spawnSync('/usr/bin/python3', ['-c', script, long], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(made.status, 0, made.stderr);
    const file = tempSqliteFile();
    const { database } = await latchkeyDatabase(`sqlite:${file}`);
    await importFlask({ source: flaskSqlite({ users: [[1, 'uli', made.stdout.trim()]] }), database, bcryptHandleLongPasswords: true });
    const client = new Client(await createTestApp({ databaseUrl: `sqlite:${file}` }));
    await client.get('/users/login');
    assert.equal((await client.post('/users/login', { username: 'uli', password: long })).location, '/users/welcome');
  });

  test('the command: a summary on stdout, exit 0; a wrong database, one line on stderr and exit 1', async () => {
    const source = flaskSqlite({ users: [[1, 'alice', HASH]], messages: [[1, 'hi', 1]] });
    const into = `sqlite:${tempSqliteFile()}`;
    const run = (...args: string[]) => spawnSync(process.execPath, ['--conditions=latchkey-source', '--import', 'tsx', 'src/cli/main.ts', ...args], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_ENV: 'test', SECRET_KEYS: 'k'.repeat(32), DATA_DIR: '/nonexistent' },
    });
    const ok = run('import-flask', source, '--into', into);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /users: {4}1 added, 0 updated, 0 unchanged, 0 not imported\n {2}messages: 1 added/);
    assert.equal(ok.stderr, '', 'no progress bar when stderr is not a terminal');
    const wrong = run('import-flask', '/no/such.db', '--into', into);
    assert.equal(wrong.status, 1);
    assert.equal(wrong.stderr.trim(), "latchkey: /no/such.db: no such SQLite file (SQLAlchemy's sqlite:////absolute/path has four slashes)");
  });

  test('on a terminal, the command draws a progress bar', { skip: scriptMissing() }, () => {
    const source = flaskSqlite({ users: Array.from({ length: 50 }, (_, i) => [i + 1, `user${i + 1}`, HASH] as [number, string, string]) });
    const into = `sqlite:${tempSqliteFile()}`;
    const command = [process.execPath, '--conditions=latchkey-source', '--import', 'tsx', 'src/cli/main.ts', 'import-flask', source, '--into', into].join(' ');
    // script(1) gives the command a pseudo-terminal, as a person's shell would
    const result = spawnSync('script', ['-qec', command, '/dev/null'], {
      encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_ENV: 'test', SECRET_KEYS: 'k'.repeat(32), DATA_DIR: '/nonexistent', COLUMNS: '100' },
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /importing \[[█░]+\] \d+% \| \d+\/50 rows/);
    assert.match(result.stdout, /users: {4}50 added/);
  });
});

function scriptMissing(): string | false {
  const probe = spawnSync('script', ['--version'], { encoding: 'utf8', timeout: 5000 });
  return probe.status === 0 ? false : 'needs script(1) from util-linux for a pseudo-terminal';
}

describe('import-flask between PostgreSQL databases', async () => {
  const [flaskSchema, latchkeySchema] = [await postgresSchema(), await postgresSchema()];
  if (typeof flaskSchema === 'string' || typeof latchkeySchema === 'string') {
    const reason = typeof flaskSchema === 'string' ? flaskSchema : (latchkeySchema as string);
    test('runs against PostgreSQL', { skip: process.env.CI ? false : reason }, () => assert.fail(`${reason} (CI=true: PostgreSQL must be there)`));
    return;
  }
  after(() => Promise.all([flaskSchema.drop(), latchkeySchema.drop()]));

  test('imports from a Postgres Flask database and moves the identity sequences past the imported ids', async () => {
    const flask = new pg.Client({ connectionString: flaskSchema.url });
    await flask.connect();
    await flask.query('create table users (id serial primary key, username text unique not null, password text not null, first_name text, last_name text)');
    await flask.query('create table messages (id serial primary key, content text not null, user_id integer references users (id))');
    await flask.query("insert into users (id, username, password, first_name) values (5, 'alice', $1, 'Alice'), (9, 'Alice', $1, null)", [HASH]);
    await flask.query("insert into messages (id, content, user_id) values (20, 'hi', 5)");
    await flask.end();
    const { database } = await latchkeyDatabase(latchkeySchema.url);
    const report = await importFlask({ source: flaskSchema.url.replace('postgres://', 'postgresql+psycopg2://'), database });
    assert.deepEqual([report.users.added, report.messages.added, report.clashes.length], [2, 1, 1]);
    const again = await importFlask({ source: flaskSchema.url, database });
    assert.deepEqual([again.users.unchanged, again.messages.unchanged], [2, 1]);
    const user = await database.db.insertInto('users').values({ username: 'new', username_key: 'new', password_hash: HASH, first_name: '', last_name: '', created_at: '', updated_at: '' }).returning('id').executeTakeFirstOrThrow();
    assert.equal(user.id, 10);
    const message = await sql<{ id: number }>`insert into messages (user_id, content, created_at, updated_at) values (5, 'x', '', '') returning id`.execute(database.db);
    assert.equal(message.rows[0]!.id, 21);
  });
});
