import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { SessionData } from '../session-data.js';
import { SESSION_COLUMNS as COLUMNS, checkTableName, sessionTableSteps } from './sql-schema.js';
import { applyPatch, changesData, decodeUserId, encodeUserId, type SessionPatch, type SessionStore, type StoredSession } from './session-store.js';

interface Row extends RowDataPacket {
  key_hash: string;
  user_id: string | null;
  data: string;
  // BIGINT: a number, or a string when the pool sets supportBigNumbers
  created_at: number | string;
  last_seen_at: number | string;
  expires_at: number | string;
  handle: string;
  remember: number;
  user_agent: string;
  ip: string;
}

/**
 * Options of `createMysqlSessionStore`.
 *
 * @example
 * createMysqlSessionStore(pool, { tableName: 'app_sessions', queryTimeoutMs: 2000 } satisfies MysqlStoreOptions);
 */
export interface MysqlStoreOptions {
  /** The sessions table; created by `migrate()`. Default `latchkey_sessions`. */
  tableName?: string;
  /** The deadline of each query, in milliseconds; a query past it fails (and Latchkey answers 503). Default 5000. */
  queryTimeoutMs?: number;
}

const SWEEP_BATCH = 500;
type Value = string | number | null;

/**
 * Sessions in MySQL or MariaDB (`mysql2/promise`). A patch that merges keys reads the row
 * with `SELECT … FOR UPDATE` and writes it back in one transaction, so two requests that change
 * different keys both keep their change. (Not `JSON_MERGE_PATCH`: it deletes a key set to null and
 * merges nested objects instead of replacing them.) Every query has a deadline
 * (`queryTimeoutMs`); give the pool a `connectTimeout` too.
 *
 * @example
 * import mysql from 'mysql2/promise';
 * const store = createMysqlSessionStore(mysql.createPool({ uri: process.env.MYSQL_URL, connectTimeout: 2000 }));
 */
export function createMysqlSessionStore(pool: Pool, options: MysqlStoreOptions = {}): SessionStore {
  const table = checkTableName('tableName', options.tableName ?? 'latchkey_sessions');
  const timeout = options.queryTimeoutMs ?? 5000;
  if (!Number.isFinite(timeout) || timeout <= 0) throw new TypeError('queryTimeoutMs: must be a positive number of milliseconds');
  const run = <T extends Row[] | ResultSetHeader>(on: Pool | PoolConnection, sql: string, values: Value[]) =>
    on.execute<T>({ sql, timeout, rowsAsArray: false }, values).then(([result]) => result);
  const exists = async (key: string) => (await run<Row[]>(pool, `SELECT 1 FROM ${table} WHERE key_hash = ?`, [key])).length > 0;

  /** Keys set and unset against what the row holds now: read it locked, merge, write, commit. */
  async function merge(key: string, patch: SessionPatch, userId: string | null | undefined): Promise<boolean> {
    const connection = await pool.getConnection();
    try {
      await connection.beginTransaction();
      const [row] = await run<Row[]>(connection, `SELECT user_id, data FROM ${table} WHERE key_hash = ? FOR UPDATE`, [key]);
      if (!row) {
        await connection.rollback();
        return false;
      }
      const data = applyPatch(JSON.parse(row.data) as SessionData, patch);
      await run(connection, `UPDATE ${table} SET user_id = ?, data = ?, last_seen_at = ?, expires_at = ? WHERE key_hash = ?`, [
        userId === undefined ? row.user_id : userId,
        JSON.stringify(data),
        patch.lastSeenAt,
        patch.expiresAt,
        key,
      ]);
      await connection.commit();
      connection.release();
      return true;
    } catch (error) {
      // a connection whose transaction failed half-way (a timeout, a lost server) is not given back
      connection.destroy();
      throw error;
    }
  }

  return {
    migrate: () => migrateMysql(pool, table, timeout),
    async get(key, now) {
      const [row] = await run<Row[]>(pool, `SELECT ${COLUMNS} FROM ${table} WHERE key_hash = ? AND expires_at > ?`, [key, now]);
      return row ? fromRow(row) : null;
    },
    async create(key, s) {
      const userId = s.userId === null ? null : encodeUserId(s.userId);
      const values: Value[] = [key, userId, JSON.stringify(s.data), s.createdAt, s.lastSeenAt, s.expiresAt, s.handle, Number(s.remember), s.userAgent, s.ip];
      await run(pool, `INSERT INTO ${table} (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, values);
    },
    async update(key, patch) {
      const userId = patch.userId === undefined ? undefined : patch.userId === null ? null : encodeUserId(patch.userId);
      if (changesData(patch) && !patch.replace) return merge(key, patch, userId);
      // a touch, a new user or whole new data needs no read: one UPDATE
      const data = patch.replace ? JSON.stringify(applyPatch({}, patch)) : null;
      const result = await run<ResultSetHeader>(
        pool,
        `UPDATE ${table} SET user_id = IF(?, user_id, ?), data = COALESCE(?, data), last_seen_at = ?, expires_at = ? WHERE key_hash = ?`,
        [userId === undefined ? 1 : 0, userId ?? null, data, patch.lastSeenAt, patch.expiresAt, key],
      );
      // MySQL counts changed rows, not matched ones: an UPDATE that changed nothing still found the session
      return result.affectedRows > 0 || (await exists(key));
    },
    async delete(key) {
      await run(pool, `DELETE FROM ${table} WHERE key_hash = ?`, [key]);
    },
    async deleteUser(userId, exceptKey = '') {
      await run(pool, `DELETE FROM ${table} WHERE user_id = ? AND key_hash <> ?`, [encodeUserId(userId), exceptKey]);
    },
    async listUser(userId, now) {
      const rows = await run<Row[]>(
        pool,
        `SELECT ${COLUMNS} FROM ${table} WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC`,
        [encodeUserId(userId), now],
      );
      return rows.map((row) => ({ ...fromRow(row), key: row.key_hash }));
    },
    async sweep(now) {
      // in batches: one huge DELETE would hold its locks (and the undo log) for as long as it runs
      let swept = 0;
      for (;;) {
        const { affectedRows } = await run<ResultSetHeader>(pool, `DELETE FROM ${table} WHERE expires_at <= ? LIMIT ${SWEEP_BATCH}`, [now]);
        swept += affectedRows;
        if (affectedRows < SWEEP_BATCH) return swept;
      }
    },
  };
}

/**
 * Creates the table and brings it up to date, each step once. MySQL commits around every DDL
 * statement, so a transaction cannot make several instances starting at once migrate once; a
 * named lock (`GET_LOCK`) does.
 */
async function migrateMysql(pool: Pool, table: string, timeout: number): Promise<void> {
  const connection = await pool.getConnection();
  const lock = `latchkey_migrate_${table}`.slice(0, 64);
  const query = <T extends Row[] | ResultSetHeader>(sql: string, values: Value[] = []) =>
    connection.query<T>({ sql, timeout: Math.max(timeout, 30_000) }, values).then(([result]) => result);
  try {
    const [locked] = await query<Row[]>('SELECT GET_LOCK(?, 30) AS locked', [lock]);
    if (Number(locked?.locked) !== 1) throw new Error(`latchkey: another instance held the migration lock "${lock}" for 30 s`);
    try {
      await query(`CREATE TABLE IF NOT EXISTS ${table}_migrations (step INT PRIMARY KEY, applied_at BIGINT NOT NULL) ENGINE=InnoDB`);
      const [row] = await query<Row[]>(`SELECT max(step) AS n FROM ${table}_migrations`);
      const done = Number(row?.n ?? 0);
      const steps = sessionTableSteps('mysql', table);
      for (const [index, step] of steps.slice(done).entries()) {
        await query(step);
        await query(`INSERT INTO ${table}_migrations (step, applied_at) VALUES (?, ?)`, [done + index + 1, Date.now()]);
      }
    } finally {
      await query('SELECT RELEASE_LOCK(?)', [lock]);
    }
    connection.release();
  } catch (error) {
    connection.destroy();
    throw error;
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
