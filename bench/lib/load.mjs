/**
 * A measured scenario: a warm-up run, then N rounds, each a bounded wrk (or
 * autocannon) run; reports every round and the medians of req/s and p99.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { runWrk } from './load-wrk.mjs';
import { runAutocannon } from './load-autocannon.mjs';
import { median, round } from './stats.mjs';
import { startCpuMeter, NOISY_PCT } from './cpu-meter.mjs';
import { gcRates } from './gc-stats.mjs';

const require = createRequire(import.meta.url);

/** 'wrk' when the binary is installed, else 'autocannon' (or the forced choice). */
export function pickLoadTool(forced) {
  if (forced) return forced;
  return spawnSync('wrk', ['--version'], { stdio: 'pipe', timeout: 5000 }).error ? 'autocannon' : 'wrk';
}

/** The load tool's name and version for the report. */
export function loadToolVersion(tool) {
  if (tool === 'autocannon') return `autocannon ${require('autocannon/package.json').version}`;
  // wrk --version prints its banner and exits 1
  const banner = String(spawnSync('wrk', ['--version'], { stdio: 'pipe', timeout: 5000 }).stdout ?? '');
  return banner.split('\n')[0].replace(/\s*\[.*$/, '').trim() || 'wrk';
}

/**
 * Runs `plan` = { warmupSec, rounds, roundSec, connections, threads } against `url`.
 * `server` ({ pgrp, gc() } from startTarget) lets each round report the server's
 * CPU (per request too) and the rounds together its GC rates. A round during
 * which other processes took more than NOISY_PCT of a core is repeated, at most
 * `plan.rounds` extra times; medians use the quiet rounds.
 */
export async function measure(tool, url, headers, plan, server) {
  const run = tool === 'wrk' ? runWrk : runAutocannon;
  const base = { url, headers, connections: plan.connections, threads: plan.threads };
  if (plan.warmupSec > 0) await run({ ...base, seconds: plan.warmupSec });
  const all = [];
  const quiet = () => all.filter((r) => r.foreignCpuPct <= NOISY_PCT);
  const gc0 = await server.gc();
  while (quiet().length < plan.rounds && all.length < plan.rounds * 2) {
    const meter = startCpuMeter(server.pgrp);
    const r = await run({ ...base, seconds: plan.roundSec });
    const cpu = meter.stop(r.toolCpuMs);
    all.push({ ...r, ...cpu, cpuUsPerRequest: r.requests ? (cpu.serverCpuMs * 1000) / r.requests : null });
  }
  const gc = gcRates(gc0, await server.gc());
  const rounds = quiet().length ? quiet() : all;
  const errors = all.reduce((n, r) => n + r.non2xx3xx + r.socketErrors, 0);
  return {
    rps: round(median(rounds.map((r) => r.rps)), 4),
    p99Ms: round(median(rounds.map((r) => r.p99Ms))),
    cpuUsPerRequest: round(median(rounds.map((r) => r.cpuUsPerRequest))),
    bytesPerRequest: Math.round(median(rounds.map((r) => r.bytesPerRequest))),
    errors,
    serverCpuPct: median(rounds.map((r) => r.serverCpuPct)),
    foreignCpuPct: median(rounds.map((r) => r.foreignCpuPct)),
    noisyRounds: all.length - quiet().length,
    gc,
    rounds: all.map((r) => ({ rps: round(r.rps, 4), p99Ms: round(r.p99Ms), requests: r.requests, cpuUsPerRequest: round(r.cpuUsPerRequest), serverCpuPct: r.serverCpuPct, foreignCpuPct: r.foreignCpuPct })),
  };
}
