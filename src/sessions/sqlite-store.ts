import type SQLite from 'better-sqlite3';
import type { SessionData } from './session.js';
import type { SessionStore, StoredSession } from './session-store.js';

interface Row {
  user_id: number | null;
  data: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

/**
 * Sessions in the app's SQLite database (the `sessions` table of the migrations), through
 * prepared statements: every request reads one, so the hot path skips the query builder.
 */
export function createSqliteSessionStore(sqlite: SQLite.Database): SessionStore {
  const select = sqlite.prepare<[string, number], Row>(
    'SELECT user_id, data, created_at, last_seen_at, expires_at FROM sessions WHERE key = ? AND expires_at > ?',
  );
  const insert = sqlite.prepare(
    'INSERT INTO sessions (key, user_id, data, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const update = sqlite.prepare(
    'UPDATE sessions SET user_id = ?, data = ?, last_seen_at = ?, expires_at = ? WHERE key = ?',
  );
  const touch = sqlite.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE key = ?');
  const destroy = sqlite.prepare('DELETE FROM sessions WHERE key = ?');
  const destroyUser = sqlite.prepare('DELETE FROM sessions WHERE user_id = ? AND key <> ?');
  const sweep = sqlite.prepare('DELETE FROM sessions WHERE expires_at <= ?');

  return {
    async get(key, now) {
      const row = select.get(key, now);
      return row ? fromRow(row) : null;
    },
    async create(key, s) {
      insert.run(key, s.userId, JSON.stringify(s.data), s.createdAt, s.lastSeenAt, s.expiresAt);
    },
    async update(key, s) {
      return update.run(s.userId, JSON.stringify(s.data), s.lastSeenAt, s.expiresAt, key).changes > 0;
    },
    async touch(key, lastSeenAt, expiresAt) {
      touch.run(lastSeenAt, expiresAt, key);
    },
    async destroy(key) {
      destroy.run(key);
    },
    async destroyUser(userId, exceptKey = '') {
      destroyUser.run(userId, exceptKey);
    },
    async sweep(now) {
      return sweep.run(now).changes;
    },
    async close() {},
  };
}

function fromRow(row: Row): StoredSession {
  return {
    userId: row.user_id,
    data: JSON.parse(row.data) as SessionData,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}
