/**
 * Starts one target on a free loopback port with a fresh data directory and
 * waits (bounded) until it answers GET /users/login.
 */
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startChild } from './children.mjs';

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

/** Starts `target`; returns { base, dataDir, env, pgrp, stop(), output() } once it answers. */
export async function startTarget(target, { tmpRoot, pageBytes, seedSessions = 0 }) {
  const port = await freePort();
  const dataDir = join(tmpRoot, `${target.id}-${++started}`);
  mkdirSync(dataDir, { recursive: true });
  const { cmd, args, cwd, env } = target.command({ port, dataDir, pageBytes, seedSessions });
  const readyTimeoutMs = (target.readyTimeoutMs ?? 20_000) + (seedSessions >= 100_000 ? 180_000 : 0);
  const child = startChild(cmd, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...env },
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
      if (res.status < 500) return { base, port, dataDir, env, pgrp: child.child.pid, stop: child.stop, output: child.output };
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  await child.stop();
  const why = exited ? `exited (${exited.code ?? exited.signal})` : `did not answer within ${readyTimeoutMs / 1000}s`;
  throw new Error(`${target.id} ${why}:\n${child.output().slice(-2000)}`);
}
