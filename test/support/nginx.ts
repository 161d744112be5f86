import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';

const NGINX = process.env.NGINX_BIN ?? 'nginx';
const START_TIMEOUT_MS = 10_000;

function findMissing(): string | null {
  const probe = spawnSync(NGINX, ['-v'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return `${NGINX} cannot run (${probe.error.message}); apt-get install -y nginx`;
  return probe.status === 0 ? null : `${NGINX} -v failed: ${probe.stderr.trim()}`;
}

const missing = findMissing();

/** Options for a test that needs nginx: skipped, saying why, without it; failing under CI=true. */
export const needsNginx: { skip: string | false } = {
  skip: missing !== null && process.env.CI !== 'true' ? `needs nginx: ${missing}` : false,
};

export interface Nginx {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** nginx's error log so far, for a failing test to show. */
  errorLog(): string;
  stop(): Promise<void>;
}

/**
 * Starts a private nginx (one process, in the foreground, every file in a temporary directory) on
 * a free loopback port. `config(port)` returns what goes inside `http { }`: upstreams and a
 * `server` that listens on 127.0.0.1:`port`.
 *
 * @example
 * const nginx = await startNginx((port) => `server { listen 127.0.0.1:${port}; return 204; }`);
 * await nginx.stop();
 */
export async function startNginx(config: (port: number) => string): Promise<Nginx> {
  if (missing !== null) throw new Error(`nginx is required (CI=true) but ${missing}`);
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-nginx-'));
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp));
  const port = await freePort();
  const errorLog = join(dir, 'error.log');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
pid ${join(dir, 'nginx.pid')};
error_log ${errorLog} warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
${config(port)}
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const readLog = () => {
    try {
      return readFileSync(errorLog, 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT'); // graceful: finish open requests
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, START_TIMEOUT_MS, () => (child.exitCode !== null ? `nginx exited (${child.exitCode}): ${stderr}${readLog()}` : null));
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, url: `http://127.0.0.1:${port}`, errorLog: readLog, stop };
}
