/**
 * How busy the machine was during a measurement, from /proc: the server's CPU
 * (its whole process group: gunicorn's workers too) and the "foreign" CPU that
 * neither the server, the load tool nor the driver used — other work on a
 * shared machine. Both in % of one core. A high foreign share means the
 * numbers of that scenario are not comparable; the report flags it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let tickMs = 10;
try { tickMs = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 10; } catch { /* USER_HZ is 100 on Linux */ }

// irq and softirq time is left out: on loopback it is mostly our own packets, and no process owns it.
// steal stays in: a noisy neighbour on the host slows the bench just like a local process.
function totalBusyMs() {
  const [user, nice, system, , , , , steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + steal) * tickMs;
}

/** CPU time (ms) of every live process in process group `pgrp`. */
function groupCpuMs(pgrp) {
  if (!pgrp) return 0;
  let sum = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { continue; }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(f[2]) === pgrp) sum += (Number(f[11]) + Number(f[12])) * tickMs;
  }
  return sum;
}

const driverCpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/** Starts measuring; `stop(loadToolCpuMs)` returns { serverCpuMs, serverCpuPct, foreignCpuPct }. */
export function startCpuMeter(serverPgrp) {
  const t0 = performance.now();
  const busy0 = totalBusyMs();
  const server0 = groupCpuMs(serverPgrp);
  const driver0 = driverCpuMs();
  return {
    stop(loadToolCpuMs = 0) {
      const wall = performance.now() - t0;
      const server = groupCpuMs(serverPgrp) - server0;
      const foreign = totalBusyMs() - busy0 - server - (driverCpuMs() - driver0) - loadToolCpuMs;
      const pct = (ms) => Math.round((Math.max(0, ms) / wall) * 100);
      return { serverCpuMs: server, serverCpuPct: pct(server), foreignCpuPct: pct(foreign) };
    },
  };
}

/** Samples the whole machine's busy share (% of one core) over `ms` while nothing of ours runs. */
export async function machineBusyPct(ms = 1000) {
  const meter = startCpuMeter(null);
  await new Promise((r) => setTimeout(r, ms));
  return meter.stop().foreignCpuPct;
}

/** Above this share of one core used by others during a round, the round is retried. */
export const NOISY_PCT = 20;

/**
 * Waits (at most `maxSec`) until the machine is quiet before a target starts;
 * returns the last busy share measured, so the report can say it was not.
 */
export async function waitForQuiet(maxSec, log) {
  const deadline = Date.now() + maxSec * 1000;
  let busy = await machineBusyPct(1000);
  if (busy > NOISY_PCT) log(`  NOTICE: other processes use ${busy}% of a core; waiting up to ${maxSec}s for quiet…`);
  while (busy > NOISY_PCT && Date.now() < deadline) busy = await machineBusyPct(1000);
  return busy;
}
