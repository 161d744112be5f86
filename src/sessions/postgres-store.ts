import type pg from 'pg';
import type { SessionData } from './session.js';
import type { SessionStore, StoredSession } from './session-store.js';

interface Row {
  user_id: number | null;
  data: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

/** Sessions in the app's Postgres database (the `sessions` table of the migrations). */
export function createPostgresSessionStore(pool: pg.Pool): SessionStore {
  const run = (text: string, values: unknown[]) => pool.query({ text, values });
  return {
    async get(key, now) {
      const { rows } = await pool.query<Row>({
        name: 'latchkey_session_get',
        text: 'SELECT user_id, data, created_at, last_seen_at, expires_at FROM sessions WHERE key = $1 AND expires_at > $2',
        values: [key, now],
      });
      return rows[0] ? fromRow(rows[0]) : null;
    },
    async create(key, s) {
      await run(
        'INSERT INTO sessions (key, user_id, data, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [key, s.userId, JSON.stringify(s.data), s.createdAt, s.lastSeenAt, s.expiresAt],
      );
    },
    async update(key, s) {
      const result = await run(
        'UPDATE sessions SET user_id = $1, data = $2, last_seen_at = $3, expires_at = $4 WHERE key = $5',
        [s.userId, JSON.stringify(s.data), s.lastSeenAt, s.expiresAt, key],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async touch(key, lastSeenAt, expiresAt) {
      await run('UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE key = $3', [lastSeenAt, expiresAt, key]);
    },
    async destroy(key) {
      await run('DELETE FROM sessions WHERE key = $1', [key]);
    },
    async destroyUser(userId, exceptKey = '') {
      await run('DELETE FROM sessions WHERE user_id = $1 AND key <> $2', [userId, exceptKey]);
    },
    async sweep(now) {
      return (await run('DELETE FROM sessions WHERE expires_at <= $1', [now])).rowCount ?? 0;
    },
    async close() {},
  };
}

function fromRow(row: Row): StoredSession {
  return {
    userId: row.user_id,
    data: JSON.parse(row.data) as SessionData,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    expiresAt: Number(row.expires_at),
  };
}
