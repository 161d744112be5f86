import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { redactUrl } from '../config.js';

/** A user row of the chapter's Flask-SQLAlchemy model (`class User`, table `users`). */
export interface FlaskUser {
  id: number;
  username: string;
  /** Flask-Bcrypt's hash (`$2b$…`). */
  password: string;
  first_name: string | null;
  last_name: string | null;
}

/** A message row (`class Message`, table `messages`); Flask's `user_id` may be NULL. */
export interface FlaskMessage {
  id: number;
  content: string;
  user_id: number | null;
}

/** The Flask app's database, read-only, in one consistent snapshot. */
export interface FlaskSource {
  /** Where it is, with any password hidden. */
  readonly label: string;
  counts(): Promise<{ users: number; messages: number }>;
  users(): Promise<FlaskUser[]>;
  /** Messages in id order, `batchSize` at a time. */
  messages(batchSize: number): AsyncIterable<FlaskMessage[]>;
  close(): Promise<void>;
}

/** The database cannot be read as the Flask app's: the message says why and what to give instead. */
export class FlaskSourceError extends Error {
  override name = 'FlaskSourceError';
}

/** The tables and columns of the chapter's models; anything else is not that app's database. */
const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  users: ['id', 'username', 'password', 'first_name', 'last_name'],
  messages: ['id', 'content', 'user_id'],
};
const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 120_000;

/**
 * Opens the Flask app's database: a SQLite file (a path, `sqlite:<path>`, or SQLAlchemy's
 * `sqlite:///relative` / `sqlite:////absolute`) or PostgreSQL (`postgres://`, `postgresql://`,
 * `postgresql+psycopg2://`). It is only read, inside one read-only transaction, and must hold the
 * chapter's `users` and `messages` tables.
 *
 * @example
 * const source = await openFlaskSource('sqlite:////srv/flask/app.db');
 */
export async function openFlaskSource(url: string): Promise<FlaskSource> {
  const postgres = /^postgres(?:ql)?(?:\+\w+)?:\/\//.exec(url);
  if (postgres) return openPostgres(url.replace(/^postgres(?:ql)?(?:\+\w+)?:/, 'postgres:'));
  return openSqlite(sqlitePath(url));
}

function sqlitePath(url: string): string {
  let path = url;
  if (url.startsWith('sqlite:///')) path = url.slice('sqlite:///'.length);
  else if (url.startsWith('sqlite:')) path = url.slice('sqlite:'.length);
  else if (/^\w[\w+.-]*:\/\//.test(url)) {
    throw new FlaskSourceError(`${redactUrl(url)}: not a database URL this command reads; give a SQLite file (path or sqlite:///path) or postgres://…`);
  }
  if (path === '' || path === ':memory:' || !existsSync(path)) {
    throw new FlaskSourceError(`${path || url}: no such SQLite file (SQLAlchemy's sqlite:////absolute/path has four slashes)`);
  }
  return resolve(path);
}

function openSqlite(path: string): FlaskSource {
  let db: SQLite.Database;
  try {
    db = new SQLite(path, { readonly: true, fileMustExist: true, timeout: 5000 });
    db.pragma('schema_version'); // reads the header: a file that is not SQLite fails here
  } catch (error) {
    throw new FlaskSourceError(`${path}: not a SQLite database (${(error as Error).message})`);
  }
  try {
    const columns = (table: string) => (db.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map((row) => row.name);
    checkSchema(path, columns);
    // one read transaction: a Flask app writing meanwhile cannot make users and messages disagree
    db.exec('begin');
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    label: path,
    counts: async () => ({
      users: (db.prepare('select count(*) as n from users').get() as { n: number }).n,
      messages: (db.prepare('select count(*) as n from messages').get() as { n: number }).n,
    }),
    users: async () => db.prepare('select id, username, password, first_name, last_name from users order by id').all() as FlaskUser[],
    async *messages(batchSize) {
      const page = db.prepare('select id, content, user_id from messages where id > ? order by id limit ?');
      for (let after = Number.MIN_SAFE_INTEGER; ;) {
        const rows = page.all(after, batchSize) as FlaskMessage[];
        if (rows.length === 0) return;
        yield rows;
        after = rows.at(-1)!.id;
      }
    },
    close: async () => {
      db.close();
    },
  };
}

async function openPostgres(url: string): Promise<FlaskSource> {
  const label = redactUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, statement_timeout: STATEMENT_TIMEOUT_MS });
  client.on('error', () => {}); // a dropped connection fails the next query, which reports it
  try {
    await client.connect();
  } catch (error) {
    throw new FlaskSourceError(`${label}: cannot connect (${(error as Error).message})`);
  }
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
       where table_schema = current_schema() and table_name = any($1)`,
      [Object.keys(REQUIRED)],
    );
    checkSchema(label, (table) => rows.filter((row) => row.table_name === table).map((row) => row.column_name));
    await client.query('begin isolation level repeatable read read only');
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return {
    label,
    async counts() {
      const { rows } = await client.query<{ users: string; messages: string }>(
        'select (select count(*) from users) as users, (select count(*) from messages) as messages',
      );
      return { users: Number(rows[0]!.users), messages: Number(rows[0]!.messages) };
    },
    users: async () => (await client.query<FlaskUser>('select id::int as id, username, password, first_name, last_name from users order by id')).rows,
    async *messages(batchSize) {
      for (let after = Number.MIN_SAFE_INTEGER; ;) {
        const { rows } = await client.query<FlaskMessage>('select id::int as id, content, user_id::int as user_id from messages where id > $1::bigint order by id limit $2', [after, batchSize]);
        if (rows.length === 0) return;
        yield rows;
        after = rows.at(-1)!.id;
      }
    },
    close: async () => {
      await client.query('rollback').catch(() => {});
      await client.end();
    },
  };
}

/** Refuses a database without the chapter's tables, saying what is missing and what it looks like instead. */
function checkSchema(label: string, columnsOf: (table: string) => string[]): void {
  for (const [table, required] of Object.entries(REQUIRED)) {
    const columns = columnsOf(table);
    const missing = required.filter((column) => !columns.includes(column));
    if (missing.length === 0) continue;
    const latchkey = table === 'users' && columns.includes('password_hash') ? " (it looks like Latchkey's own database: give the Flask app's)" : '';
    const found = columns.length === 0 ? `no table ${table}` : `table ${table} lacks ${missing.join(', ')}`;
    throw new FlaskSourceError(
      `${label} is not the Flask app's database: ${found}${latchkey}. Expected the chapter's Flask-SQLAlchemy models: ` +
        'users(id, username, password, first_name, last_name) and messages(id, content, user_id).',
    );
  }
}
