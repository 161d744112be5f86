import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { absent } from './ci.js';
import { freePort, waitForPort } from './ports.js';

/** Where Debian installs nginx (`apt-get install nginx`); NGINX_BINARY overrides. */
const NGINX = process.env.NGINX_BINARY ?? '/usr/sbin/nginx';

export interface Nginx {
  /** The loopback port nginx listens on. */
  port: number;
  url: string;
  /** The temporary folder holding its config, pid file, logs and temp files. */
  prefix: string;
  /** What nginx wrote to its error log so far (the first place to look when a proxy test fails). */
  errorLog(): string;
  /** Stops nginx (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts a private nginx on a free 127.0.0.1 port, as a child process (no daemon, one process, so
 * it needs no root and leaves nothing behind), with `http` as the inside of its `http { }` block.
 * `http` receives the port and must `listen 127.0.0.1:<port>`. Returns the reason instead when
 * nginx is not installed (a failure under CI=true).
 *
 * @example
 * const nginx = await startNginx((port) => `server { listen 127.0.0.1:${port}; location / { return 200 "hi"; } }`);
 * if (typeof nginx === 'string') return t.skip(nginx);
 * await fetch(nginx.url);
 * await nginx.stop();
 */
export async function startNginx(http: (port: number) => string): Promise<Nginx | string> {
  if (!existsSync(NGINX)) return absent(`nginx is not installed at ${NGINX} (apt-get install nginx, or set NGINX_BINARY)`);
  const prefix = mkdtempSync(join(tmpdir(), 'latchkey-nginx-'));
  for (const folder of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, folder));
  const port = await freePort();
  const errorLog = join(prefix, 'error.log');
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;
master_process off;
pid ${join(prefix, 'nginx.pid')};
error_log ${errorLog} warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${join(prefix, 'client_body')};
  proxy_temp_path ${join(prefix, 'proxy')};
  fastcgi_temp_path ${join(prefix, 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'uwsgi')};
  scgi_temp_path ${join(prefix, 'scgi')};
${http(port)}
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', prefix, '-e', errorLog, '-c', join(prefix, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const readLog = () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '') + stderr;
  try {
    await Promise.race([
      waitForPort(port, { timeoutMs: 10_000 }),
      exited.then(() => {
        throw new Error(`nginx exited at start:\n${readLog()}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    prefix,
    errorLog: readLog,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
