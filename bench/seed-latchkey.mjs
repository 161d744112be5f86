/**
 * Pre-fills a running Latchkey's SQLite session store with SEED_SESSIONS extra
 * sessions, for the "welcome with 1,000 / 1,000,000 sessions" scenario.
 * Run by bench/run.mjs with the server's own env (DATA_DIR or DATABASE_URL).
 *
 * Rows copy the newest real session column by column (whatever the schema
 * holds now), with fresh times, no user, and random values in `key_hash` (the store
 * keeps SHA-256(id) as hex, so random 64-hex keys look the same) and in every
 * other column under a unique index: sessions nobody will present again, as a
 * busy site accumulates.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

const count = Number(process.env.SEED_SESSIONS);
if (!Number.isInteger(count) || count < 0) throw new Error('set SEED_SESSIONS to the number of sessions to add');

const url = process.env.DATABASE_URL ?? `sqlite:${join(resolve(process.env.DATA_DIR ?? './data'), 'latchkey.db')}`;
if (!url.startsWith('sqlite:')) throw new Error(`seed-latchkey.mjs only seeds SQLite, not ${url.split(':')[0]}`);

const db = new Database(url.slice('sqlite:'.length), { timeout: 10_000 });
const template = db.prepare('SELECT * FROM latchkey_sessions ORDER BY created_at DESC LIMIT 1').get();
if (!template) throw new Error('no session to copy: sign a user up first');

const columns = db.pragma('table_info(latchkey_sessions)').map((c) => c.name);
const unique = new Set(['key_hash', ...db.pragma('index_list(latchkey_sessions)').filter((i) => i.unique)
  .flatMap((i) => db.pragma(`index_info(${JSON.stringify(i.name)})`).map((c) => c.name))]);
const now = Date.now();
const fixed = { ...template, user_id: null, created_at: now, last_seen_at: now, expires_at: now + (template.expires_at - template.created_at) };

const insert = db.prepare(`INSERT INTO latchkey_sessions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
const batch = db.transaction((n) => {
  for (let i = 0; i < n; i++) {
    insert.run(columns.map((c) => (unique.has(c) ? randomBytes(32).toString('hex') : fixed[c])));
  }
});
for (let done = 0; done < count; done += 50_000) batch(Math.min(50_000, count - done));
db.pragma('wal_checkpoint(TRUNCATE)');
const total = db.prepare('SELECT count(*) AS n FROM latchkey_sessions').get().n;
db.close();
console.log(`seeded ${count} sessions; the store now holds ${total}`);
