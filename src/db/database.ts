import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient, SqliteDialect } from 'kysely';
import type { OutageTracker } from 'latchkey';
import pg from 'pg';
import { isDatabaseFault } from './connection-faults.js';
import { migrateToLatest } from './migrations.js';
import { explainPostgresFailure, withPostgresUser } from './postgres-user.js';
import type { Schema } from './schema.js';
import { ConfigError, redactUrl } from '../config.js';

export type Dialect = 'sqlite' | 'postgres';

interface Handle {
  db: Kysely<Schema>;
  /** Answers when the database does (the readiness check); rejects on a fault or past the deadline. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The app's database: Kysely for queries, and the driver's own handle for the session store. */
export type Database = ({ dialect: 'sqlite'; sqlite: SQLite.Database } | { dialect: 'postgres'; pool: pg.Pool }) & Handle;

export interface DatabaseOptions {
  /** PostgreSQL: the deadline of every connect and every query, in milliseconds. Default 2000. */
  timeoutMs?: number;
  /** PostgreSQL: told when connections fail and when they work again, to log an outage once. */
  outage?: OutageTracker;
  /** False: open without migrating (`latchkey doctor` and `latchkey db migrate` look first). Default true. */
  migrate?: boolean;
}

/**
 * Opens the database named by a `sqlite:<path>` or `postgres://` URL and migrates it (unless
 * `migrate: false`, for `latchkey doctor` and `latchkey db migrate`, which look first).
 *
 * @example
 * const { db } = await openDatabase('sqlite::memory:');
 */
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<Database> {
  let database: Database | undefined;
  try {
    database = url.startsWith('sqlite:') ? openSqlite(url.slice('sqlite:'.length)) : openPostgres(url, options);
    if (options.migrate !== false) await migrateToLatest(database.db as Kysely<unknown>, database.dialect);
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
  const ping = sqlite.prepare('SELECT 1');
  return { db, dialect: 'sqlite', sqlite, ping: async () => void ping.get(), close: () => db.destroy() };
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

/**
 * A pool where nothing waits forever: connecting (or waiting for a free connection) and every
 * query have a deadline, a connection that broke or timed out is thrown away rather than reused,
 * and a connection dropped while idle (a restart, a failover, `pg_terminate_backend`) is an
 * event the pool handles — without an `error` listener it would end the process.
 */
function openPostgres(url: string, { timeoutMs = 2000, outage }: DatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString: withPostgresUser(url), max: 10, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, keepAlive: true });
  pool.on('error', (error) => outage?.failed(error));
  pool.on('release', (error: unknown) => {
    if (!error) outage?.succeeded();
    else if (error instanceof Error && isDatabaseFault(error)) outage?.failed(error);
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: discardingBrokenClients(pool, outage) }) });
  const ping = async () => void (await pool.query('SELECT 1'));
  return { db, dialect: 'postgres', pool, ping, close: () => db.destroy() };
}

/**
 * Kysely gives its connections back to the pool without saying whether they broke; a client
 * whose query timed out would be handed to the next request with that query still pending.
 * This pool tells pg-pool to destroy such a client instead.
 */
function discardingBrokenClients(pool: pg.Pool, outage: OutageTracker | undefined): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        if (isDatabaseFault(error)) outage?.failed(error);
        throw error;
      }
      let broken = false;
      const query = async (sql: string, parameters: unknown[]) => {
        try {
          return await client.query(sql, parameters);
        } catch (error) {
          if (isDatabaseFault(error)) broken = true;
          throw error;
        }
      };
      return { query, release: (destroy?: boolean) => client.release(destroy === true || broken) } as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}

/** True when the error is a unique-constraint violation, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
