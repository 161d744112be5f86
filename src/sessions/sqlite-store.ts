import type SQLite from 'better-sqlite3';
import type { SessionsTable as Row } from '../db/schema.js';
import type { SessionData } from './session.js';
import { applyPatch, type SessionStore, type StoredSession } from './session-store.js';


const SWEEP_BATCH = 500;
const COLUMNS = 'key, user_id, data, created_at, last_seen_at, expires_at, handle, remember, user_agent, ip';

/**
 * Sessions in the app's SQLite database (the `sessions` table of the migrations), through
 * prepared statements: every request reads one, so the hot path skips the query builder.
 * better-sqlite3 is synchronous, so a read-merge-write inside a transaction is atomic.
 */
export function createSqliteSessionStore(sqlite: SQLite.Database): SessionStore {
  const select = sqlite.prepare<[string, number], Row>(`SELECT ${COLUMNS} FROM sessions WHERE key = ? AND expires_at > ?`);
  const selectData = sqlite.prepare<[string], { data: string }>('SELECT data FROM sessions WHERE key = ?');
  const insert = sqlite.prepare(`INSERT INTO sessions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const write = sqlite.prepare('UPDATE sessions SET user_id = ?, data = ?, last_seen_at = ?, expires_at = ? WHERE key = ?');
  const touch = sqlite.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE key = ?');
  const destroy = sqlite.prepare('DELETE FROM sessions WHERE key = ?');
  const destroyUser = sqlite.prepare('DELETE FROM sessions WHERE user_id = ? AND key <> ?');
  const destroyHandle = sqlite.prepare('DELETE FROM sessions WHERE user_id = ? AND handle = ?');
  const listUser = sqlite.prepare<[number, number], Row>(
    `SELECT ${COLUMNS} FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC`,
  );
  const sweepBatch = sqlite.prepare(
    `DELETE FROM sessions WHERE key IN (SELECT key FROM sessions WHERE expires_at <= ? LIMIT ${SWEEP_BATCH})`,
  );
  const update = sqlite.transaction((key: string, patch: Parameters<SessionStore['update']>[1]) => {
    const row = selectData.get(key);
    if (!row) return false;
    const data = applyPatch(JSON.parse(row.data) as SessionData, patch);
    write.run(patch.userId, JSON.stringify(data), patch.lastSeenAt, patch.expiresAt, key);
    return true;
  });

  return {
    async get(key, now) {
      const row = select.get(key, now);
      return row ? fromRow(row) : null;
    },
    async create(key, s) {
      insert.run(key, s.userId, JSON.stringify(s.data), s.createdAt, s.lastSeenAt, s.expiresAt, s.handle, Number(s.remember), s.userAgent, s.ip);
    },
    async update(key, patch) {
      return update.immediate(key, patch);
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
    async destroyHandle(userId, handle) {
      return destroyHandle.run(userId, handle).changes > 0;
    },
    async listUser(userId, now) {
      return listUser.all(userId, now).map((row) => ({ ...fromRow(row), key: row.key }));
    },
    async sweep(now) {
      // in batches, yielding between them: a million expired rows must not stall requests
      let swept = 0;
      for (;;) {
        const { changes } = sweepBatch.run(now);
        swept += changes;
        if (changes < SWEEP_BATCH) return swept;
        await new Promise((resolve) => setImmediate(resolve));
      }
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
    handle: row.handle,
    remember: row.remember === 1,
    userAgent: row.user_agent,
    ip: row.ip,
  };
}
