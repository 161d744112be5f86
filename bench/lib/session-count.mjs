/**
 * Welcome throughput with many sessions in the store: the target is restarted
 * on a fresh data directory for each count, its store pre-filled (SEED_SESSIONS
 * at start for the peers, bench/seed-latchkey.mjs for Latchkey), then the
 * logged-in welcome page is measured as in the welcome scenario.
 */
import { existsSync } from 'node:fs';
import { runCommand } from './children.mjs';
import { startTarget } from './server.mjs';
import { loggedInUser, welcomeScenario } from './scenarios.mjs';
import { LATCHKEY_SEED_SCRIPT, REPO } from './targets.mjs';

export const SESSION_COUNTS = [1_000, 1_000_000];
export const sessionKey = (n) => `sessions${n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1_000}k`}`;

/** Why the target has no session-count scenario, or null when it has one. */
export function sessionCountSkipReason(target) {
  if (!target.seed) return 'no server-side session store';
  if (target.seed === 'script' && !existsSync(LATCHKEY_SEED_SCRIPT)) return 'bench/seed-latchkey.mjs is missing';
  return null;
}

async function seedWithScript(server, count) {
  const { code, output } = await runCommand(process.execPath, [LATCHKEY_SEED_SCRIPT], {
    cwd: REPO,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...server.env, SEED_SESSIONS: String(count) },
    timeoutMs: 600_000,
  });
  if (code !== 0) throw new Error(`seed-latchkey.mjs failed (exit ${code}): ${output.slice(-800)}`);
}

/** Measures welcome at each count; returns { sessions1k: {...}, sessions1M: {...} }. */
export async function sessionCountScenarios(target, ctx, log) {
  const out = {};
  for (const count of SESSION_COUNTS) {
    const key = sessionKey(count);
    const t0 = Date.now();
    const server = await startTarget(target, { tmpRoot: ctx.tmpRoot, pageBytes: ctx.pageBytes, seedSessions: target.seed === 'env' ? count : 0 });
    try {
      const session = await loggedInUser(server.base, key);
      if (target.seed === 'script') await seedWithScript(server, count);
      const seedSec = (Date.now() - t0) / 1000;
      out[key] = { sessions: count, seedSec: Math.round(seedSec * 10) / 10, ...(await welcomeScenario(ctx, server, session, ctx.sessionsPlan)) };
      const { gc } = out[key];
      log(`  ${key.padEnd(12)} ${out[key].rps} req/s, p99 ${out[key].p99Ms} ms, ${out[key].cpuUsPerRequest} µs CPU/req (seeded in ${out[key].seedSec}s); cpu: server ${out[key].serverCpuPct}%, others ${out[key].foreignCpuPct}%`
        + `${gc ? `; gc: ${gc.scavengesPerSec} scavenges/s, ${gc.markCompactsPerSec} mark-compacts/s, ${gc.pausePct}% paused` : ''}`);
    } catch (err) {
      out[key] = { sessions: count, error: err.message };
      log(`  ${key.padEnd(12)} FAILED: ${err.message}`);
    } finally {
      await server.stop();
    }
  }
  return out;
}
