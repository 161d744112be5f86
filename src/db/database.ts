import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations.js';
import { explainPostgresFailure, withPostgresUser } from './postgres-user.js';
import type { Schema } from './schema.js';
import { ConfigError, redactUrl } from '../config.js';

export type Dialect = 'sqlite' | 'postgres';

/** The app's database: Kysely for queries, and the driver's own handle for the session store. */
export type Database =
  | { dialect: 'sqlite'; db: Kysely<Schema>; sqlite: SQLite.Database; close(): Promise<void> }
  | { dialect: 'postgres'; db: Kysely<Schema>; pool: pg.Pool; close(): Promise<void> };

/**
 * Opens the database named by a `sqlite:<path>` or `postgres://` URL and migrates it (unless
 * `migrate: false`, for `latchkey doctor` and `latchkey db migrate`, which look first).
 *
 * @example
 * const { db } = await openDatabase('sqlite::memory:');
 */
export async function openDatabase(url: string, { migrate = true } = {}): Promise<Database> {
  let database: Database | undefined;
  try {
    database = url.startsWith('sqlite:') ? openSqlite(url.slice('sqlite:'.length)) : openPostgres(url);
    if (migrate) await migrateToLatest(database.db as Kysely<unknown>, database.dialect);
    return database;
  } catch (error) {
    await database?.close().catch(() => {});
    const reason = url.startsWith('sqlite:') ? (error as Error).message || String(error) : explainPostgresFailure(error, url, withPostgresUser(url));
    throw new ConfigError(`DATABASE_URL: cannot open ${redactUrl(url)} (${reason})`);
  }
}

function openSqlite(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew, and preparing costs more than running a small query; the
 * app's queries are a few fixed shapes, so each is prepared once and reused.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => sqlite.close(),
  };
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: withPostgresUser(url), max: 10 });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', pool, close: () => db.destroy() };
}

/** True when the error is a unique-constraint violation, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
