import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { absent } from './ci.js';
import { freePort, waitForPort } from './ports.js';

const REDIS_SERVER = process.env.REDIS_SERVER_BINARY ?? '/usr/bin/redis-server';

export interface PrivateRedis {
  port: number;
  url: string;
  /** `kill -STOP`: the process stays, its connections stay open, nothing answers (a hung host). */
  pause(): void;
  /** `kill -CONT`: it answers again, including what it was sent meanwhile. */
  resume(): void;
  /** `kill -9`: connections are refused until `start()`. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: it keeps nothing on disk). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free loopback port, with nothing saved to disk, so a test
 * may stop, pause and kill it without touching the machine's Redis. Returns the reason instead
 * when redis-server is not installed (a failure under CI=true).
 *
 * @example
 * const redis = await startPrivateRedis();
 * if (typeof redis === 'string') return t.skip(redis);
 * redis.pause(); // … requests now get 503 within the deadline …
 * redis.resume();
 */
export async function startPrivateRedis(): Promise<PrivateRedis | string> {
  if (!existsSync(REDIS_SERVER)) return absent(`redis-server is not installed at ${REDIS_SERVER} (apt-get install redis-server)`);
  const port = await freePort();
  let child: ChildProcess | null = null;

  async function start() {
    const started = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    child = started;
    await waitForPort(port, 10_000);
  }
  async function kill() {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGCONT'); // a paused process dies only once it runs again
    running.kill('SIGKILL');
    await exited;
  }
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    kill,
    start,
    stop: kill,
  };
}
