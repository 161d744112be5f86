/**
 * The driver's side of lib/gc-probe.mjs: asks a server for its GC counters
 * (SIGUSR2, then the JSON file it writes) and turns two readings into rates.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { round } from './stats.mjs';

export const GC_PROBE = fileURLToPath(new URL('./gc-probe.mjs', import.meta.url));

/**
 * Above this many mark-compacts per second under load (and at least
 * CASCADE_MIN_MARK_COMPACTS of them, so that the one or two of a young heap
 * growing in a short quick-run window do not count), a server is flagged as in
 * a promotion cascade (issue 9: one every ~1.5 s, about 0.67/s, where the
 * healthy state has next to none). A heuristic: see "Promotion cascade" in
 * bench/README.md for where it also fires.
 */
export const CASCADE_MARK_COMPACTS_PER_SEC = 0.5;
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
  return { ...rates, cascade: isCascade(rates) };
}

/** Whether GC rates (from gcRates) look like a promotion cascade; the report asks again, so a re-render uses today's rule. */
export function isCascade(gc) {
  if (!gc) return false;
  const count = gc.markCompacts ?? Math.round(gc.markCompactsPerSec * gc.seconds);
  return gc.markCompactsPerSec > CASCADE_MARK_COMPACTS_PER_SEC && count >= CASCADE_MIN_MARK_COMPACTS;
}
