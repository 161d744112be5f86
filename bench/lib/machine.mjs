/** The machine and software versions a result was measured on, for results.json. */
import { cpus, totalmem, availableParallelism, release, type } from 'node:os';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './targets.mjs';

const PACKAGES = ['fastify', '@fastify/secure-session', '@fastify/session', '@fastify/cookie', '@fastify/formbody',
  'express', 'express-session', 'better-sqlite3-session-store', 'better-sqlite3', 'bcrypt', 'autocannon'];

function packageVersion(name) {
  try { return JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')).version; } catch { return null; }
}

function pythonVersions() {
  const code = 'import sys, importlib.metadata as m; print(sys.version.split()[0], *(m.version(p) for p in ("flask", "flask-sqlalchemy", "flask-bcrypt", "flask-wtf", "gunicorn")))';
  const r = spawnSync('/usr/bin/python3', ['-c', code], { stdio: 'pipe', timeout: 20_000 });
  if (r.status !== 0) return null;
  const [python, flask, flaskSqlalchemy, flaskBcrypt, flaskWtf, gunicorn] = String(r.stdout).trim().split(/\s+/);
  return { python, flask, 'flask-sqlalchemy': flaskSqlalchemy, 'flask-bcrypt': flaskBcrypt, 'flask-wtf': flaskWtf, gunicorn };
}

function osName() {
  try { return readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? type(); } catch { return type(); }
}

/** CPU, cores, memory, OS, Node and package versions. */
export function describeMachine(loadTool) {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGB: Math.round(totalmem() / 1024 ** 3),
    os: `${osName()} (${type()} ${release()})`,
    node: process.version,
    loadTool,
    packages: Object.fromEntries(PACKAGES.map((p) => [p, packageVersion(p)])),
    latchkey: JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version,
    python: pythonVersions(),
  };
}
