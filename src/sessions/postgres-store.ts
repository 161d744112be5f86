import type pg from 'pg';
import type { SessionData } from './session.js';
import type { SessionStore, StoredSession } from './session-store.js';

interface Row {
  key: string;
  user_id: number | null;
  data: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  handle: string;
  remember: number;
  user_agent: string;
  ip: string;
}

const COLUMNS = 'key, user_id, data, created_at, last_seen_at, expires_at, handle, remember, user_agent, ip';

/**
 * Sessions in the app's Postgres database (the `sessions` table of the migrations). A patch is
 * merged by one UPDATE with jsonb operators, so concurrent writes to different keys both land.
 */
export function createPostgresSessionStore(pool: pg.Pool): SessionStore {
  const run = (name: string, text: string, values: unknown[]) => pool.query<Row>({ name: `latchkey_${name}`, text, values });
  return {
    async get(key, now) {
      const { rows } = await run('get', `SELECT ${COLUMNS} FROM sessions WHERE key = $1 AND expires_at > $2`, [key, now]);
      return rows[0] ? fromRow(rows[0]) : null;
    },
    async create(key, s) {
      await run(
        'create',
        `INSERT INTO sessions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [key, s.userId, JSON.stringify(s.data), s.createdAt, s.lastSeenAt, s.expiresAt, s.handle, Number(s.remember), s.userAgent, s.ip],
      );
    },
    async update(key, patch) {
      const base = patch.replace ? `'{}'::jsonb` : 'data::jsonb';
      const result = await run(
        patch.replace ? 'replace' : 'merge',
        `UPDATE sessions SET user_id = $1, data = ((${base} || $2::jsonb) - $3::text[])::text, last_seen_at = $4, expires_at = $5 WHERE key = $6`,
        [patch.userId, JSON.stringify(patch.set), patch.unset, patch.lastSeenAt, patch.expiresAt, key],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async touch(key, lastSeenAt, expiresAt) {
      await run('touch', 'UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE key = $3', [lastSeenAt, expiresAt, key]);
    },
    async destroy(key) {
      await run('destroy', 'DELETE FROM sessions WHERE key = $1', [key]);
    },
    async destroyUser(userId, exceptKey = '') {
      await run('destroy_user', 'DELETE FROM sessions WHERE user_id = $1 AND key <> $2', [userId, exceptKey]);
    },
    async destroyHandle(userId, handle) {
      const result = await run('destroy_handle', 'DELETE FROM sessions WHERE user_id = $1 AND handle = $2', [userId, handle]);
      return (result.rowCount ?? 0) > 0;
    },
    async listUser(userId, now) {
      const { rows } = await run(
        'list_user',
        `SELECT ${COLUMNS} FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC`,
        [userId, now],
      );
      return rows.map((row) => ({ ...fromRow(row), key: row.key }));
    },
    async sweep(now) {
      return (await run('sweep', 'DELETE FROM sessions WHERE expires_at <= $1', [now])).rowCount ?? 0;
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
    handle: row.handle,
    remember: Number(row.remember) === 1,
    userAgent: row.user_agent,
    ip: row.ip,
  };
}
