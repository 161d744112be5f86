/**
 * How long `latchkey import-flask` takes on a large Flask database: builds one with the chapter's
 * tables (100,000 users, 100,000 messages by default; every hash a copy of one bcrypt hash), then
 * runs the real command twice into a fresh Latchkey database (the second run finds nothing new).
 *
 *   node --conditions=latchkey-source --import tsx bench/import-flask.ts [users] [messages] [--into <url>]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import bcrypt from 'bcrypt';

const args = process.argv.slice(2);
const intoAt = args.indexOf('--into');
const into = intoAt >= 0 ? args.splice(intoAt, 2)[1]! : null;
const users = Number(args[0] ?? 100_000);
const messages = Number(args[1] ?? users);
const dir = mkdtempSync(join(tmpdir(), 'import-flask-bench-'));
const flaskFile = join(dir, 'flask.db');
const target = into ?? `sqlite:${join(dir, 'latchkey.db')}`;

const hash = bcrypt.hashSync('the same password for everyone', 12);
const db = new SQLite(flaskFile);
db.exec(`CREATE TABLE users (id INTEGER NOT NULL, username TEXT NOT NULL, password TEXT NOT NULL, first_name TEXT, last_name TEXT, PRIMARY KEY (id), UNIQUE (username));
CREATE TABLE messages (id INTEGER NOT NULL, content TEXT NOT NULL, user_id INTEGER, PRIMARY KEY (id), FOREIGN KEY(user_id) REFERENCES users (id));`);
db.transaction(() => {
  const user = db.prepare('insert into users values (?, ?, ?, ?, ?)');
  for (let id = 1; id <= users; id++) user.run(id, `user${id}`, hash, `First${id}`, `Last${id}`);
  const message = db.prepare('insert into messages values (?, ?, ?)');
  for (let id = 1; id <= messages; id++) message.run(id, `message ${id}: ${'lorem ipsum '.repeat(5)}`, ((id - 1) % users) + 1);
})();
db.close();
console.log(`Flask database: ${flaskFile} (${users} users, ${messages} messages); Latchkey database: ${target}`);

const env = { ...process.env, NODE_ENV: 'test', SECRET_KEYS: process.env.SECRET_KEYS ?? 'bench-key-0123456789abcdef0123456789abcdef', DATA_DIR: dir };
for (const run of ['first run (everything new)', 'second run (nothing changed)']) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--conditions=latchkey-source', '--import', 'tsx', 'src/cli/main.ts', 'import-flask', flaskFile, '--into', target], { stdio: 'inherit', env });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) process.exit(result.status ?? 1);
  console.log(`${run}: ${seconds.toFixed(1)} s (whole command, Node start included)\n`);
}
