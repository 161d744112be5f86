/**
 * Child processes that never outlive the bench: every child is started in its
 * own process group and killed (group and all) when the driver exits for any
 * reason — normal end, an error, Ctrl-C or the global watchdog.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync, readSync, fstatSync } from 'node:fs';

const live = new Set();
let handlersInstalled = false;

function killGroup(child, signal) {
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

/** Kills every child still running; synchronous so it can run in an 'exit' handler. */
export function killAllChildren(signal = 'SIGKILL') {
  for (const child of live) killGroup(child, signal);
  live.clear();
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => killAllChildren());
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      console.error(`\nbench: ${sig}, stopping children`);
      killAllChildren();
      process.exit(130);
    });
  }
}

/** The last `bytes` of a file, however large it grew. */
function tail(file, bytes) {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, bytes));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Starts a command and returns `{ child, output(), exited, stop() }`; `output()`
 * is the last 64 KB it printed. With `logFile`, output goes straight to that
 * file so a server that logs every request costs the driver nothing.
 * `timeoutMs` is a hard limit after which the child's group is killed.
 */
export function startChild(command, args, { env, cwd, timeoutMs, logFile } = {}) {
  installHandlers();
  const fd = logFile ? openSync(logFile, 'a') : null;
  const stdio = fd === null ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd];
  const child = spawn(command, args, { env, cwd, detached: true, stdio });
  if (fd !== null) closeSync(fd);
  live.add(child);
  let out = '';
  const keep = (chunk) => { out = (out + chunk).slice(-65536); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const output = () => (logFile ? tail(logFile, 65536) : out);
  const timer = timeoutMs ? setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs) : null;
  const exited = new Promise((resolve) => {
    child.on('error', (err) => { keep(String(err)); });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal });
    });
  });
  const stop = async () => {
    if (!live.has(child)) return exited;
    killGroup(child, 'SIGTERM');
    const grace = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
    const result = await exited;
    clearTimeout(grace);
    return result;
  };
  return { child, output, exited, stop };
}

/** Runs a command to completion within `timeoutMs`; resolves with its code and output. */
export async function runCommand(command, args, options = {}) {
  const run = startChild(command, args, options);
  const { code, signal } = await run.exited;
  return { code, signal, output: run.output() };
}

/**
 * Like runCommand, but through `sh -c '…; times'` so the command's own CPU time
 * (user + system, in ms) is known once it exits: `{ code, output, cpuMs }`.
 */
export async function runTimedCommand(command, args, options = {}) {
  const script = 'out=$("$@" 2>&1); code=$?; printf "%s\\n" "$out"; times; exit $code';
  const { code, signal, output } = await runCommand('sh', ['-c', script, 'sh', command, ...args], options);
  const lines = output.trimEnd().split('\n');
  const children = lines.at(-1)?.match(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/);
  const cpuMs = children ? ((Number(children[1]) + Number(children[3])) * 60 + Number(children[2]) + Number(children[4])) * 1000 : 0;
  return { code, signal, output: children ? lines.slice(0, -2).join('\n') : output, cpuMs };
}
