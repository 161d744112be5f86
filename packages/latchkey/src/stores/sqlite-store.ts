import type SQLite from 'better-sqlite3';
import type { SessionData } from '../session-data.js';
import { SESSION_COLUMNS as COLUMNS, checkTableName, sessionTableSteps } from './sql-schema.js';
import { applyPatch, decodeUserId, encodeUserId, type SessionPatch, type SessionStore, type StoredSession } from './session-store.js';

interface Row {
  key_hash: string;
  user_id: string | null;
  data: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  handle: string;
  remember: number;
  user_agent: string;
  ip: string;
}

/**
 * Options of `createSqliteSessionStore`.
 *
 * @example
 * createSqliteSessionStore(db, { tableName: 'app_sessions' } satisfies SqliteStoreOptions);
 */
export interface SqliteStoreOptions {
  /** The sessions table; created by `migrate()`. Default `latchkey_sessions`. */
  tableName?: string;
}

const SWEEP_BATCH = 500;

/**
 * Sessions in a SQLite database (better-sqlite3), through prepared statements: every request
 * reads one, so the hot path skips any query builder. better-sqlite3 is synchronous, so a
 * read-merge-write inside a transaction is atomic.
 *
 * @example
 * const store = createSqliteSessionStore(new Database('data/app.db'));
 */
export function createSqliteSessionStore(sqlite: SQLite.Database, options: SqliteStoreOptions = {}): SessionStore {
  const table = checkTableName('tableName', options.tableName ?? 'latchkey_sessions');
  let statements: ReturnType<typeof prepare> | undefined;
  // prepared on first use: the table exists only once `migrate()` has run
  const sql = () => (statements ??= prepare(sqlite, table));

  return {
    async migrate() {
      migrateSqlite(sqlite, table);
    },
    async get(key, now) {
      const row = sql().select.get(key, now);
      return row ? fromRow(row) : null;
    },
    async create(key, s) {
      sql().insert.run(key, s.userId === null ? null : encodeUserId(s.userId), JSON.stringify(s.data), s.createdAt, s.lastSeenAt, s.expiresAt, s.handle, Number(s.remember), s.userAgent, s.ip);
    },
    async update(key, patch) {
      return sql().update.immediate(key, patch);
    },
    async delete(key) {
      sql().remove.run(key);
    },
    async deleteUser(userId, exceptKey = '') {
      sql().removeUser.run(encodeUserId(userId), exceptKey);
    },
    async listUser(userId, now) {
      return sql().listUser.all(encodeUserId(userId), now).map((row) => ({ ...fromRow(row), key: row.key_hash }));
    },
    async sweep(now) {
      // in batches, yielding between them: a million expired rows must not stall requests
      let swept = 0;
      for (;;) {
        const { changes } = sql().sweepBatch.run(now);
        swept += changes;
        if (changes < SWEEP_BATCH) return swept;
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

function prepare(sqlite: SQLite.Database, table: string) {
  const selectData = sqlite.prepare<[string], { data: string; user_id: string | null }>(`SELECT data, user_id FROM ${table} WHERE key_hash = ?`);
  const write = sqlite.prepare(`UPDATE ${table} SET user_id = ?, data = ?, last_seen_at = ?, expires_at = ? WHERE key_hash = ?`);
  const touch = sqlite.prepare(`UPDATE ${table} SET last_seen_at = ?, expires_at = ? WHERE key_hash = ?`);
  return {
    select: sqlite.prepare<[string, number], Row>(`SELECT ${COLUMNS} FROM ${table} WHERE key_hash = ? AND expires_at > ?`),
    insert: sqlite.prepare(`INSERT INTO ${table} (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    remove: sqlite.prepare(`DELETE FROM ${table} WHERE key_hash = ?`),
    removeUser: sqlite.prepare(`DELETE FROM ${table} WHERE user_id = ? AND key_hash <> ?`),
    listUser: sqlite.prepare<[string, number], Row>(`SELECT ${COLUMNS} FROM ${table} WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC`),
    sweepBatch: sqlite.prepare(`DELETE FROM ${table} WHERE key_hash IN (SELECT key_hash FROM ${table} WHERE expires_at <= ? LIMIT ${SWEEP_BATCH})`),
    update: sqlite.transaction((key: string, patch: SessionPatch): boolean => {
      const row = selectData.get(key);
      if (!row) return false;
      const userId = patch.userId === undefined ? row.user_id : patch.userId === null ? null : encodeUserId(patch.userId);
      if (patch.set === undefined && patch.unset === undefined && !patch.replace && userId === row.user_id) {
        return touch.run(patch.lastSeenAt, patch.expiresAt, key).changes > 0;
      }
      const data = applyPatch(JSON.parse(row.data) as SessionData, patch);
      write.run(userId, JSON.stringify(data), patch.lastSeenAt, patch.expiresAt, key);
      return true;
    }),
  };
}

/** Creates the table and brings it up to date, each step once, in one transaction. */
export function migrateSqlite(sqlite: SQLite.Database, table: string): void {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS ${table}_migrations (step INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`);
  sqlite.transaction(() => {
    const done = sqlite.prepare<[], { n: number | null }>(`SELECT max(step) AS n FROM ${table}_migrations`).get()?.n ?? 0;
    const steps = sessionTableSteps('sqlite', table);
    steps.slice(done).forEach((step, index) => {
      sqlite.exec(step);
      sqlite.prepare(`INSERT INTO ${table}_migrations (step, applied_at) VALUES (?, ?)`).run(done + index + 1, Date.now());
    });
  }).immediate();
}

function fromRow(row: Row): StoredSession {
  return {
    userId: decodeUserId(row.user_id),
    data: JSON.parse(row.data) as SessionData,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    handle: row.handle,
    remember: row.remember === 1,
    userAgent: row.user_agent,
    ip: row.ip,
  };
}
