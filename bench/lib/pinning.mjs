/**
 * CPU pinning with `taskset` (util-linux): servers on CPU 0, the load
 * generator and the driver on CPU 1, so the server under test has one core
 * to itself and never competes with wrk. Without taskset, on fewer than two
 * cores, or with --pin=no, everything runs unpinned and the report says so.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export const SERVER_CPU = '0';
export const LOAD_CPU = '1';

let pinning = { enabled: false, notice: 'not configured' };

/** Decides once per run; returns { enabled, serverCpu, loadCpu } or { enabled: false, notice }. */
export function configurePinning({ disabled = false } = {}) {
  if (disabled) pinning = { enabled: false, notice: 'unpinned: --pin=no' };
  else if (spawnSync('taskset', ['-V'], { stdio: 'pipe', timeout: 5000 }).error) pinning = { enabled: false, notice: 'unpinned: taskset is not installed (apt-get install -y util-linux)' };
  else if (availableParallelism() < 2) pinning = { enabled: false, notice: `unpinned: this machine has ${availableParallelism()} core` };
  else pinning = { enabled: true, serverCpu: SERVER_CPU, loadCpu: LOAD_CPU };
  return pinning;
}

export const pinningState = () => pinning;

/** `[cmd, args]` to run `cmd args` on `role`'s CPU ('server' or 'load'); unchanged when unpinned. */
export function pinned(role, cmd, args) {
  if (!pinning.enabled) return [cmd, args];
  return ['taskset', ['-c', role === 'server' ? pinning.serverCpu : pinning.loadCpu, cmd, ...args]];
}

/** Moves the running process, every thread of it, to `role`'s CPU; false when that failed. */
export function pinSelf(role) {
  if (!pinning.enabled) return false;
  const r = spawnSync('taskset', ['-a', '-p', '-c', role === 'server' ? pinning.serverCpu : pinning.loadCpu, String(process.pid)], { stdio: 'pipe', timeout: 5000 });
  return !r.error && r.status === 0;
}
