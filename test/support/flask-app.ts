import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from './ports.js';

const PYTHON = '/usr/bin/python3';
/** The repository: the nearest folder up from here with a package-lock.json (the tests also run compiled, from build/test/). */
const REPO = (() => {
  for (let dir = fileURLToPath(new URL('.', import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package-lock.json'))) return dir;
  }
  throw new Error('package-lock.json not found above the tests');
})();
const START_TIMEOUT_MS = 30_000;

/**
 * The chapter's Flask app (`app.py`): FLASK_APP_DIR, else `../shared/anchors/flask_app` beside the
 * repository (or its worktree), else this workplace's `/work/shared/anchors/flask_app` (CI runs
 * on a clone somewhere else on the same machine).
 */
export const FLASK_APP_DIR = [
  process.env.FLASK_APP_DIR,
  join(REPO, '..', 'shared', 'anchors', 'flask_app'),
  join(REPO, '..', '..', 'shared', 'anchors', 'flask_app'),
  '/work/shared/anchors/flask_app',
]
  .find((dir): dir is string => dir !== undefined && existsSync(join(dir, 'app.py'))) ?? null;

function findMissing(): string | null {
  if (FLASK_APP_DIR === null) return 'the Flask reference app is not at ../shared/anchors/flask_app or /work/shared/anchors/flask_app (set FLASK_APP_DIR)';
  const probe = spawnSync(PYTHON, ['-c', 'import flask, flask_sqlalchemy, flask_bcrypt, flask_wtf, gunicorn'], { encoding: 'utf8', timeout: 20_000 });
  if (probe.error) return `${PYTHON} cannot run (${probe.error.message})`;
  if (probe.status !== 0) {
    const last = probe.stderr.trim().split('\n').at(-1);
    return `${PYTHON} cannot import the Flask app's packages (${last}); apt-get install -y python3-flask python3-flask-sqlalchemy python3-flask-bcrypt python3-flaskext.wtf gunicorn`;
  }
  return null;
}

const missing = findMissing();

/**
 * Options for a test that needs the real Flask app under gunicorn: skipped, saying why, when its
 * Debian packages are absent, and failing under CI=true, where an absent peer must not pass.
 */
export const needsFlaskApp: { skip: string | false } = {
  skip: missing !== null && process.env.CI !== 'true' ? `needs the Flask reference app under gunicorn: ${missing}` : false,
};

export interface FlaskApp {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts the reference Flask app under gunicorn (one worker) on a free loopback port, with its
 * SQLite database at `dbFile`, and waits until it answers.
 *
 * @example
 * const flask = await startFlaskApp({ secretKey: 'k', dbFile: '/tmp/x/flask.db' });
 * await flask.stop();
 */
export async function startFlaskApp({ secretKey, dbFile, env = {} }: { secretKey: string; dbFile: string; env?: Record<string, string> }): Promise<FlaskApp> {
  if (missing !== null) throw new Error(`the Flask app is required (CI=true) but ${missing}`);
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(PYTHON, ['-m', 'gunicorn', '-w', '1', '-b', `127.0.0.1:${port}`, '--graceful-timeout', '2', 'app:app'], {
    cwd: FLASK_APP_DIR!,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SECRET_KEY: secretKey, DB_FILE: dbFile, BCRYPT_ROUNDS: '4', PYTHONDONTWRITEBYTECODE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, 'SIGTERM');
    const killer = setTimeout(() => child.exitCode === null && process.kill(-child.pid!, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };
  try {
    await waitForPort(port, START_TIMEOUT_MS, () => (child.exitCode !== null ? `gunicorn exited (${child.exitCode}): ${output}` : null));
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, port, stop };
}
