import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.js';

/**
 * How to run the server beside this file: compiled by scripts/test.mjs (build/test/src/server.js,
 * with its hook that points `latchkey` at the package compiled beside it), or from the sources
 * through tsx when a test file is run directly. Resolved here: the child runs in an empty folder.
 */
function serverCommand(): string[] {
  if (import.meta.url.endsWith('.ts')) {
    return ['--conditions=latchkey-source', '--import', import.meta.resolve('tsx'), fileURLToPath(new URL('../../src/server.ts', import.meta.url))];
  }
  const hook = fileURLToPath(new URL('../../../../scripts/test-resolve.mjs', import.meta.url));
  return ['--enable-source-maps', '--import', hook, fileURLToPath(new URL('../../src/server.js', import.meta.url))];
}

export interface AppProcess {
  port: number;
  url: string;
  pid: number;
  /** Every line it wrote to stdout and stderr so far (its log, as JSON lines). */
  readonly output: string[];
  /** Its log lines parsed, at `level` (pino numbers: 30 info, 40 warn, 50 error) or above. */
  logs(level?: number): Array<Record<string, unknown>>;
  /** Resolves with how it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal (SIGTERM: graceful shutdown) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the real server (`src/server.ts`, what `npm start` runs, compiled) as a child process
 * on a free loopback port, with exactly the environment given (plus PATH), in an empty folder so
 * no developer's `.env` leaks in. Resolves once it answers HTTP.
 *
 * @example
 * const app = await startAppProcess({ DATABASE_URL: 'sqlite::memory:', SECRET_KEYS: key });
 * await fetch(`${app.url}/healthz`);
 * await app.stop();
 */
export async function startAppProcess(env: Record<string, string>, { startTimeoutMs = 60_000 } = {}): Promise<AppProcess> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'latchkey-app-'));
  const child: ChildProcess = spawn(process.execPath, serverCommand(), {
    cwd,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: join(cwd, 'data'), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      output.push(...lines);
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      rmSync(cwd, { recursive: true, force: true }); // its data folder goes with it
      resolve({ code, signal });
    }),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  while (!(await answers(`${url}/healthz`))) {
    if (ended || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not start (${ended ? 'it exited' : 'timed out'}):\n${output.join('\n')}`);
    }
    await sleep(100);
  }
  return {
    port,
    url,
    pid: child.pid!,
    output,
    logs(level = 0) {
      return output.flatMap((line) => {
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          return typeof parsed.level === 'number' && parsed.level >= level ? [parsed] : [];
        } catch {
          return [];
        }
      });
    },
    exited,
    async stop(signal = 'SIGTERM') {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request(url, { timeout: 1000 }, (response) => {
      response.resume();
      resolve(true); // any answer: it is listening (a 503 from /healthz is a test's to judge)
    });
    probe.on('error', () => resolve(false));
    probe.on('timeout', () => probe.destroy());
    probe.end();
  });
}
