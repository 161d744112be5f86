/**
 * The driver's side of lib/gc-probe.mjs: asks a server for its GC counters
 * (SIGUSR2, then the JSON file it writes) and turns two readings into rates.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { round } from './stats.mjs';

export const GC_PROBE = fileURLToPath(new URL('./gc-probe.mjs', import.meta.url));

/**
 * A server is flagged as in a promotion cascade (issue 9: a mark-compact every ~1.5 s at ~3,000
 * req/s, where the healthy state has next to none) when it does more than
 * CASCADE_MARK_COMPACTS_PER_10K mark-compacts per 10,000 requests under load, and at least
 * CASCADE_MIN_MARK_COMPACTS of them (one or two of a young heap growing in a short window do
 * not count). Per request, not per second: a server ten times as fast allocates ten times as
 * much per second and compacts more often without anything being wrong (the node:http ceiling
 * does ~1/s at 50,000 req/s). A heuristic: see "Promotion cascade" in bench/README.md.
 */
export const CASCADE_MARK_COMPACTS_PER_10K = 1;
export const CASCADE_MIN_MARK_COMPACTS = 3;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function readState(file) {
  try { return JSON.parse(readFileSync(file, 'utf8')); } catch { return null; }
}

/** The server's counters now: signals it and waits (≤ 1 s) for a fresh file; null without a probe. */
export async function readGc(pid, file) {
  const before = readState(file)?.seq ?? 0;
  try { process.kill(pid, 'SIGUSR2'); } catch { return null; }
  for (let waited = 0; waited < 1000; waited += 10) {
    const state = readState(file);
    if (state && state.seq > before) return { ...state, at: performance.now() };
    await sleep(10);
  }
  return null;
}

/** Rates between two readings: scavenges/s, mark-compacts/s, GC pause % of wall time. */
export function gcRates(a, b) {
  if (!a || !b || b.pid !== a.pid) return null;
  const sec = (b.at - a.at) / 1000;
  const per = (k) => round((b[k] - a[k]) / sec);
  const markCompacts = b.markCompacts - a.markCompacts;
  const markCompactsPerSec = per('markCompacts');
  const rates = {
    seconds: round(sec),
    scavenges: b.scavenges - a.scavenges,
    markCompacts,
    scavengesPerSec: per('scavenges'),
    markCompactsPerSec,
    incrementalPerSec: per('incremental'),
    weakCallbacksPerSec: per('weakCallbacks'),
    pausePct: round(((b.pauseMs - a.pauseMs) / (sec * 1000)) * 100, 2),
    pretenuring: b.pretenuring,
  };
  return rates;
}

/** Whether a scenario's GC rates (from gcRates) at its req/s look like a promotion cascade. */
export function isCascade(gc, rps) {
  if (!gc || !rps) return false;
  const count = gc.markCompacts ?? Math.round(gc.markCompactsPerSec * gc.seconds);
  return (gc.markCompactsPerSec / rps) * 10_000 > CASCADE_MARK_COMPACTS_PER_10K && count >= CASCADE_MIN_MARK_COMPACTS;
}
