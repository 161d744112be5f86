import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The repository root: the nearest folder up from this file with a package-lock.json (the tests
 * may run compiled from build/test/test/packaging as well as from test/packaging).
 */
export const REPO = (() => {
  for (let dir = import.meta.dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package-lock.json'))) return dir;
  }
  throw new Error('package-lock.json not found above the tests');
})();
const EXAMPLE = join(REPO, 'examples', 'minimal');

/**
 * The environment of someone outside this repository: none of the variables npm sets for the
 * script running us (`npm_config_local_prefix` would point npm back at this workspace), no
 * NODE_OPTIONS, and no NODE_ENV=test from the test runner.
 */
export function outsideEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_|^NODE_OPTIONS$|^NODE_ENV$|^INIT_CWD$/i.test(name)));
  return { ...env, ...extra };
}

/**
 * Runs a command to its end within `timeoutMs`, in its own process group so that a timeout ends
 * whatever it started too (npm runs scripts through a shell). Resolves to its standard output;
 * rejects with the end of all its output in the message, and its standard output as `stdout`.
 */
export function run(command: string, args: string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? outsideEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => killGroup(child), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(Object.assign(new Error(`${command} ${args.join(' ')} ended with ${signal ?? `exit code ${code}`}:\n${output.slice(-4000)}`), { stdout }));
    });
  });
}

export function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

export interface Installed {
  /** A folder outside the repository holding a copy of the example, installed from the tarball. */
  app: string;
  /** The files the tarball holds, as npm lists them. */
  packedFiles: string[];
  remove(): void;
}

/**
 * Packs the package as `npm publish` would (prepack builds it), and installs the tarball with a
 * copy of examples/minimal into a temporary folder, from the npm registry or npm's cache. Install
 * scripts are skipped to keep this bounded: better-sqlite3 would compile for minutes, so the
 * binary this repository already built is copied in (same version, same Node); bcrypt and argon2
 * load the binaries their npm packages ship.
 */
export async function installAsOutsider(extraPackages: string[] = []): Promise<Installed> {
  const root = mkdtempSync(join(tmpdir(), 'latchkey-outsider-'));
  const remove = () => rmSync(root, { recursive: true, force: true });
  try {
    const packed = JSON.parse(
      await run('npm', ['pack', '--workspace', 'packages/latchkey', '--pack-destination', root, '--json', '--silent'], { cwd: REPO, timeoutMs: 180_000, env: outsideEnv() }),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const tarball = join(root, packed[0]!.filename);
    const app = join(root, 'app');
    mkdirSync(app);
    for (const file of ['package.json', 'server.js']) copyFileSync(join(EXAMPLE, file), join(app, file));
    const sqliteVersion = versionOf(REPO, 'better-sqlite3');
    const install = ['install', tarball, `better-sqlite3@${sqliteVersion}`, ...extraPackages, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'];
    await run('npm', install, { cwd: app, timeoutMs: 300_000 });
    if (versionOf(app, 'better-sqlite3') !== sqliteVersion) throw new Error('npm installed another better-sqlite3 than the one built here');
    const binary = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    mkdirSync(join(app, binary, '..'), { recursive: true });
    copyFileSync(join(REPO, binary), join(app, binary));
    return { app, packedFiles: packed[0]!.files.map((file) => file.path), remove };
  } catch (error) {
    remove();
    throw error;
  }
}

function versionOf(folder: string, name: string): string {
  return (JSON.parse(readFileSync(join(folder, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Starts the installed example with `npm start` on a free loopback port; resolves to its address. */
export function startExample(app: string, database: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn('npm', ['start'], { cwd: app, env: outsideEnv({ PORT: '0', HOST: '127.0.0.1', DATABASE: database }), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const stop = async () => {
    killGroup(child);
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => void stop().then(() => reject(new Error(`the example did not start in 30 s:\n${output}`))), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, stop });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the example exited:\n${output}`));
    });
  });
}
