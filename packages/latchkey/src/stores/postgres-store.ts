import type pg from 'pg';
import type { SessionData } from '../session-data.js';
import { SESSION_COLUMNS as COLUMNS, checkTableName, sessionTableSteps } from './sql-schema.js';
import { decodeUserId, encodeUserId, type SessionStore, type StoredSession } from './session-store.js';

interface Row {
  key_hash: string;
  user_id: string | null;
  data: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  handle: string;
  remember: number;
  user_agent: string;
  ip: string;
}

/**
 * Options of `createPostgresSessionStore`.
 *
 * @example
 * createPostgresSessionStore(pool, { tableName: 'app_sessions' } satisfies PostgresStoreOptions);
 */
export interface PostgresStoreOptions {
  /** The sessions table; created by `migrate()`. Default `latchkey_sessions`. */
  tableName?: string;
}

/**
 * Sessions in PostgreSQL (`pg`). A patch is merged by one UPDATE with jsonb operators, so
 * concurrent writes to different keys both land. Give the pool deadlines
 * (`connectionTimeoutMillis`, `query_timeout`) and an `error` listener: the store adds none.
 *
 * @example
 * const store = createPostgresSessionStore(new pg.Pool({ connectionString, query_timeout: 2000 }));
 */
export function createPostgresSessionStore(pool: pg.Pool, options: PostgresStoreOptions = {}): SessionStore {
  const table = checkTableName('tableName', options.tableName ?? 'latchkey_sessions');
  const run = (name: string, text: string, values: unknown[]) => pool.query<Row>({ name: `${table}_${name}`, text, values });
  return {
    migrate: () => migratePostgres(pool, table),
    async get(key, now) {
      const { rows } = await run('get', `SELECT ${COLUMNS} FROM ${table} WHERE key_hash = $1 AND expires_at > $2`, [key, now]);
      return rows[0] ? fromRow(rows[0]) : null;
    },
    async create(key, s) {
      const userId = s.userId === null ? null : encodeUserId(s.userId);
      const values = [key, userId, JSON.stringify(s.data), s.createdAt, s.lastSeenAt, s.expiresAt, s.handle, Number(s.remember), s.userAgent, s.ip];
      await run('create', `INSERT INTO ${table} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, values);
    },
    async update(key, patch) {
      const base = patch.replace ? `'{}'::jsonb` : 'data::jsonb';
      const keepUser = patch.userId === undefined;
      const userId = patch.userId === undefined || patch.userId === null ? null : encodeUserId(patch.userId);
      const result = await run(
        patch.replace ? 'replace' : 'merge',
        `UPDATE ${table} SET user_id = CASE WHEN $1 THEN user_id ELSE $2 END,
           data = ((${base} || $3::jsonb) - $4::text[])::text, last_seen_at = $5, expires_at = $6
         WHERE key_hash = $7`,
        [keepUser, userId, JSON.stringify(patch.set ?? {}), patch.unset ?? [], patch.lastSeenAt, patch.expiresAt, key],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async delete(key) {
      await run('delete', `DELETE FROM ${table} WHERE key_hash = $1`, [key]);
    },
    async deleteUser(userId, exceptKey = '') {
      await run('delete_user', `DELETE FROM ${table} WHERE user_id = $1 AND key_hash <> $2`, [encodeUserId(userId), exceptKey]);
    },
    async listUser(userId, now) {
      const { rows } = await run(
        'list_user',
        `SELECT ${COLUMNS} FROM ${table} WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC`,
        [encodeUserId(userId), now],
      );
      return rows.map((row) => ({ ...fromRow(row), key: row.key_hash }));
    },
    async sweep(now) {
      return (await run('sweep', `DELETE FROM ${table} WHERE expires_at <= $1`, [now])).rowCount ?? 0;
    },
  };
}

/**
 * Creates the table and brings it up to date in one transaction, under an advisory lock so that
 * several instances starting at once migrate once.
 */
async function migratePostgres(pool: pg.Pool, table: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${table}_migrations`]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${table}_migrations (step INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`);
    const { rows } = await client.query<{ n: number | null }>(`SELECT max(step) AS n FROM ${table}_migrations`);
    const done = rows[0]?.n ?? 0;
    const steps = sessionTableSteps('postgres', table);
    for (const [index, step] of steps.slice(done).entries()) {
      await client.query(step);
      await client.query(`INSERT INTO ${table}_migrations (step, applied_at) VALUES ($1, $2)`, [done + index + 1, Date.now()]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

function fromRow(row: Row): StoredSession {
  return {
    userId: decodeUserId(row.user_id),
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
