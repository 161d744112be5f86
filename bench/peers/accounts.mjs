/**
 * Users for the Node peers: a SQLite table (better-sqlite3, WAL) and bcrypt at
 * BCRYPT_ROUNDS (default 12), async so hashing runs off the event loop.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import bcrypt from 'bcrypt';

const ROUNDS = Number(process.env.BCRYPT_ROUNDS) || 12;

/** Opens (creating) `<DATA_DIR>/<name>.db` and returns the user repository. */
export function openAccounts(name) {
  const dir = process.env.DATA_DIR || '.';
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, `${name}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, password TEXT NOT NULL,
    first_name TEXT, last_name TEXT)`);
  const insert = db.prepare('INSERT INTO users (username, password, first_name, last_name) VALUES (?, ?, ?, ?)');
  const byId = db.prepare('SELECT id, username, first_name, last_name FROM users WHERE id = ?');
  const byName = db.prepare('SELECT id, username, password FROM users WHERE username = ?');

  return {
    db,
    /** The user with this id, looked up on every call (no cache), or undefined. */
    findUser: (id) => (id ? byId.get(id) : undefined),
    /** Creates the user from a signup form; null when the form is invalid or the name taken. */
    async signUp({ username, password, first_name = '', last_name = '' }) {
      if (!username || !password) return null;
      const hash = await bcrypt.hash(password, ROUNDS);
      try {
        const { lastInsertRowid } = insert.run(username, hash, first_name, last_name);
        return { id: Number(lastInsertRowid), username };
      } catch {
        return null;
      }
    },
    /** The user whose password matches, or null. */
    async logIn({ username = '', password = '' }) {
      const row = byName.get(username);
      if (!row || !(await bcrypt.compare(password, row.password))) return null;
      return { id: row.id, username: row.username };
    },
  };
}

/** Number of sessions to pre-seed into a store (SEED_SESSIONS env), 0 by default. */
export const seedCount = () => Number(process.env.SEED_SESSIONS) || 0;
