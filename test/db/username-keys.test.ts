import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { type Dialect, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrations.js';
import { createPasswordHasher } from 'latchkey';
import { createUserRepository } from '../../src/users/user-repository.js';
import { Client, createTestApp, flashes, logIn, PASSWORD, signUp, tempSqliteFile } from '../helpers.js';
import { postgresSchema } from '../services.js';

/** Accounts made before usernames were compared by key: three spellings of one name, three lookalikes. */
const OLD_USERNAMES = ['Admin', 'bob', 'admin', 'Il', 'ADMIN', 'lI', 'll', 'carol'];

function connect(dialect: Dialect, url: string): Kysely<unknown> {
  return dialect === 'sqlite'
    ? new Kysely({ dialect: new SqliteDialect({ database: new SQLite(url.slice('sqlite:'.length)) }) })
    : new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
}

/** A database with the schema of migration 001 only, holding the old accounts. */
async function oldDatabase(dialect: Dialect, url: string): Promise<Kysely<unknown>> {
  const db = connect(dialect, url);
  await migrateToLatest(db, dialect, { target: '001_users_messages_sessions' });
  const hash = await createPasswordHasher({ algorithm: 'bcrypt', bcryptRounds: 4 }).hash(PASSWORD);
  const now = new Date().toISOString();
  for (const username of OLD_USERNAMES) {
    await sql`insert into users (username, password_hash, created_at, updated_at) values (${username}, ${hash}, ${now}, ${now})`.execute(db);
  }
  return db;
}

/** The migration, the app on its result, and what people can then do: the same on both databases. */
function migrationSuite(dialect: Dialect, databaseUrl: () => Promise<string>) {
  test('keeps every old account, reports the groups that look alike, and marks the later ones', async () => {
    const url = await databaseUrl();
    const db = await oldDatabase(dialect, url);
    const warnings: string[] = [];
    const listener = (warning: Error & { code?: string }) => {
      if (warning.code === 'LATCHKEY_USERNAME_CLASHES') warnings.push(warning.message);
    };
    process.on('warning', listener);
    const report = await migrateToLatest(db, dialect);
    assert.deepEqual(report.usernameClashes, [['Admin', 'admin', 'ADMIN'], ['Il', 'lI', 'll']]);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', listener);
    assert.equal(warnings.length, 1, 'whoever starts the app is told');
    assert.match(warnings[0]!, /Admin, admin, ADMIN; Il, lI, ll/);
    const { rows } = await sql<{ username: string; username_key: string; username_clash: number }>`select username, username_key, username_clash from users order by id`.execute(db);
    assert.deepEqual(
      rows.map((row) => [row.username, row.username_key, Number(row.username_clash)]),
      [['Admin', 'admln', 0], ['bob', 'bob', 0], ['admin', 'admln', 1], ['Il', 'll', 0], ['ADMIN', 'admln', 1], ['lI', 'll', 1], ['ll', 'll', 1], ['carol', 'carol', 0]],
    );
    const again = await migrateToLatest(db, dialect);
    assert.deepEqual(again.usernameClashes, [], 'a second start reports nothing: the migration has run');
    await assert.rejects(
      sql`insert into users (username, username_key, password_hash, created_at, updated_at) values ('ADMlN', 'admln', 'x', 'now', 'now')`.execute(db),
      'the database itself refuses a new account with a key in use',
    );
    await db.destroy();
  });

  test('lookalikes created at the same moment: the unique index lets exactly one through', async () => {
    const database = await openDatabase(await databaseUrl());
    const users = createUserRepository(database);
    const names = ['Racer', 'racer', 'RACER', 'rAcEr', 'RaCer', 'racEr'];
    // open the pool's connections first, so the creates really overlap on Postgres
    await Promise.all(names.map(() => users.count()));
    const results = await Promise.all(names.map((username) => users.create({ username, passwordHash: 'x', firstName: '', lastName: '' })));
    await database.close();
    assert.equal(results.filter((result) => 'user' in result).length, 1);
    assert.deepEqual(results.filter((result) => 'conflict' in result).map((result) => ('conflict' in result ? result.conflict : '')), Array(5).fill('taken'));
  });

  test('each old account still logs in by its own spelling; a new lookalike is refused', async () => {
    const url = await databaseUrl();
    await (await oldDatabase(dialect, url)).destroy();
    const app = await createTestApp({ databaseUrl: url });
    for (const username of OLD_USERNAMES) {
      const client = new Client(app);
      const response = await logIn(client, username);
      assert.equal(response.statusCode, 302, username);
      assert.match((await client.follow(response)).body, new RegExp(`<a id="who" href="/users/\\d+">${username}</a>`), username);
    }
    const anyCase = new Client(app);
    const oldest = await anyCase.follow(await logIn(anyCase, 'aDmIn'));
    assert.match(oldest.body, /<a id="who" href="\/users\/1">Admin<\/a>/, 'without an exact match, the oldest of the spellings');
    const stranger = new Client(app);
    await stranger.get('/users/signup');
    const refused = await stranger.post('/users/signup', { username: 'AdmIn', password: PASSWORD });
    assert.equal(refused.statusCode, 409);
    assert.deepEqual(flashes(refused.body), ['Invalid submission. Please try again.']);
    assert.match(refused.body, /That username is taken/);
    assert.equal(await signUp(new Client(app), 'dave') > 0, true, 'other names are free');
  });

  test('a marked account may still edit its profile, and loses the mark with a name of its own', async () => {
    const url = await databaseUrl();
    await (await oldDatabase(dialect, url)).destroy();
    const app = await createTestApp({ databaseUrl: url });
    const client = new Client(app);
    const welcome = await client.follow(await logIn(client, 'lI'));
    const id = Number(/href="\/users\/(\d+)"/.exec(welcome.body)![1]);
    await client.get(`/users/${id}/edit`);
    assert.equal((await client.post(`/users/${id}?_method=PATCH`, { username: 'lI', first_name: 'Still me' })).statusCode, 302);
    assert.equal((await client.post(`/users/${id}?_method=PATCH`, { username: 'Il' })).statusCode, 409, 'the exact name of another stays taken');
    assert.equal((await client.post(`/users/${id}?_method=PATCH`, { username: 'Ivy' })).statusCode, 302);
    const db = connect(dialect, url);
    const { rows } = await sql<{ username_key: string; username_clash: number }>`select username_key, username_clash from users where id = ${id}`.execute(db);
    assert.deepEqual([rows[0]!.username_key, Number(rows[0]!.username_clash)], ['lvy', 0]);
    await db.destroy();
  });
}

describe('username keys on an existing SQLite database', () => {
  migrationSuite('sqlite', async () => `sqlite:${tempSqliteFile()}`);
});

describe('username keys on an existing PostgreSQL database', async () => {
  const schemas: { drop(): Promise<void> }[] = [];
  const probe = await postgresSchema();
  if (typeof probe === 'string') {
    test('runs against PostgreSQL', { skip: probe }, () => {});
    return;
  }
  schemas.push(probe);
  after(() => Promise.all(schemas.map((schema) => schema.drop())));

  test("migrates a schema of its own while another schema of the database holds Latchkey's tables", async () => {
    const [one, two] = [await postgresSchema(), await postgresSchema()];
    if (typeof one === 'string' || typeof two === 'string') throw new Error('PostgreSQL went away');
    schemas.push(one, two);
    for (const { url } of [one, two]) {
      const db = connect('postgres', url);
      await migrateToLatest(db, 'postgres');
      await sql`select username_key from users`.execute(db);
      await db.destroy();
    }
  });

  let first = true;
  migrationSuite('postgres', async () => {
    if (first) {
      first = false;
      return probe.url;
    }
    const schema = await postgresSchema();
    if (typeof schema === 'string') throw new Error(schema);
    schemas.push(schema);
    return schema.url;
  });
});
