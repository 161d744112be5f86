import { sql } from 'kysely';
import type { Database } from './database.js';

/**
 * Latchkey 0.1 kept sessions in the app's own `sessions` table; the package keeps them in
 * `latchkey_sessions`. Once the package has made its table, this copies the old rows across (ids
 * as the package writes them) and drops the old table, so an upgrade logs nobody out. With
 * `copy: false` (sessions live in Redis) the old table is only dropped. A no-op once it is gone.
 */
export async function moveLegacySessions(database: Database, { copy = true } = {}): Promise<number> {
  const db = database.db;
  return db.transaction().execute(async (trx) => {
    // several instances starting at once: one moves the table, the others wait and find it gone
    if (database.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext('latchkey_legacy_sessions'))`.execute(trx);
    const exists =
      database.dialect === 'sqlite'
        ? sql<{ found: number }>`SELECT count(*) AS found FROM sqlite_master WHERE type = 'table' AND name = 'sessions'`
        : sql<{ found: number }>`SELECT CASE WHEN to_regclass('sessions') IS NULL THEN 0 ELSE 1 END AS found`;
    if (Number((await exists.execute(trx)).rows[0]?.found ?? 0) === 0) return 0;
    const moved = !copy ? { numAffectedRows: 0n } : await sql`
      INSERT INTO latchkey_sessions (key_hash, user_id, data, created_at, last_seen_at, expires_at, handle, remember, user_agent, ip)
      SELECT key, CAST(user_id AS TEXT), data, created_at, last_seen_at, expires_at, handle, remember, user_agent, ip FROM sessions
    `.execute(trx);
    await sql`DROP TABLE sessions`.execute(trx);
    return Number(moved.numAffectedRows ?? 0n);
  });
}
