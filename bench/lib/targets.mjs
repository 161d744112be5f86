/**
 * What the bench measures: Latchkey and its peers, each a command that serves
 * the bench routes on 127.0.0.1:PORT. `available()` says why one is skipped;
 * `seed` says how its session store is pre-filled ('env': SEED_SESSIONS at
 * start, 'script': bench/seed-latchkey.mjs while it runs, null: no store).
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export const REPO = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
// beside the repository, beside its worktree, or this workplace's shared folder (as the tests look)
export const FLASK_DIR = [join(REPO, '..', 'shared'), join(REPO, '..', '..', 'shared'), '/work/shared']
  .map((dir) => join(dir, 'anchors', 'flask_app')).find((dir) => existsSync(join(dir, 'app.py'))) ?? join(REPO, '..', 'shared', 'anchors', 'flask_app');
export const LATCHKEY_SEED_SCRIPT = join(REPO, 'bench', 'seed-latchkey.mjs');
const PYTHON = '/usr/bin/python3';

const nodePeer = (id, label, seed = null) => ({
  id, label, auth: true, seed,
  available: () => ({ ok: true }),
  command: ({ port, dataDir, pageBytes, seedSessions }) => ({
    cmd: process.execPath,
    args: [join(REPO, 'bench', 'peers', `${id}.mjs`)],
    cwd: REPO,
    env: { PORT: String(port), DATA_DIR: dataDir, BCRYPT_ROUNDS: '12', PAGE_BYTES: String(pageBytes), SEED_SESSIONS: String(seedSessions ?? 0) },
  }),
});

/**
 * Latchkey as `node dist/server.js` in one SESSION_MODE, NODE_ENV=production
 * and the shipped defaults otherwise. Production wants PUBLIC_URL and
 * SMTP_URL; the bench sends no mail, so SMTP_URL names a closed port.
 * Only server mode has a store to seed, and only it runs the login storm.
 */
const latchkeyTarget = (id, label, sessionMode) => ({
  id, label, latchkey: true, sessionMode,
  auth: true,
  storm: sessionMode === 'server',
  seed: sessionMode === 'server' ? 'script' : null,
  available: () => (existsSync(join(REPO, 'dist', 'server.js'))
    ? { ok: true }
    : { ok: false, notice: 'dist/server.js is missing (npm run build has nothing to build yet)' }),
  command: ({ port, dataDir }) => ({
    cmd: process.execPath,
    args: [join(REPO, 'dist', 'server.js')],
    cwd: REPO,
    env: {
      PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'production', SESSION_MODE: sessionMode,
      SECRET_KEYS: randomBytes(32).toString('hex'), BCRYPT_ROUNDS: '12',
      PUBLIC_URL: `http://127.0.0.1:${port}`, SMTP_URL: 'smtp://127.0.0.1:9',
    },
  }),
});

export const TARGETS = [
  latchkeyTarget('latchkey', 'Latchkey (server mode, SQLite)', 'server'),
  latchkeyTarget('latchkey-signed', 'Latchkey (signed cookie mode)', 'signed'),
  latchkeyTarget('latchkey-encrypted', 'Latchkey (encrypted cookie mode)', 'encrypted'),
  { ...nodePeer('node-http-ceiling', 'node:http ceiling (fixed page)'), auth: false },
  nodePeer('fastify-secure-session', 'Fastify 5 + @fastify/secure-session'),
  nodePeer('fastify-session', 'Fastify 5 + @fastify/session (memory)', 'env'),
  nodePeer('express-session', 'Express 5 + express-session (SQLite)', 'env'),
  {
    id: 'flask',
    label: 'Flask anchor (gunicorn -w 2)',
    auth: true,
    seed: null,
    readyTimeoutMs: 30_000,
    available() {
      const probe = spawnSync(PYTHON, ['-c', 'import flask, flask_sqlalchemy, flask_bcrypt, flask_wtf, gunicorn'], { stdio: 'pipe', timeout: 20_000 });
      if (probe.error || probe.status !== 0) {
        return { ok: false, notice: `${PYTHON} cannot import flask/gunicorn: apt-get install -y python3-flask python3-flask-sqlalchemy python3-flask-bcrypt python3-flaskext.wtf gunicorn` };
      }
      return existsSync(join(FLASK_DIR, 'app.py')) ? { ok: true } : { ok: false, notice: `${FLASK_DIR}/app.py is missing` };
    },
    command: ({ port, dataDir }) => ({
      cmd: PYTHON,
      args: ['-m', 'gunicorn', '-w', '2', '-b', `127.0.0.1:${port}`, 'app:app'],
      cwd: FLASK_DIR,
      env: {
        SECRET_KEY: randomBytes(32).toString('hex'), DB_FILE: join(dataDir, 'flask.db'), BCRYPT_ROUNDS: '12',
        PYTHONDONTWRITEBYTECODE: '1',
      },
    }),
  },
];
