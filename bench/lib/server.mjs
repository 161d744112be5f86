/**
 * Starts one target on a free loopback port with a fresh data directory and
 * waits (bounded) until it answers GET /users/login.
 */
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startChild } from './children.mjs';
import { pinned } from './pinning.mjs';
import { GC_PROBE, readGc } from './gc-stats.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A port the kernel just handed out on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let started = 0;

/**
 * Starts `target` (on the server CPU when pinned; a Node server with the GC
 * probe preloaded); returns { base, dataDir, env, pgrp, gc(), startedWith,
 * stop(), output() } once it answers. `gc()` reads the probe's counters (null
 * for a server that is not Node).
 */
export async function startTarget(target, { tmpRoot, pageBytes, seedSessions = 0 }) {
  const port = await freePort();
  const dataDir = join(tmpRoot, `${target.id}-${++started}`);
  mkdirSync(dataDir, { recursive: true });
  const { cmd, args, cwd, env } = target.command({ port, dataDir, pageBytes, seedSessions });
  const gcFile = cmd === process.execPath ? join(dataDir, 'gc-probe.json') : null;
  const [command, commandArgs] = pinned('server', cmd, gcFile ? ['--import', GC_PROBE, ...args] : args);
  const readyTimeoutMs = (target.readyTimeoutMs ?? 20_000) + (seedSessions >= 100_000 ? 180_000 : 0);
  const child = startChild(command, commandArgs, {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...env, ...(gcFile ? { GC_PROBE_FILE: gcFile } : {}) },
    timeoutMs: 60 * 60 * 1000,
    logFile: join(dataDir, 'server.log'),
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  let exited = null;
  child.exited.then((r) => { exited = r; });
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(`${base}/users/login`, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status < 500) {
        const pid = child.child.pid; // taskset execs the server: same pid, and the group leader
        const gc = gcFile ? () => readGc(pid, gcFile) : async () => null;
        return { base, port, dataDir, env, pgrp: pid, gc, startedWith: [command, ...commandArgs].join(' '), stop: child.stop, output: child.output };
      }
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  await child.stop();
  const why = exited ? `exited (${exited.code ?? exited.signal})` : `did not answer within ${readyTimeoutMs / 1000}s`;
  throw new Error(`${target.id} ${why}:\n${child.output().slice(-2000)}`);
}
